import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/bin.ts"],
  format: ["esm"],
  target: "node20",
  platform: "node",
  // One bundle (plus a chunk per lazily loaded command handler): loading the ~400 separate ESM files of effect,
  // @effect/* and the libraries cost ~1 s of start-up per command (resolution and file I/O per module). Everything
  // is bundled, so there is one copy of effect, except what must stay on disk as installed: PGlite (it loads its
  // WebAssembly and data files from its own directory) and the CommonJS PostgreSQL driver.
  noExternal: [/^(?!@electric-sql\/|pg$|pg-cursor$|pg-native$)/],
  external: [/^@electric-sql\//, "pg", "pg-cursor", "pg-native"],
  splitting: true,
  // The workspace libraries from their sources (their `@stalkeer/source` export), as the tests use them: the binary
  // never embeds a stale library build.
  esbuildOptions: (options) => {
    options.conditions = ["@stalkeer/source"]
  },
  // A capped old space: streaming keeps the live heap small (50-70 MB on a 200k-entry ingest), but uncapped V8 lets
  // garbage pile up to 350 MB (600 MB with the embedded database) before collecting it. 160 MB costs ~15-20 % of
  // speed on a first ingest (see BENCHMARKS.md). `env -S` passes the flag on Linux (coreutils ≥ 8.30) and macOS.
  // `require` for the CommonJS modules inside the bundle (undici, yaml) that load Node built-ins with it.
  banner: {
    js: [
      "#!/usr/bin/env -S node --max-old-space-size=160",
      "import { createRequire as __stalkeerCreateRequire } from \"node:module\"",
      "const require = __stalkeerCreateRequire(import.meta.url)"
    ].join("\n")
  },
  // Whitespace and syntax only, names kept (readable stack traces with STALKEER_DEBUG=1): less to parse at start-up.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  clean: true
})
