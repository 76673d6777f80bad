export * from "./types.ts";
export { openadr3Spec, validate, validatorFor, compileSchema, describeErrors, SPEC_PATH, type FieldError } from "./schema.ts";
export * from "./targets.ts";
export * from "./time/index.ts";
