export * as AtomicFile from "./AtomicFile.js"
export * as HttpFailure from "./HttpFailure.js"
export * as Retry from "./Retry.js"
