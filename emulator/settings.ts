/**
 * The emulator's behaviour settings: set at startup, changed while running through the admin API.
 * One table checks them for startEmulator, the CLI and PUT /__emulator/settings alike.
 */
import { FaultName, faultNames, FaultRates, parseFaults } from "./faults";

export interface EmulatorSettings {
  /** Probability of each injected fault per API request. */
  faults: FaultRates;
  /** Milliseconds added to every API request. */
  latencyMs: number;
  /**
   * Milliseconds between doing a write (POST, PUT, PATCH, DELETE) and answering it: the change is made, and seen by every
   * later request, before its client hears of it. The window in which a client killed mid-request leaves behind an
   * object it never learned of (or a delete it never saw done).
   */
  answerDelayMs: number;
  /** DELETE answers 422 ErrorCode 604, like an account without delete access. */
  deleteDisabled: boolean;
  /** Seed of the fault PRNG; a new seed restarts the sequence. */
  seed: number;
  /** Share of 429 answers that carry Retry-After. */
  retryAfterRate: number;
  /** The Retry-After value, in seconds. */
  retryAfterSeconds: number;
  /** A missing server: bare 404 with an empty body, or 422 with ErrorCode 601. */
  missingServer: "404" | "422";
  /**
   * Faults for the next API requests, one each, in order, before any random draw ("none" lets one
   * through): exact sequences for tests, e.g. ["reset", "none", "429"].
   */
  faultQueue: (FaultName | "none")[];
  /**
   * Faults for the next create requests only (the routes that make a resource), one each, in order, ahead of
   * faultQueue and random draws: tests that must strike the create whatever requests come before it.
   */
  createFaultQueue: (FaultName | "none")[];
}

export const defaultSettings: EmulatorSettings = {
  faults: {},
  latencyMs: 0,
  answerDelayMs: 0,
  deleteDisabled: false,
  seed: 1,
  retryAfterRate: 0.5,
  retryAfterSeconds: 1,
  missingServer: "404",
  faultQueue: [],
  createFaultQueue: [],
};

/** A setting given a value it cannot take; `expected` completes "must be ...". */
export class SettingError extends Error {
  constructor(
    readonly setting: keyof EmulatorSettings,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`${setting} must be ${expected}; got ${JSON.stringify(value)}`);
  }
}

const wholeNumber = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;

function faultList(value: unknown): (FaultName | "none")[] | { expected: string } {
  return Array.isArray(value) && value.every((v) => v === "none" || (faultNames as readonly unknown[]).includes(v))
    ? [...(value as (FaultName | "none")[])]
    : { expected: `a list of fault names (${faultNames.join(", ")}) or "none"` };
}

/** Each setting's check: the value to store, or a description of what it must be. */
const settingChecks: { [K in keyof EmulatorSettings]: (value: unknown) => EmulatorSettings[K] | { expected: string } } = {
  faults: (value) => {
    try {
      return parseFaults(value as string | FaultRates);
    } catch (error) {
      return { expected: `a list like "429:0.2,reset:0.05" (${(error as Error).message})` };
    }
  },
  latencyMs: (value) => (wholeNumber(value) ? (value as number) : { expected: "a whole number of milliseconds (0 or more)" }),
  answerDelayMs: (value) => (wholeNumber(value) ? (value as number) : { expected: "a whole number of milliseconds (0 or more)" }),
  deleteDisabled: (value) => (typeof value === "boolean" ? value : { expected: "true or false" }),
  seed: (value) => (Number.isInteger(value) ? (value as number) : { expected: "an integer" }),
  retryAfterRate: (value) => (typeof value === "number" && value >= 0 && value <= 1 ? value : { expected: "a number from 0 to 1" }),
  retryAfterSeconds: (value) => (wholeNumber(value) ? (value as number) : { expected: "a whole number of seconds (0 or more)" }),
  missingServer: (value) => (value === "404" || value === "422" ? value : { expected: '"404" or "422"' }),
  faultQueue: (value) => faultList(value),
  createFaultQueue: (value) => faultList(value),
};

export const settingNames = Object.keys(settingChecks) as (keyof EmulatorSettings)[];

/** Checks the settings present in `input` (others are ignored); throws SettingError on the first bad one. */
export function checkSettings(input: object): Partial<EmulatorSettings> {
  const checked: Record<string, unknown> = {};
  for (const name of settingNames) {
    const value = (input as Record<string, unknown>)[name];
    if (value === undefined) continue;
    const result = settingChecks[name](value);
    if (typeof result === "object" && result !== null && "expected" in result) throw new SettingError(name, value, result.expected as string);
    checked[name] = result;
  }
  return checked as Partial<EmulatorSettings>;
}
