export * as Classification from "./Classification.js"
export * as Classifier from "./Classifier.js"
export * as ClassifierError from "./ClassifierError.js"
export * as ClassifierService from "./ClassifierService.js"
