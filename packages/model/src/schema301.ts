// Validation against the OpenADR 3.0.1 schemas, for the 3.0.1 binding that serves older VENs and
// BLs beside 3.1.0 (docs/mappings/oadr301.md). The YAML in ../spec/3.0.1 is an unedited copy of
// shared/spec/openadr3/3.0.1/openadr3.yaml. Its own validators (openapi-schema.ts), so that the
// two versions' components (same names, different shapes) never meet.
import { fileURLToPath } from "node:url";
import type { ValidateFunction } from "ajv";
import { type FieldError, type Json, SpecValidators } from "./openapi-schema.ts";

export const SPEC301_PATH = fileURLToPath(new URL("../spec/3.0.1/openadr3.yaml", import.meta.url));

function lenient(schemas: Json): void {
  // Lenient, as for 3.1 (docs/deviations.md): starts written as "0001-01-01" (a date) or without
  // an offset are accepted; the 3.0.1 examples also use them.
  schemas.dateTime.format = "oadr-date-time";
  // `notification.object` is a oneOf of six schemas that differ mostly by objectType; a program
  // also satisfies `resource`'s few requirements, so oneOf rejects valid bodies: anyOf decides.
  schemas.notification.properties.object.anyOf = schemas.notification.properties.object.oneOf;
  delete schemas.notification.properties.object.oneOf;
}

const spec301 = new SpecValidators("oadr301", SPEC301_PATH, lenient);

/** The OpenADR 3.0.1 OpenAPI document, parsed once. Callers must not mutate it. */
export function openadr301Spec(): Json {
  return spec301.document();
}

/** The compiled validator for one named schema of the 3.0.1 components.schemas. */
export function validator301For(name: string): ValidateFunction {
  return spec301.validatorFor(name);
}

/** Validates `value` against a named 3.0.1 schema; returns the field errors (empty when valid). */
export function validate301(name: string, value: unknown, root = "body"): FieldError[] {
  return spec301.validate(name, value, root);
}
