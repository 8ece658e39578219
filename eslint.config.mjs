// Lint checks what tsc does not: package boundaries (Nx project tags), import cycles and a few correctness rules.
// No stylistic rules: formatting is not lint's job here. Unused variables are tsc's (noUnusedLocals).
import js from "@eslint/js"
import { createProjectGraphAsync } from "@nx/devkit"
import nx from "@nx/eslint-plugin"
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript"
import importX from "eslint-plugin-import-x"
import { defineConfig } from "eslint/config"
import tseslint from "typescript-eslint"

// The boundaries rule reads Nx's cached project graph and skips itself, with only a warning, when there is none (a
// fresh clone, as in CI). Building the graph here makes it always run, and on the tags as they are now.
await createProjectGraphAsync({ exitOnError: true })

export default defineConfig(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "**/out-tsc/**",
      "**/coverage/**",
      "**/.bench/**",
      "**/.nx/**",
      "**/*.d.ts",
      "tmp/**"
    ]
  },
  {
    files: ["**/*.{ts,mts,cts,js,mjs,cjs}"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    plugins: { "@nx": nx, "import-x": importX },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    settings: {
      // The files import-x follows an import into (its default is .js only); it parses them with typescript-eslint.
      "import-x/extensions": [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"],
      // Workspace packages resolve to their TypeScript source through the custom export condition, so cycles are
      // followed across packages before anything is built (CI lints before it builds).
      "import-x/resolver-next": [
        createTypeScriptImportResolver({
          conditionNames: ["@stalkeer/source", "types", "import", "node", "default"]
        })
      ]
    },
    rules: {
      // Apps may use libraries; libraries only libraries; a `standalone` library no other Stalkeer package at all.
      // `apps/api` is also a `type:server`: the CLI's `serve` starts it.
      // The rule also reports a cycle between projects.
      "@nx/enforce-module-boundaries": ["error", {
        allow: [],
        depConstraints: [
          { sourceTag: "type:app", onlyDependOnLibsWithTags: ["type:lib", "type:server"] },
          { sourceTag: "type:lib", onlyDependOnLibsWithTags: ["type:lib"] },
          { sourceTag: "standalone", onlyDependOnLibsWithTags: [] }
        ]
      }],
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      // tsc reports unused locals and parameters (noUnusedLocals) and undefined names.
      "@typescript-eslint/no-unused-vars": "off",
      "no-unused-vars": "off",
      "no-undef": "off",
      // `interface A extends Schema.Schema.Type<typeof A> {}` names a schema's type: the Effect idiom.
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
      // `Effect.fn(function*() { return x })` is the idiom for a traced effect that needs no yield.
      "require-yield": "off",
      // Style, not defects: `let` for a value not reassigned, `a || b` and comma-sequenced updates as statements.
      "prefer-const": "off",
      "@typescript-eslint/no-unused-expressions": "off"
    }
  },
  {
    // Build and test configs share the root's tsup/vitest presets, which belong to no project.
    files: ["**/tsup.config.ts", "**/vitest.config.ts"],
    rules: { "@nx/enforce-module-boundaries": "off" }
  }
)
