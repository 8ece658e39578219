import { assert, describe, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import { ClassifierError } from "../src/ClassifierError.js"
import * as ClassifierService from "../src/ClassifierService.js"

const { ClassifierService: Tag } = ClassifierService

describe("ClassifierService", () => {
  it.effect("layerDefault classifies with the built-in rules", () =>
    Effect.gen(function*() {
      const svc = yield* Tag
      const r = yield* svc.classify({ name: "FR - Le Caire (2019) (FHD MULTI)", url: "http://h/movie/u/p/1.mkv" })
      assert.strictEqual(r.kind, "movie")
      assert.strictEqual(r.title, "Le Caire")
      assert.strictEqual(r.language, "fr")
      assert.strictEqual(svc.normalizeTitle("Fast & Furious"), "fast and furious")
    }).pipe(Effect.provide(ClassifierService.layerDefault)))

  it.effect("group rules decide the kind; override rules beat the URL", () =>
    Effect.gen(function*() {
      const svc = yield* Tag
      assert.strictEqual(svc.classifySync({ name: "Bluey", groupTitle: "KIDS ZONE" }).kind, "series")
      assert.strictEqual(svc.classifySync({ name: "Bluey", groupTitle: "KIDS ZONE", url: "http://h/movie/u/p/2.mp4" }).kind, "movie")
      assert.strictEqual(svc.classifySync({ name: "Radio 1", groupTitle: "RADIO", url: "http://h/movie/u/p/3.mp4" }).kind, "live")
    }).pipe(Effect.provide(ClassifierService.layer({
      groupKinds: [
        { pattern: "^KIDS", kind: "series" },
        { pattern: "^RADIO$", kind: "live", override: true }
      ]
    }))))

  it.effect("extra language codes are read as prefixes", () =>
    Effect.gen(function*() {
      const svc = yield* Tag
      const r = svc.classifySync({ name: "VL - De Zaak (2020)", url: "http://h/movie/u/p/1.mkv" })
      assert.strictEqual(r.title, "De Zaak")
      assert.strictEqual(r.language, "nl")
    }).pipe(Effect.provide(ClassifierService.layer({ languageCodes: { VL: "nl" } }))))

  it.effect("an invalid regex fails construction with a typed error naming the rule", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(ClassifierService.make({ groupKinds: [{ pattern: "(FILMS", kind: "movie" }] }))
      assert.isTrue(Exit.isFailure(exit))
      const error = yield* Effect.flip(ClassifierService.make({ groupKinds: [{ pattern: "(FILMS", kind: "movie" }] }))
      assert.instanceOf(error, ClassifierError)
      assert.strictEqual(error.reason, "InvalidRule")
      assert.strictEqual(error.rule, `groupKinds[0].pattern "(FILMS"`)
      assert.include(error.message, "Invalid classifier rule groupKinds[0].pattern")
    }))

  it.effect("an unknown kind or a bad language mapping is rejected", () =>
    Effect.gen(function*() {
      const bad = yield* Effect.flip(ClassifierService.make({ groupKinds: [{ pattern: "x", kind: "film" }] }))
      assert.strictEqual(bad.rule, `groupKinds[0].kind "film"`)
      const code = yield* Effect.flip(ClassifierService.make({ languageCodes: { VL: "Dutch" } }))
      assert.strictEqual(code.reason, "InvalidRule")
    }))

  it.effect("layerConfig reads rules from Config", () =>
    Effect.gen(function*() {
      const svc = yield* Tag
      assert.strictEqual(svc.rules.groupKinds.length, 1)
      assert.strictEqual(svc.classifySync({ name: "Bluey", groupTitle: "KIDS ZONE" }).kind, "series")
    }).pipe(Effect.provide(
      ClassifierService.layerConfig({
        groupKinds: Config.succeed([{ pattern: "^KIDS", kind: "series" }]),
        languageCodes: Config.succeed({})
      }).pipe(Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map()))))
    )))
})
