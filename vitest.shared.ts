import { defaultServerConditions } from "vite"
import { defineConfig } from "vitest/config"

// Tests resolve sibling packages to their sources through the custom condition, so no build is needed first.
export default defineConfig({
  ssr: { resolve: { conditions: ["@stalkeer/source", ...defaultServerConditions] } },
  resolve: { conditions: ["@stalkeer/source"] },
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 120_000 }
})
