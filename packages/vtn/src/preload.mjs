// Modules that an entry point loads before it registers tsx's hooks (packages/cli/bin/gridlink.js).
// libxml2-wasm ships libxml2's WebAssembly inline in one 6 MB module (lib/libxml2raw.mjs); through
// tsx's load hook that module is parsed for dynamic imports, rewritten with a source map and kept
// in the hook thread's memory: about 150 MB of RSS and half a second of start-up (issue 13).
// Loaded here by Node's own loader first, the later imports from TypeScript resolve to the same
// URL and get this module instance from the cache, untouched by tsx.
import "libxml2-wasm";
import "libxml2-wasm/lib/nodejs.mjs";
