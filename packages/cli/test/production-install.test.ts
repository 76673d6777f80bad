// A production install (`npm ci --omit=dev`, docs/deployment.md) has no devDependencies, so
// everything the start command loads, and everything the console build run by `prepare` at
// install loads, must be a dependency of the package whose file imports it. This walks the import
// graph from those entry points (static and literal dynamic imports, `new URL("./x.ts",
// import.meta.url)` worker entries, workspace packages through their `exports`) and lists every
// bare import that is not.
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CODE = /\.(ts|tsx|mts|js|mjs)$/;

interface Manifest {
  name: string;
  dir: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  exports?: Record<string, string> | string;
  scripts: Record<string, string>;
}

function manifest(dir: string): Manifest {
  const m = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  return {
    name: m.name,
    dir,
    dependencies: { ...m.dependencies, ...m.optionalDependencies, ...m.peerDependencies },
    devDependencies: m.devDependencies ?? {},
    exports: m.exports,
    scripts: m.scripts ?? {},
  };
}

const root = manifest(ROOT);
const workspaces = new Map<string, Manifest>(
  (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).workspaces as string[]).map((w) => {
    const m = manifest(join(ROOT, w));
    return [m.name, m];
  }),
);

/** The workspace package (or the root) a file belongs to. */
function owner(file: string): Manifest {
  let best = root;
  for (const m of workspaces.values()) if (file.startsWith(m.dir) && m.dir.length > best.dir.length) best = m;
  return best;
}

/** The package name of a bare specifier: `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
function packageName(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** A workspace package's file for a specifier, through its `exports` (exact keys and `*` patterns). */
function resolveWorkspace(m: Manifest, spec: string): string {
  const sub = `.${spec.slice(m.name.length)}`;
  const exports = typeof m.exports === "string" ? { ".": m.exports } : (m.exports ?? {});
  if (exports[sub]) return join(m.dir, exports[sub]);
  for (const [key, target] of Object.entries(exports)) {
    const star = key.indexOf("*");
    if (star < 0) continue;
    const [pre, post] = [key.slice(0, star), key.slice(star + 1)];
    if (sub.startsWith(pre) && sub.endsWith(post))
      return join(m.dir, target.replace("*", sub.slice(pre.length, sub.length - post.length)));
  }
  throw new Error(`${spec}: not in the exports of ${m.name}`);
}

/** The module specifiers a file loads at run time (type-only imports are erased by tsx/esbuild). */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause?.isTypeOnly ||
        (clause &&
          !clause.name &&
          clause.namedBindings &&
          ts.isNamedImports(clause.namedBindings) &&
          clause.namedBindings.elements.length > 0 &&
          clause.namedBindings.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "URL" &&
      node.arguments?.[0] &&
      ts.isStringLiteral(node.arguments[0]) &&
      node.arguments[1]?.getText(source) === "import.meta.url" &&
      CODE.test(node.arguments[0].text)
    ) {
      // A worker thread's entry module (notify/index.ts) or a file loaded by URL.
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

interface Walk {
  visited: Set<string>;
  problems: string[];
}

function walk(entries: string[]): Walk {
  const visited = new Set<string>();
  const problems: string[] = [];
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (visited.has(file)) continue;
    visited.add(file);
    if (!CODE.test(file)) continue;
    const from = owner(file);
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith(".")) {
        const target = resolve(dirname(file), spec);
        if (!existsSync(target)) problems.push(`${relative(ROOT, file)}: ${spec} does not exist`);
        else queue.push(target);
        continue;
      }
      if (spec.startsWith("node:") || builtinModules.includes(spec)) continue;
      const name = packageName(spec);
      if (!from.dependencies[name]) {
        const dev = from.devDependencies[name] || root.devDependencies[name] ? " (a devDependency)" : "";
        problems.push(`${relative(ROOT, file)} imports ${spec}, not in the dependencies of ${from.name}${dev}`);
        continue;
      }
      const workspace = workspaces.get(name);
      if (workspace) queue.push(resolveWorkspace(workspace, spec));
    }
  }
  return { visited, problems };
}

const rel = (w: Walk) => [...w.visited].map((f) => relative(ROOT, f));

describe("a production install (npm ci --omit=dev) has everything the VTN and the console build load", () => {
  it("every import reachable from the start command is a dependency of the package that imports it", () => {
    expect(root.scripts.start).toBe("exec node packages/cli/bin/gridlink.js vtn");
    const w = walk([join(ROOT, "packages/cli/bin/gridlink.js")]);
    expect(w.problems).toEqual([]);
    // The walk reached the notifier's worker thread and the workspace packages behind the CLI.
    expect(rel(w)).toEqual(
      expect.arrayContaining([
        "packages/cli/src/main.ts",
        "packages/cli/build.mjs",
        "packages/vtn/src/server.ts",
        "packages/vtn/src/notify/worker-boot.mjs",
        "packages/vtn/src/notify/worker.ts",
        "packages/model/src/index.ts",
      ]),
    );
  });

  it("the builds that `prepare` runs at install use only dependencies: the console's and the CLI's bundles", () => {
    const console = workspaces.get("@gridlink/console") as Manifest;
    expect(root.scripts.prepare).toBe("npm run build -w packages/console && node packages/cli/build.mjs");
    const bundles = walk([join(ROOT, "packages/cli/build.mjs")]);
    expect(bundles.problems).toEqual([]);
    expect(rel(bundles)).toContain("packages/cli/bundle.mjs");
    const tool = console.scripts.build.split(" ")[0];
    expect(console.dependencies[tool], `${tool} (the build script's command) is a console dependency`).toBeDefined();
    const w = walk([join(console.dir, "vite.config.ts"), join(console.dir, "src/main.tsx")]);
    expect(w.problems).toEqual([]);
    expect(rel(w).length).toBeGreaterThan(5);
  });
});
