import { defineConfig } from "tsup"

/** The build of every library: ESM for Node 20 with declarations and source maps. */
export const library = (entry: ReadonlyArray<string>) =>
  defineConfig({
    entry: [...entry],
    format: ["esm"],
    target: "node20",
    platform: "node",
    // tsup's dts step cannot use the composite, project-referenced tsconfig (TS6307).
    dts: { compilerOptions: { composite: false, incremental: false, customConditions: [] } },
    sourcemap: true,
    clean: true
  })
