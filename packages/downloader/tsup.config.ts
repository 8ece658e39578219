import { library } from "../../tsup.shared.js"

export default library(["src/index.ts", "src/Testing.ts", "src/Promise.ts"])
