// Validation against the spec's own schemas. The YAML in ../spec is an unedited copy of
// shared/spec/openadr3/3.1.0/openadr3.yaml; the few lenient places are applied here, in code,
// and listed in docs/deviations.md. The OpenAPI-to-JSON-Schema conversion is openapi-schema.ts.
import { fileURLToPath } from "node:url";
import type { ValidateFunction } from "ajv";
import { type FieldError, type Json, SpecValidators } from "./openapi-schema.ts";

export { describeErrors, type FieldError } from "./openapi-schema.ts";

export const SPEC_PATH = fileURLToPath(new URL("../spec/openadr3.yaml", import.meta.url));

/** Our lenient spots on the 3.1.0 components (docs/deviations.md). */
function lenient(schemas: Json): void {
  // - the User Guide itself writes starts as "0001-01-01" and "0001-01-01T00:00:00" (§7.3), which
  //   RFC 3339 date-time rejects: accept a date, or a date-time with or without an offset.
  schemas.dateTime.format = "oadr-date-time";
  // Known spec traps (DESIGN.md, docs/deviations.md):
  // - clients often omit eventPayloadDescriptor.objectType / reportPayloadDescriptor.objectType.
  for (const name of ["eventPayloadDescriptor", "reportPayloadDescriptor"]) {
    schemas[name].required = schemas[name].required.filter((r: string) => r !== "objectType");
  }
  // - the request discriminators objectType BL_VEN_REQUEST etc. are VTN-ignored metadata
  //   (Definition.md §POST and PUT); the caller's role decides which schema applies.
  for (const name of ["BlVenRequest", "VenVenRequest", "BlResourceRequest", "VenResourceRequest"]) {
    schemas[name].required = schemas[name].required.filter((r: string) => r !== "objectType");
    delete schemas[name].properties.objectType;
  }
  // - venID of a resource is taken from the body but may be given by BL only; VENs name their own ven.
  // - 3.1 ven/resource responses: allOf objectMetadata (objectType VEN) with the request schema.
}

const spec31 = new SpecValidators("oadr3", SPEC_PATH, lenient);

/** The OpenADR 3.1.0 OpenAPI document, parsed once. Callers must not mutate it. */
export function openadr3Spec(): Json {
  return spec31.document();
}

/** The compiled validator for one named schema of components.schemas. */
export function validatorFor(name: string): ValidateFunction {
  return spec31.validatorFor(name);
}

/** Whether the validator of a named schema is compiled already. */
export function isCompiled(name: string): boolean {
  return spec31.isCompiled(name);
}

/** Compiles these named schemas' validators in the background, one per turn (SpecValidators.warm). */
export function warmValidators(names: readonly string[]): () => void {
  return spec31.warm(names);
}

/** Compiles an ad-hoc JSON schema (e.g. a query) that may $ref the spec's components as `oadr3#/...`. */
export function compileSchema(schema: object): ValidateFunction {
  return spec31.instance().compile(schema);
}

/** Validates `value` against a named spec schema; returns the field errors (empty when valid). */
export function validate(name: string, value: unknown, root = "body"): FieldError[] {
  return spec31.validate(name, value, root);
}
