import { describe, expect, it } from "vitest";
import { parseJsonLimited } from "../src/json.ts";

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
