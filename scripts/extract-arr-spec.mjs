#!/usr/bin/env node
// Copies the operations the fake Radarr and the fake Sonarr serve out of their OpenAPI specs, with every component
// schema those operations reference (transitively), into the arr-client package's test fixtures, so that the
// contract test runs on a clean clone without the specs next to it.
//
//   node scripts/extract-arr-spec.mjs [path/to/contracts-folder]
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const contracts = process.argv[2] ?? path.resolve(root, "../shared/contracts")
const fixtures = path.join(root, "packages/arr-client/test/fixtures")

const common = {
  "/ping": ["get", "head"],
  "/api": ["get"],
  "/api/v3/system/status": ["get"],
  "/api/v3/wanted/missing": ["get"],
  "/api/v3/rootfolder": ["get"],
  "/api/v3/qualityprofile": ["get"],
  "/api/v3/config/naming": ["get"],
  "/api/v3/command": ["get", "post"],
  "/api/v3/command/{id}": ["get"]
}
const served = {
  radarr: { ...common, "/api/v3/movie": ["get"], "/api/v3/movie/{id}": ["get"] },
  sonarr: {
    ...common,
    "/api/v3/series": ["get"],
    "/api/v3/series/{id}": ["get"],
    "/api/v3/episode": ["get"],
    "/api/v3/episode/{id}": ["get"]
  }
}

/** Every `#/components/schemas/X` reachable from `value`, following references into the components. */
const referenced = (value, schemas, found = new Set()) => {
  if (Array.isArray(value)) {
    for (const item of value) referenced(item, schemas, found)
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string") {
        const name = /^#\/components\/schemas\/(.+)$/.exec(item)?.[1]
        if (name === undefined) throw new Error(`unsupported reference ${item}`)
        if (!found.has(name)) {
          if (schemas[name] === undefined) throw new Error(`${item} is not in the spec`)
          found.add(name)
          referenced(schemas[name], schemas, found)
        }
      } else {
        referenced(item, schemas, found)
      }
    }
  }
  return found
}

fs.mkdirSync(fixtures, { recursive: true })
for (const [app, operations] of Object.entries(served)) {
  const source = path.join(contracts, `${app}-v3.openapi.json`)
  const spec = JSON.parse(fs.readFileSync(source, "utf8"))
  const paths = Object.fromEntries(Object.entries(operations).map(([template, methods]) => {
    const item = spec.paths[template]
    if (item === undefined) throw new Error(`${template} is not in ${source}`)
    return [template, Object.fromEntries(methods.map((method) => {
      if (item[method] === undefined) throw new Error(`${method.toUpperCase()} ${template} is not in ${source}`)
      return [method, item[method]]
    }))]
  }))
  const names = [...referenced(paths, spec.components.schemas)].sort()
  const subset = {
    openapi: spec.openapi,
    info: {
      ...spec.info,
      "x-subset": `The operations the fake ${app[0].toUpperCase()}${app.slice(1)} of @stalkeer/arr-client serves, ` +
        `copied unchanged from ${path.basename(source)} (shared/contracts) with the component schemas they ` +
        "reference, by scripts/extract-arr-spec.mjs. Test data only."
    },
    ...(spec.security !== undefined ? { security: spec.security } : {}),
    paths,
    components: {
      schemas: Object.fromEntries(names.map((name) => [name, spec.components.schemas[name]])),
      ...(spec.components.securitySchemes !== undefined ? { securitySchemes: spec.components.securitySchemes } : {})
    }
  }
  const target = path.join(fixtures, `${app}-v3.subset.json`)
  fs.writeFileSync(target, `${JSON.stringify(subset, null, 1)}\n`)
  const count = Object.values(operations).flat().length
  console.log(`${target}: ${count} operations, ${names.length} schemas, ${fs.statSync(target).size} bytes`)
}
