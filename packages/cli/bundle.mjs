// Whether the built bundles in dist/ (build.mjs) are those of the sources as they are now, so that
// bin/gridlink.js may run them instead of the TypeScript through tsx. Plain JavaScript without
// dependencies: it runs before anything else is loaded.
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

export const DIST = fileURLToPath(new URL("./dist/", import.meta.url));
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const META = "bundle.json";

/**
 * The file URL of `dist/<name>` when dist/bundle.json says it was built from this very tree (the
 * same root, every input file of the same size and modification time, the same Node major), else
 * undefined: a bundle holds absolute paths and each source's own location, so a moved or edited
 * tree must build again.
 */
export function freshBundle(name, dist = DIST) {
  let meta;
  try {
    meta = JSON.parse(readFileSync(`${dist}${META}`, "utf8"));
  } catch {
    return undefined;
  }
  if (meta.root !== ROOT || meta.node !== process.versions.node.split(".")[0] || !meta.outputs?.includes(name))
    return undefined;
  for (const [file, size, mtimeMs] of meta.inputs) {
    try {
      const s = statSync(`${ROOT}${file}`);
      if (s.size !== size || s.mtimeMs !== mtimeMs) return undefined;
    } catch {
      return undefined;
    }
  }
  return pathToFileURL(`${dist}${name}`).href;
}
