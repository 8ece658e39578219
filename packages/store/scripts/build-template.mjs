// Builds dist/pglite-template.tar.gz: a data directory initialised once by PGlite's initdb, with the settings the
// embedded layer uses, that Database.layerEmbedded unpacks into each new data directory instead of running initdb.
// Runs after tsup (`npm run build`). The template code (src/internal/template.ts) is bundled on the fly, with node-tar
// inside: the bundle lives in a temporary directory, where no node_modules is found.
import { PGlite } from "@electric-sql/pglite"
import { build } from "tsup"
import * as NodeFs from "node:fs/promises"
import { createRequire } from "node:module"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const packageDir = NodePath.resolve(NodePath.dirname(fileURLToPath(import.meta.url)), "..")
const work = await NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "stalkeer-template-build-"))
try {
  const started = Date.now()
  const bundleDir = NodePath.join(work, "bundle")
  await build({
    entry: { template: NodePath.join(packageDir, "src/internal/template.ts") },
    outDir: bundleDir,
    format: ["esm"],
    outExtension: () => ({ js: ".mjs" }),
    platform: "node",
    target: "node20",
    noExternal: [/./],
    config: false,
    dts: false,
    sourcemap: false,
    silent: true
  })
  const Template = await import(pathToFileURL(NodePath.join(bundleDir, "template.mjs")).href)

  const version = Template.pgliteVersion(createRequire(import.meta.url).resolve("@electric-sql/pglite"))
  const dataDir = NodePath.join(work, "data")
  const db = await PGlite.create({ dataDir, initDbStartParams: [...Template.initdbParams] })
  await db.close()

  const out = NodePath.join(packageDir, "dist", Template.TEMPLATE_FILE)
  await NodeFs.mkdir(NodePath.dirname(out), { recursive: true })
  await Template.pack(dataDir, `${out}.partial`, Template.expectedMeta(version))
  await NodeFs.rename(`${out}.partial`, out)
  const { size } = await NodeFs.stat(out)
  console.log(
    `pglite template: ${NodePath.relative(packageDir, out)} (PGlite ${version}, ${(size / 1e6).toFixed(1)} MB, ${
      ((Date.now() - started) / 1000).toFixed(1)
    } s)`
  )
} finally {
  await NodeFs.rm(work, { recursive: true, force: true })
}
