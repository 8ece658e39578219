/**
 * What `stalkeer dryrun` does; loaded only when it runs (see `commands/Dryrun.ts`).
 */
import type * as Command from "@effect/cli/Command"
import { ClassifierRules, Credentials, Dryrun } from "@stalkeer/workflows"
import * as Chunk from "effect/Chunk"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as AppEnv from "../AppEnv.js"
import type * as Definitions from "../commands/Dryrun.js"
import * as Input from "../Input.js"
import * as Progress from "../Progress.js"
import * as Render from "../Render.js"

export const run = (args: Command.Command.ParseConfig<typeof Definitions.options>) =>
  Effect.gen(function*() {
    const settings = yield* AppEnv.config
    const credentials = Credentials.configured(settings.provider)
    const rules = yield* ClassifierRules.fromConfig(settings.classifier)
    const input = yield* Input.open(args.file)
    const progress = yield* Progress.make({ label: input.label, totalBytes: input.size })
    const summary = yield* Dryrun.run(Input.counted(input.stream, progress.addBytes), {
      limit: Option.getOrUndefined(args.limit),
      classify: rules.classify,
      onEntries: (entries) => {
        progress.addEntries(entries.length)
        return args.json && entries.length > 0 ? Console.log(Chunk.toReadonlyArray(entries).map((e) => JSON.stringify(Dryrun.toJson(e, credentials))).join("\n")) : Effect.void
      }
    })
    if (args.json) {
      // Keep stdout pure JSON lines; the summary goes to stderr.
      yield* Console.error(`${Render.number(summary.entries)} entries, ${Object.values(summary.warnings).reduce((a, b) => a + (b ?? 0), 0)} warnings`)
    } else {
      yield* Console.log(Render.dryrunSummary(input.label, summary))
    }
  }).pipe(Effect.scoped)
