// Notification bodies as VTNs send them, normalised to the 3.1 shape.
import { describe, expect, it } from "vitest";
import { camelKey, NotificationFormatError, parseNotification } from "../src/index.ts";

const event = {
  id: "e1",
  objectType: "EVENT",
  programID: "p1",
  createdDateTime: "2024-01-01T00:00:00Z",
  intervalPeriod: { start: "2024-01-01T00:00:00Z", duration: "PT1H", randomizeStart: "PT5M" },
  intervals: [{ id: 0, payloads: [{ type: "PRICE", values: [0.1] }] }],
};
const snakeEvent = {
  id: "e1",
  object_type: "EVENT",
  program_id: "p1",
  created_date_time: "2024-01-01T00:00:00Z",
  interval_period: { start: "2024-01-01T00:00:00Z", duration: "PT1H", randomize_start: "PT5M" },
  intervals: [{ id: 0, payloads: [{ type: "PRICE", values: [0.1] }] }],
};

describe("parseNotification", () => {
  it.each([
    ["a 3.1 body", { objectType: "EVENT", operation: "CREATE", object: event }],
    ["a JSON string", JSON.stringify({ objectType: "EVENT", operation: "CREATE", object: event })],
    ["a Buffer", Buffer.from(JSON.stringify({ objectType: "EVENT", operation: "CREATE", object: event }))],
    ["snake_case names", { object_type: "EVENT", operation: "CREATE", object: snakeEvent }],
    ["an object encoded twice", { object_type: "EVENT", operation: "POST", object: JSON.stringify(snakeEvent) }],
    ["a body encoded twice", JSON.stringify(JSON.stringify({ objectType: "event", operation: "post", object: event }))],
    ["no envelope objectType", { operation: "CREATE", object: event }],
  ])("reads %s", (_name, body) => {
    const n = parseNotification(body);
    expect(n.objectType).toBe("EVENT");
    expect(n.operation).toBe("CREATE");
    expect(n.object).toEqual(event);
  });

  it.each([
    ["PUT", "UPDATE"],
    ["UPDATE", "UPDATE"],
    ["DELETE", "DELETE"],
    ["GET", "READ"],
  ])("maps operation %s to %s", (op, want) => {
    expect(parseNotification({ objectType: "PROGRAM", operation: op, object: { id: "x" } }).operation).toBe(want);
  });

  it("keeps targets", () => {
    expect(
      parseNotification({ objectType: "EVENT", operation: "CREATE", object: event, targets: ["a"] }).targets,
    ).toEqual(["a"]);
  });

  it.each([
    ["not JSON", "{nope"],
    ["an array", []],
    ["no object", { objectType: "EVENT", operation: "CREATE" }],
    ["an unknown type", { objectType: "THING", operation: "CREATE", object: {} }],
    ["an unknown operation", { objectType: "EVENT", operation: "MERGE", object: {} }],
  ])("refuses %s with a clear error", (_name, body) => {
    expect(() => parseNotification(body)).toThrow(NotificationFormatError);
  });

  it.each([
    ["program_id", "programID"],
    ["created_date_time", "createdDateTime"],
    ["callback_url", "callbackUrl"],
    ["ven_id", "venID"],
    ["id", "id"],
    ["programID", "programID"],
    ["_private", "_private"],
  ])("camelKey(%s) = %s", (k, want) => expect(camelKey(k)).toBe(want));
});
