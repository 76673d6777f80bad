// The webhook echo check at subscription create and update (Definition.md §Webhooks): the VTN
// GETs callbackUrl?echo=<random>; the receiver must answer 200 with the value in its body, or the
// subscription is refused with 400 naming the callbackUrl. The URL policy (https, no private
// addresses) is checked first, so the VTN never probes an address it would not deliver to.
import { randomBytes } from "node:crypto";
import type { Subscription } from "@gridlink/model";
import { Invalid } from "../core/errors.ts";
import { CallbackRefused, checkAddress, checkScheme, type UrlPolicy } from "./address-guard.ts";
import type { WebhookSender } from "./webhook-sender.ts";

export function withEcho(url: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set("echo", value);
  return u.href;
}

/** Whether an answer body carries the echo: the bare value, or a JSON string or object holding it. */
export function echoes(body: string, value: string): boolean {
  const b = body.trim();
  return b === value || b === JSON.stringify(value) || b.includes(value);
}

export function echoCheck(sender: WebhookSender, policy: UrlPolicy): (s: Subscription) => Promise<void> {
  return async (s) => {
    const firstIndex = new Map<string, number>();
    s.objectOperations.forEach((op, i) => {
      if (!firstIndex.has(op.callbackUrl)) firstIndex.set(op.callbackUrl, i);
    });
    await Promise.all(
      [...firstIndex].map(async ([url, i]) => {
        const path = `body.objectOperations.${i}.callbackUrl`;
        const op = s.objectOperations[i];
        try {
          await checkAddress(checkScheme(url, policy), policy);
        } catch (err) {
          throw new Invalid(path, (err as Error).message);
        }
        const value = randomBytes(16).toString("base64url");
        let answer: { status: number; body: string };
        try {
          answer = await sender.get(
            withEcho(url, value),
            op.bearerToken ? { authorization: `Bearer ${op.bearerToken}` } : {},
          );
        } catch (err) {
          const why = err instanceof CallbackRefused ? err.message : describe(err);
          throw new Invalid(path, `${url} failed the echo check: ${why}`);
        }
        if (answer.status !== 200)
          throw new Invalid(
            path,
            `${url} failed the echo check: GET ?echo=... answered ${answer.status}, expected 200 with the echo value`,
          );
        if (!echoes(answer.body, value))
          throw new Invalid(
            path,
            `${url} failed the echo check: the answer to GET ?echo=... did not contain the echo value`,
          );
      }),
    );
  };
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === "ECONNREFUSED") return "connection refused";
  return e.message ?? String(err);
}
