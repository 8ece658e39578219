export * as AtomicFile from "./AtomicFile.js"
export * as Retry from "./Retry.js"
