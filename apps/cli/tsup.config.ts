import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/bin.ts"],
  format: ["esm"],
  target: "node20",
  platform: "node",
  // A capped old space: streaming keeps the live heap small (50-70 MB on a 200k-entry ingest), but uncapped V8 lets
  // garbage pile up to 350 MB (600 MB with the embedded database) before collecting it. 160 MB costs ~15-20 % of
  // speed on a first ingest (see BENCHMARKS.md). `env -S` passes the flag on Linux (coreutils ≥ 8.30) and macOS.
  banner: { js: "#!/usr/bin/env -S node --max-old-space-size=160" },
  sourcemap: true,
  clean: true
})
