#!/usr/bin/env node
// Proves every library is independently publishable: `npm pack` it, install the tarball (with its peers and the
// tarballs of the @stalkeer packages it depends on) into a fresh project outside the workspace, then import it
// as ESM and type-check a consumer against its published .d.ts. Run after `npm run build`.
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const root = new URL("..", import.meta.url).pathname
const work = mkdtempSync(join(tmpdir(), "stalkeer-pack-"))
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" })

const libs = readdirSync(join(root, "packages"))
  .map((dir) => ({ dir: join(root, "packages", dir), pkg: JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")) }))
const tarballs = new Map()
for (const { dir, pkg } of libs) {
  const out = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], dir))
  tarballs.set(pkg.name, join(work, out[0].filename))
  const files = out[0].files.map((f) => f.path)
  for (const required of ["package.json", "dist/index.js", "dist/index.d.ts"]) {
    if (!files.includes(required)) throw new Error(`${pkg.name}: the tarball lacks ${required}`)
  }
  if (files.some((f) => f.startsWith("src/") || f.startsWith("test/"))) throw new Error(`${pkg.name}: the tarball ships sources or tests`)
}

let failures = 0
for (const { pkg } of libs) {
  const project = mkdtempSync(join(work, "consumer-"))
  const deps = { [pkg.name]: tarballs.get(pkg.name), "@types/node": "^20.19.0", typescript: "~5.9.3" }
  for (const [name, range] of Object.entries({ ...pkg.peerDependencies, ...pkg.dependencies })) {
    deps[name] = tarballs.get(name) ?? range.replace(/^\^/, "")
  }
  // @effect/sql-pg's own declarations import `pg`, whose types live in @types/pg: a TypeScript consumer adds it.
  if (JSON.stringify(deps).includes("@stalkeer/store") || deps["@effect/sql-pg"]) deps["@types/pg"] = "^8.11.0"
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: deps }))
  writeFileSync(join(project, "index.mjs"), `import * as lib from ${JSON.stringify(pkg.name)}\nconst names = Object.keys(lib)\nif (names.length === 0) throw new Error("no exports")\nconsole.log(names.join(","))\n`)
  writeFileSync(join(project, "check.ts"), `import * as lib from ${JSON.stringify(pkg.name)}\nexport const names: Array<string> = Object.keys(lib)\n`)
  writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, noEmit: true, skipLibCheck: false, types: ["node"] }, files: ["check.ts"] }))
  try {
    run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], project)
    const exports = run("node", ["index.mjs"], project).trim()
    for (const sub of Object.keys(pkg.exports).filter((k) => k !== "." && k !== "./package.json")) {
      run("node", ["--input-type=module", "-e", `await import(${JSON.stringify(pkg.name + sub.slice(1))})`], project)
    }
    run(join(project, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"], project)
    console.log(`ok  ${pkg.name}: imports and type-checks from a packed tarball (exports: ${exports})`)
  } catch (error) {
    failures++
    console.error(`FAIL ${pkg.name}: ${String(error.stderr || error.stdout || error.message).trim().split("\n").slice(0, 15).join("\n")}`)
  }
}
rmSync(work, { recursive: true, force: true })
process.exit(failures === 0 ? 0 : 1)
