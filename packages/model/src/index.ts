export {
  compileSchema,
  describeErrors,
  type FieldError,
  openadr3Spec,
  SPEC_PATH,
  validate,
  validatorFor,
} from "./schema.ts";
export * from "./targets.ts";
export * from "./time/index.ts";
export * from "./types.ts";
