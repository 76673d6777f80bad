// OpenAPI 3.0 schemas (the OpenADR YAMLs) as JSON Schema that ajv compiles, shared by the 3.1.0
// validator (schema.ts) and the 3.0.1 one (schema301.ts). Each version applies its own lenient
// spots on top (docs/deviations.md); the dialect conversion itself is written once here.
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";
import { isRealDateTime } from "./time/datetime.ts";
import { parseDuration } from "./time/duration.ts";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is untyped JSON
export type Json = any;

/** A validation failure, with the JSON path of the offending value. */
export interface FieldError {
  path: string;
  message: string;
}

/** Converts one OpenAPI 3.0 schema tree into JSON Schema, in place. */
export function toJsonSchema(node: Json): void {
  if (Array.isArray(node)) {
    for (const n of node) toJsonSchema(n);
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
  // OpenAPI 3.0 (draft 4) writes exclusiveMaximum/Minimum as a flag beside maximum/minimum
  // (problem.status); JSON Schema draft 7 wants the bound itself.
  for (const [flag, bound] of [
    ["exclusiveMaximum", "maximum"],
    ["exclusiveMinimum", "minimum"],
  ] as const) {
    if (typeof node[flag] !== "boolean") continue;
    if (node[flag]) node[flag] = node[bound];
    else delete node[flag];
    if (node[flag] !== undefined) delete node[bound];
  }
  for (const v of Object.values(node)) toJsonSchema(v);
}

/**
 * Starts as the User Guide writes them (§7.3: "0001-01-01", "0001-01-01T00:00:00"), which RFC
 * 3339 date-time rejects: a date, or a date-time with or without an offset.
 */
export const OADR_DATE_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])([Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)?)?$/;

/** One version's validators over its YAML: the document parsed once, schemas compiled on first use. */
export class SpecValidators {
  private spec?: Json;
  private ajv?: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(
    /** The Ajv schema id the components live under, e.g. "oadr3". */
    readonly id: string,
    private readonly path: string,
    /** The version's lenient spots, applied to the converted components. */
    private readonly lenient: (schemas: Json) => void,
  ) {}

  /** The OpenAPI document, parsed once. Callers must not mutate it. */
  document(): Json {
    this.spec ??= parse(readFileSync(this.path, "utf8"));
    return this.spec;
  }

  instance(): Ajv {
    if (this.ajv) return this.ajv;
    const schemas = structuredClone(this.document().components.schemas);
    toJsonSchema(schemas);
    this.lenient(schemas);
    const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false, useDefaults: false });
    addFormats(ajv);
    // Dates must exist and durations must stay in the range of dates (issue 15: "2023-02-30",
    // "T23:59:60Z", "P99999999D" were stored or were 500s): a bad one is a 400 naming its field.
    ajv.addFormat("oadr-date-time", (s: string) => OADR_DATE_TIME.test(s) && isRealDateTime(s));
    if (schemas.duration) schemas.duration.format = "oadr-duration";
    ajv.addFormat("oadr-duration", (s: string) => {
      try {
        parseDuration(s);
        return true;
      } catch {
        return false;
      }
    });
    ajv.addSchema({ $id: this.id, components: { schemas } });
    this.ajv = ajv;
    return ajv;
  }

  /** The compiled validator for one named schema of components.schemas. */
  validatorFor(name: string): ValidateFunction {
    let v = this.compiled.get(name);
    if (!v) {
      v = this.instance().compile({ $ref: `${this.id}#/components/schemas/${name}` });
      this.compiled.set(name, v);
    }
    return v;
  }

  /** Whether the validator of `name` is compiled already (warmValidators). */
  isCompiled(name: string): boolean {
    return this.compiled.has(name);
  }

  /**
   * Compiles the validators of `names` ahead of their first use, one per turn of the event loop
   * (the first also parses the spec and builds the Ajv instance), so that requests arriving
   * meanwhile wait for one compile at most. Returns a function that stops it.
   */
  warm(names: readonly string[]): () => void {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const next = (i: number) => {
      if (stopped || i >= names.length) return;
      this.validatorFor(names[i]);
      timer = setTimeout(() => next(i + 1), 0);
      timer.unref();
    };
    timer = setTimeout(() => next(0), 0);
    timer.unref();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  /** Validates `value` against a named schema; the field errors (empty when valid). */
  validate(name: string, value: unknown, root = "body"): FieldError[] {
    const v = this.validatorFor(name);
    return v(value) ? [] : describeErrors(v.errors, root);
  }
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
