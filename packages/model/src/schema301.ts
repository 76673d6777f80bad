// Validation against the OpenADR 3.0.1 schemas, for the 3.0.1 binding that serves older VENs and
// BLs beside 3.1.0 (docs/mappings/oadr301.md). The YAML in ../spec/3.0.1 is an unedited copy of
// shared/spec/openadr3/3.0.1/openadr3.yaml. A sibling of schema.ts with its own ajv instance, so
// that the two versions' components (same names, different shapes) never meet.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";
import { describeErrors, type FieldError } from "./schema.ts";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export const SPEC301_PATH = fileURLToPath(new URL("../spec/3.0.1/openadr3.yaml", import.meta.url));

// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is untyped JSON
type Json = any;

let spec: Json | undefined;
/** The OpenADR 3.0.1 OpenAPI document, parsed once. Callers must not mutate it. */
export function openadr301Spec(): Json {
  spec ??= parse(readFileSync(SPEC301_PATH, "utf8"));
  return spec;
}

/** OpenAPI 3.0 `nullable` spelled as JSON Schema, discriminator/example hints removed. */
function toJsonSchema(node: Json): void {
  if (Array.isArray(node)) {
    for (const n of node) toJsonSchema(n);
    return;
  }
  if (node === null || typeof node !== "object") return;
  delete node.discriminator;
  delete node.example;
  // OpenAPI 3.0 (draft 4) writes exclusive bounds as booleans beside maximum/minimum.
  for (const [flag, bound] of [
    ["exclusiveMaximum", "maximum"],
    ["exclusiveMinimum", "minimum"],
  ]) {
    if (typeof node[flag] !== "boolean") continue;
    if (node[flag]) node[flag] = node[bound];
    else delete node[flag];
    if (node[flag] !== undefined) delete node[bound];
  }
  if (node.nullable === true) {
    delete node.nullable;
    if (typeof node.type === "string") node.type = [node.type, "null"];
    else if (node.$ref || node.oneOf || node.anyOf) {
      const inner = { ...node };
      for (const k of Object.keys(node)) delete node[k];
      node.anyOf = [{ type: "null" }, inner];
    }
  }
  for (const v of Object.values(node)) toJsonSchema(v);
}

function components(): Json {
  const schemas = structuredClone(openadr301Spec().components.schemas);
  toJsonSchema(schemas);
  // Lenient, as for 3.1 (docs/deviations.md): starts written as "0001-01-01" (a date) or without
  // an offset are accepted; the 3.0.1 examples also use them.
  schemas.dateTime.format = "oadr-date-time";
  // `notification.object` is a oneOf of six schemas that differ mostly by objectType; a program
  // also satisfies `resource`'s few requirements, so oneOf rejects valid bodies: anyOf decides.
  schemas.notification.properties.object.anyOf = schemas.notification.properties.object.oneOf;
  delete schemas.notification.properties.object.oneOf;
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
  ajv.addSchema({ $id: "oadr301", components: { schemas: components() } });
  return ajv;
}

/** The compiled validator for one named schema of the 3.0.1 components.schemas. */
export function validator301For(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    v = ajvInstance().compile({ $ref: `oadr301#/components/schemas/${name}` });
    compiled.set(name, v);
  }
  return v;
}

/** Validates `value` against a named 3.0.1 schema; returns the field errors (empty when valid). */
export function validate301(name: string, value: unknown, root = "body"): FieldError[] {
  const v = validator301For(name);
  return v(value) ? [] : describeErrors(v.errors, root);
}
