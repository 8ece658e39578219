import { defineConfig } from "vitest/config"

// Tests resolve sibling packages to their sources through the custom condition, so no build is needed first.
// (vite's `defaultServerConditions` are spelled out: vite is nested under vitest and not importable from here.)
export default defineConfig({
  ssr: { resolve: { conditions: ["@stalkeer/source", "module", "node", "development|production"] } },
  resolve: { conditions: ["@stalkeer/source", "module", "node", "development|production"] },
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 120_000 }
})
