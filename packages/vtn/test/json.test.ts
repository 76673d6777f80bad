import { describe, expect, it } from "vitest";
import { withoutNulls } from "../src/bindings/oadr3/nulls.ts";
import { knownNullFree, parseJsonLimited } from "../src/json.ts";

describe("JSON bodies", () => {
  it.each([
    ['{"a":[1,{"b":[2]}]}', 4, { a: [1, { b: [2] }] }],
    ['{"s":"[[[[[[[[[[{{{{{{"}', 1, { s: "[[[[[[[[[[{{{{{{" }],
    ['{"s":"a \\" [[[[ quote"}', 1, { s: 'a " [[[[ quote' }],
    ["[]", 1, []],
    ["42", 0, 42],
  ])("accepts %s within depth %i", (text, depth, value) => {
    expect(parseJsonLimited(text, depth)).toEqual(value);
  });

  it.each([
    ['{"a":{"b":{"c":1}}}', 2, /nested deeper than 2 levels/],
    ['{"__proto__":{"admin":true}}', 32, /"__proto__" is not allowed/],
    ['{"x":[{"\\u005f_proto__":1}]}', 32, /"__proto__" is not allowed/],
    ['{"constructor":{"prototype":{}}}', 32, /"constructor" is not allowed/],
    ['{"a":', 32, /not valid JSON/],
  ])("refuses %s (depth %i)", (text, depth, message) => {
    expect(() => parseJsonLimited(text, depth)).toThrow(message);
  });
});

describe("null-free bodies (bindings/oadr3/nulls.ts skips its walk for them)", () => {
  it.each([
    ['{"a":[1,{"b":"nullable"}]}', false],
    ['{"a":[1,{"b":null}]}', false],
    ['{"a":[1,{"b":2}],"s":"x"}', true],
  ])("%s is known null-free: %s", (text, free) => {
    expect(knownNullFree(parseJsonLimited(text, 8))).toBe(free);
  });

  it("a body with a null property still loses it, one without is given back as it is", () => {
    const withNull = parseJsonLimited('{"a":{"b":null,"c":1}}', 8);
    expect(withoutNulls(withNull)).toEqual({ a: { c: 1 } });
    const without = parseJsonLimited('{"a":{"c":1}}', 8);
    expect(withoutNulls(without)).toBe(without);
  });
});
