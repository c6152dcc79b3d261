/**
 * Seeded fault injection: the failures a client of Postmark must survive, drawn from a PRNG so that one
 * seed replays the same sequence of faults for the same sequence of requests.
 */

/** In the order they take their share of each draw. */
export const faultNames = ["429", "500", "503", "reset", "lost-create"] as const;

/**
 * - `429`: rate limited (Retry-After only on some answers, as Postmark does not promise it)
 * - `500`: Postmark-side error
 * - `503`: planned maintenance (ErrorCode 100)
 * - `reset`: the connection is destroyed before the request is processed
 * - `lost-create`: POST /servers only: the server is created, then the connection is destroyed unanswered
 */
export type FaultName = (typeof faultNames)[number];

/** The probability of each fault per request, from 0 to 1; together at most 1. */
export type FaultRates = Partial<Record<FaultName, number>>;

/** Parses "429:0.2,500:0.05,reset:0.05" (or checks an object of rates); throws naming the bad part. */
export function parseFaults(spec: string | FaultRates): FaultRates {
  const pairs: [string, unknown][] =
    typeof spec === "string"
      ? spec
          .split(",")
          .map((part) => part.trim())
          .filter((part) => part !== "")
          .map((part) => {
            const [name, rate, extra] = part.split(":").map((s) => s.trim());
            if (rate === undefined || extra !== undefined || rate === "") throw new Error(`"${part}" is not NAME:RATE`);
            return [name, Number(rate)];
          })
      : Object.entries(spec ?? {});
  const rates: FaultRates = {};
  for (const [name, rate] of pairs) {
    if (!(faultNames as readonly string[]).includes(name)) throw new Error(`unknown fault "${name}" (known: ${faultNames.join(", ")})`);
    if (typeof rate !== "number" || !(rate >= 0 && rate <= 1)) throw new Error(`the rate of "${name}" must be a number from 0 to 1`);
    rates[name as FaultName] = rate;
  }
  const total = Object.values(rates).reduce((sum, rate) => sum + rate, 0);
  if (total > 1 + 1e-9) throw new Error(`the rates add up to ${total}, more than 1`);
  return rates;
}

/** mulberry32: a tiny, well-mixed 32-bit PRNG; the same seed always gives the same numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One draw per request, whatever the rates, so that a request's fault depends only on its place in the
 * sequence. lost-create takes its share of every draw but only strikes a create.
 */
export function drawFault(rates: FaultRates, random: () => number, isCreate: boolean): FaultName | null {
  let r = random();
  for (const name of faultNames) {
    const rate = rates[name] ?? 0;
    if (r < rate) return name === "lost-create" && !isCreate ? null : name;
    r -= rate;
  }
  return null;
}
