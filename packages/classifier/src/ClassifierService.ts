/**
 * The classifier as an Effect service, with configurable rules validated once at construction.
 *
 * Rules stay small on purpose:
 * - `groupKinds`: group-title patterns that decide the kind (`{ pattern: "^KIDS", kind: "series" }`); with
 *   `override: true` a rule beats the URL path and `tvg-type`, otherwise it only beats the built-in group guess.
 * - `languageCodes`: extra prefix codes providers use (`{ "VL": "nl" }`), upper-case code → ISO 639-1.
 */
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { Classification, ClassifyInput, Kind } from "./Classification.js"
import * as Classifier from "./Classifier.js"
import { ClassifierError } from "./ClassifierError.js"

/** Rules as configured (strings), before validation. */
export interface RulesConfig {
  readonly groupKinds?: ReadonlyArray<{
    readonly pattern: string
    /** RegExp flags; default `"iu"`. */
    readonly flags?: string | undefined
    readonly kind: string
    readonly override?: boolean | undefined
  }> | undefined
  readonly languageCodes?: Readonly<Record<string, string>> | undefined
}

export interface Service {
  /** The validated rules the service classifies with. */
  readonly rules: Classifier.Rules
  readonly classify: (input: ClassifyInput) => Effect.Effect<Classification>
  /** Same as `classify`, synchronously: for hot loops over a whole playlist (no Effect per entry). */
  readonly classifySync: (input: ClassifyInput) => Classification
  readonly normalizeTitle: (title: string) => string
}

export class ClassifierService extends Context.Tag("@stalkeer/classifier/ClassifierService")<ClassifierService, Service>() {}

const KINDS: ReadonlySet<string> = new Set<Kind>(["movie", "series", "live", "unknown"])
const CODE = /^[A-Z0-9+]{2,6}$/
const ISO = /^[a-z]{2}$/

/** Validates configured rules into the compiled form `Classifier.classify` takes. */
export const compileRules = (config: RulesConfig): Effect.Effect<Classifier.Rules, ClassifierError> =>
  Effect.gen(function*() {
    const groupKinds: Array<Classifier.GroupKindRule> = []
    const rules = config.groupKinds ?? []
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!
      const name = `groupKinds[${i}]`
      if (!KINDS.has(r.kind)) {
        return yield* new ClassifierError({ reason: "InvalidRule", rule: `${name}.kind ${JSON.stringify(r.kind)}`, detail: "expected movie, series, live or unknown" })
      }
      const pattern = yield* Effect.try({
        try: () => new RegExp(r.pattern, r.flags ?? "iu"),
        catch: (cause) => new ClassifierError({ reason: "InvalidRule", rule: `${name}.pattern ${JSON.stringify(r.pattern)}`, cause })
      })
      groupKinds.push({ pattern, kind: r.kind as Kind, override: r.override === true })
    }
    let languageCodes: Map<string, string> | null = null
    for (const [code, lang] of Object.entries(config.languageCodes ?? {})) {
      if (!CODE.test(code) || !ISO.test(lang)) {
        return yield* new ClassifierError({ reason: "InvalidRule", rule: `languageCodes ${JSON.stringify(code)}: ${JSON.stringify(lang)}`, detail: "expected an upper-case code mapped to a lower-case ISO 639-1 code" })
      }
      languageCodes ??= new Map()
      languageCodes.set(code, lang)
    }
    return { groupKinds, languageCodes }
  })

export const make = (config: RulesConfig = {}): Effect.Effect<Service, ClassifierError> =>
  Effect.map(compileRules(config), (rules) => {
    const classifySync = (input: ClassifyInput): Classification => Classifier.classify(input, rules)
    return {
      rules,
      classify: Effect.fn("ClassifierService.classify")(function*(input: ClassifyInput) {
        return classifySync(input)
      }),
      classifySync,
      normalizeTitle: Classifier.normalizeTitle
    }
  })

export const layer = (config: RulesConfig = {}): Layer.Layer<ClassifierService, ClassifierError> =>
  Layer.effect(ClassifierService, make(config))

export const layerConfig = (
  config: Config.Config.Wrap<RulesConfig>
): Layer.Layer<ClassifierService, ClassifierError | ConfigError.ConfigError> =>
  Layer.effect(ClassifierService, Effect.flatMap(Config.unwrap(config), make))

/** The built-in rules only. */
export const layerDefault: Layer.Layer<ClassifierService> = Layer.effect(
  ClassifierService,
  Effect.orDie(make({}))
)
