// Builds what `gridlink` runs into dist/: the CLI (and with it the VTN) and the notifier's worker
// thread, each one ES module bundled by esbuild from the TypeScript sources. Run by the root
// `prepare` script at install, and again by bin/gridlink.js whenever a source changed since
// (bundle.mjs). Without it tsx compiles every module at each start, in the main thread and again
// in the worker, and keeps what it made: about 110 MB more resident memory for a VTN at rest
// (docs/deployment.md, "What runs").
//   node packages/cli/build.mjs
//
// The workspace's own modules are bundled; the third-party packages stay in node_modules and are
// imported by the absolute path Node's resolution would give from the importing file (so a package
// installed twice in two versions stays two). Each module keeps its own `import.meta.url`, the
// files it reads beside itself (the OpenAPI documents, the XSDs, the console's dist) are where they
// were.
import { statSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import { relative } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { DIST, META, ROOT } from "./bundle.mjs";

// The worker first: a process starting while a build renames its outputs into place finds the
// new main bundle beside the new worker.
const ENTRIES = {
  "notify-worker.mjs": "packages/vtn/src/notify/worker.ts",
  "main.mjs": "packages/cli/src/main.ts",
};

const ownModule = /\.(ts|mts|mjs)$/;

/** Our modules are bundled with their own location in place of import.meta.url. */
const ownLocation = {
  name: "own-location",
  setup(b) {
    b.onLoad({ filter: ownModule }, async (a) => {
      if (a.path.includes("/node_modules/")) return undefined;
      const source = await readFile(a.path, "utf8");
      return {
        contents: source.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(a.path).href)),
        loader: a.path.endsWith("ts") ? "ts" : "js",
      };
    });
  },
};

/** Third-party imports stay imports, of the file Node would load for the importing module. */
const thirdPartyExternal = {
  name: "third-party-external",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (a) => {
      if (a.path.startsWith("@gridlink/") || a.path.startsWith("node:") || a.pluginData === "inner") return undefined;
      const r = await b.resolve(a.path, { resolveDir: a.resolveDir, kind: a.kind, pluginData: "inner" });
      if (r.errors.length > 0) return { errors: r.errors };
      return { path: r.path, external: true };
    });
  },
};

/**
 * Builds ENTRIES (and `extra`: { "out.mjs": "path/from/root.ts" }) into `dist`; resolves to the
 * seconds it took. Each output is written beside and renamed into place, bundle.json last, so a
 * process starting meanwhile sees the old build or the new one, never half of one.
 */
export async function buildBundles({ dist = DIST, extra = {} } = {}) {
  const t0 = performance.now();
  const entries = { ...ENTRIES, ...extra };
  const inputs = new Set(["package-lock.json"]);
  const suffix = `.${process.pid}.tmp`;
  for (const [out, entry] of Object.entries(entries)) {
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: [entry],
      outfile: `${dist}${out}${suffix}`,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      // The stack traces of an error name the TypeScript lines (bin/gridlink.js enables source maps).
      sourcemap: "linked",
      sourcesContent: false,
      define: { __GRIDLINK_NOTIFY_WORKER__: JSON.stringify(pathToFileURL(`${dist}notify-worker.mjs`).href) },
      plugins: [ownLocation, thirdPartyExternal],
      metafile: true,
      logLevel: "warning",
    });
    for (const file of Object.keys(result.metafile.inputs)) inputs.add(file);
    // The map's name inside the bundle is the renamed one.
    const code = await readFile(`${dist}${out}${suffix}`, "utf8");
    await writeFile(`${dist}${out}${suffix}`, code.replace(`${out}${suffix}.map`, `${out}.map`));
    await rename(`${dist}${out}${suffix}.map`, `${dist}${out}.map`);
    await rename(`${dist}${out}${suffix}`, `${dist}${out}`);
  }
  const meta = {
    root: ROOT,
    node: process.versions.node.split(".")[0],
    outputs: Object.keys(entries),
    inputs: [...inputs].sort().map((file) => {
      const s = statSync(`${ROOT}${file}`);
      return [file, s.size, s.mtimeMs];
    }),
  };
  await writeFile(`${dist}${META}${suffix}`, JSON.stringify(meta));
  await rename(`${dist}${META}${suffix}`, `${dist}${META}`);
  return (performance.now() - t0) / 1000;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const seconds = await buildBundles();
  process.stdout.write(`gridlink: built ${relative(process.cwd(), DIST) || "."} in ${seconds.toFixed(1)} s\n`);
}
