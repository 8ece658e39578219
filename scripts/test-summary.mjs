#!/usr/bin/env node
// Sums the JSON results vitest wrote in every project and prints the closing line CI reads: "N passed, N failed".
//   node scripts/test-summary.mjs                 sum the projects' .vitest-results.json
//   node scripts/test-summary.mjs --save F        ... and also write the totals to F
//   node scripts/test-summary.mjs --total F...    print the sum of saved totals
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"

const args = process.argv.slice(2)
const line = (t) => `${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ""}`

if (args[0] === "--total") {
  const t = { passed: 0, failed: 0, skipped: 0 }
  for (const f of args.slice(1)) {
    const s = JSON.parse(readFileSync(f, "utf8"))
    t.passed += s.passed, t.failed += s.failed, t.skipped += s.skipped
  }
  console.log(line(t))
  process.exit(t.failed > 0 || t.passed === 0 ? 1 : 0)
}

const root = new URL("..", import.meta.url).pathname
const t = { passed: 0, failed: 0, skipped: 0 }
for (const dir of ["packages", "apps"]) {
  for (const name of readdirSync(join(root, dir))) {
    const file = join(root, dir, name, ".vitest-results.json")
    if (!existsSync(file)) continue
    const r = JSON.parse(readFileSync(file, "utf8"))
    const skipped = r.numPendingTests + (r.numTodoTests ?? 0)
    t.passed += r.numPassedTests, t.failed += r.numFailedTests, t.skipped += skipped
    console.log(`  ${dir}/${name}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`)
  }
}
if (args[0] === "--save") writeFileSync(args[1], JSON.stringify(t))
console.log(line(t))
process.exit(t.failed > 0 || t.passed === 0 ? 1 : 0)
