// The console is built once (npm install runs it) into dist/, which the VTN serves at /console.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  base: "/console/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
  server: {
    // `npm run dev -w packages/console` against a VTN on :8080 (same-origin API calls).
    proxy: { "/openadr3": "http://127.0.0.1:8080" },
  },
});
