// Validation against the spec's own schemas. The YAML in ../spec is an unedited copy of
// shared/spec/openadr3/3.1.0/openadr3.yaml; the few lenient places are applied here, in code,
// and listed in docs/deviations.md.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export const SPEC_PATH = fileURLToPath(new URL("../spec/openadr3.yaml", import.meta.url));

// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is untyped JSON
type Json = any;

let spec: Json | undefined;
/** The OpenADR 3.1.0 OpenAPI document, parsed once. Callers must not mutate it. */
export function openadr3Spec(): Json {
  spec ??= parse(readFileSync(SPEC_PATH, "utf8"));
  return spec;
}

/** A validation failure, with the JSON path of the offending value. */
export interface FieldError {
  path: string;
  message: string;
}

/** Converts the OpenAPI 3.0 schema dialect into JSON Schema that ajv compiles, with our lenient spots. */
function jsonSchemaComponents(): Json {
  const schemas = structuredClone(openadr3Spec().components.schemas);
  const strip = (node: Json): void => {
    if (Array.isArray(node)) {
      for (const n of node) strip(n);
      return;
    }
    if (node === null || typeof node !== "object") return;
    // discriminator is only a hint; the anyOf/oneOf branches already decide.
    delete node.discriminator;
    delete node.example;
    // `nullable` is OpenAPI 3.0; JSON Schema spells it as a type union.
    if (node.nullable === true) {
      delete node.nullable;
      if (typeof node.type === "string") node.type = [node.type, "null"];
      else if (node.$ref || node.oneOf || node.anyOf) {
        const inner = { ...node };
        for (const k of Object.keys(node)) delete node[k];
        node.anyOf = [{ type: "null" }, inner];
      }
    }
    // OpenAPI 3.0 writes exclusiveMaximum/Minimum as a flag on maximum/minimum (problem.status);
    // JSON Schema draft 7 wants the bound itself.
    for (const [flag, bound] of [
      ["exclusiveMaximum", "maximum"],
      ["exclusiveMinimum", "minimum"],
    ] as const) {
      if (typeof node[flag] !== "boolean") continue;
      if (node[flag]) node[flag] = node[bound];
      else delete node[flag];
      if (node[flag] !== undefined) delete node[bound];
    }
    for (const v of Object.values(node)) strip(v);
  };
  strip(schemas);
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
  return schemas;
}

const OADR_DATE_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])([Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)?)?$/;

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function ajvInstance(): Ajv {
  if (ajv) return ajv;
  ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false, useDefaults: false });
  addFormats(ajv);
  ajv.addFormat("oadr-date-time", OADR_DATE_TIME);
  ajv.addSchema({ $id: "oadr3", components: { schemas: jsonSchemaComponents() } });
  return ajv;
}

/** The compiled validator for one named schema of components.schemas. */
export function validatorFor(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    v = ajvInstance().compile({ $ref: `oadr3#/components/schemas/${name}` });
    compiled.set(name, v);
  }
  return v;
}

/** Compiles an ad-hoc JSON schema (e.g. a query) that may $ref the spec's components as `oadr3#/...`. */
export function compileSchema(schema: object): ValidateFunction {
  return ajvInstance().compile(schema);
}

export function describeErrors(errors: ErrorObject[] | null | undefined, root: string): FieldError[] {
  return (errors ?? []).map((e) => {
    let path = root + e.instancePath.replace(/\//g, ".");
    if (e.keyword === "required") path += `.${(e.params as { missingProperty: string }).missingProperty}`;
    if (e.keyword === "additionalProperties")
      path += `.${(e.params as { additionalProperty: string }).additionalProperty}`;
    return { path, message: e.message ?? e.keyword };
  });
}

/** Validates `value` against a named spec schema; returns the field errors (empty when valid). */
export function validate(name: string, value: unknown, root = "body"): FieldError[] {
  const v = validatorFor(name);
  return v(value) ? [] : describeErrors(v.errors, root);
}
