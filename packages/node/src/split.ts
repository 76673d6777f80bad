// How a bound on the whole fleet becomes one bound per member (the operator's split policy in the
// node config). Pure. "proportional" is the CEMS virtual resource's rule (cems aggregator.ts
// splitUpper: each member gives way in proportion to how far it can go down), now applied to
// members across the network; "merit" takes the reduction from the cheapest members first;
// "equal" asks the same reduction of every member. Every policy keeps the sum of the shares
// equal to the limit while the limit lies between the members' minima and maxima.
import { type NetFlex, splitUpper } from "@gridlink/cems";

export type SplitPolicy = "proportional" | "merit" | "equal";
export const SPLIT_POLICIES: readonly SplitPolicy[] = ["proportional", "merit", "equal"];

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** The room above the preferred sum, shared like cems splitUpper does (by headroom, else equally). */
function shareRoom(limit: number, members: readonly NetFlex[]): number[] {
  return splitUpper(limit, members);
}

/** Takes `reduction` from the members in `order`, each down to its minimum at most. */
function meritCut(reduction: number, members: readonly NetFlex[], order: readonly number[]): number[] {
  const out = members.map((m) => m.preferred);
  let left = reduction;
  for (const i of order) {
    const give = Math.min(left, members[i].preferred - members[i].min);
    out[i] -= give;
    left -= give;
    if (left <= 1e-12) break;
  }
  return out;
}

/** The same reduction of every member; what one cannot give is shared by those that still can. */
function equalCut(reduction: number, members: readonly NetFlex[]): number[] {
  const out = members.map((m) => m.preferred);
  let left = reduction;
  let open = members.map((_, i) => i).filter((i) => members[i].preferred > members[i].min);
  while (left > 1e-12 && open.length > 0) {
    const each = left / open.length;
    const next: number[] = [];
    for (const i of open) {
      const give = Math.min(each, out[i] - members[i].min);
      out[i] -= give;
      left -= give;
      if (out[i] - members[i].min > 1e-12) next.push(i);
    }
    open = next;
  }
  return out;
}

/**
 * Upper bounds per member whose sum is `limit` (an import limit, or a dispatch setpoint on the
 * net). `costs` rank members for "merit" (cheapest gives way first; ties by position).
 */
export function splitUpperBy(
  policy: SplitPolicy,
  limit: number,
  members: readonly NetFlex[],
  costs: readonly number[] = [],
): number[] {
  if (members.length === 0) return [];
  const pref = sum(members.map((m) => m.preferred));
  if (policy === "proportional") return splitUpper(limit, members);
  if (limit >= pref)
    return policy === "equal"
      ? members.map((m) => m.preferred + (limit - pref) / members.length)
      : shareRoom(limit, members);
  if (limit <= sum(members.map((m) => m.min))) return members.map((m) => m.min);
  if (policy === "equal") return equalCut(pref - limit, members);
  const order = members.map((_, i) => i).sort((a, b) => (costs[a] ?? 0) - (costs[b] ?? 0) || a - b);
  return meritCut(pref - limit, members, order);
}

/** Lower bounds per member whose sum is `limit` (the net kept at or above it): splitUpperBy mirrored. */
export function splitLowerBy(
  policy: SplitPolicy,
  limit: number,
  members: readonly NetFlex[],
  costs: readonly number[] = [],
): number[] {
  return splitUpperBy(
    policy,
    -limit,
    members.map((m) => ({ min: -m.max, max: -m.min, preferred: -m.preferred })),
    costs,
  ).map((x) => -x);
}
