import { adoptServerIdInput, normaliseValue, WritableField, writableFields } from "./serverFields";

/** The engine's placeholder for a value that is not known until another resource is created. */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The serialized provider, which the engine keeps among every dynamic resource's inputs. */
export const providerKey = "__provider";

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface CheckOutcome {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
}

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

function fieldProblem(field: WritableField, value: unknown): string | undefined {
  const given = `${field.input} is ${show(value)}`;
  switch (field.type) {
    case "boolean":
      return typeof value === "boolean" ? undefined : `${given}; it must be true or false`;
    case "string":
      if (typeof value !== "string") return `${given}; it must be a string`;
      return field.required && value.trim() === "" ? `${given}; it must not be empty` : undefined;
    case "url": {
      const problem = urlProblem(value);
      return problem && `${given}; ${problem}`;
    }
    case "integer":
    case "enum": {
      const allowed = field.allowed ?? [];
      const ok = allowed.includes(normaliseValue(field, value) as string | number);
      return ok ? undefined : `${given}; allowed values: ${allowed.join(", ")}`;
    }
  }
}

function urlProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return "it must be a string (an absolute http(s) URL, or \"\" for no hook)";
  if (value === "") return undefined;
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return undefined;
  } catch {
    // fall through: not a URL at all
  }
  return 'it must be an absolute http:// or https:// URL, or "" for no hook';
}

function adoptProblem(value: unknown): string | undefined {
  const ok = typeof value === "number" ? Number.isInteger(value) && value > 0 : /^[1-9][0-9]*$/.test(String(value));
  return ok ? undefined : `${adoptServerIdInput} is ${show(value)}; it must be the numeric ID of an existing Postmark server`;
}

const knownInputs = new Set([...writableFields.map((f) => f.input), adoptServerIdInput, providerKey]);

/**
 * Validates every declared input before any API call and reports all problems at once,
 * each naming the field, the value and what is allowed. Returns the inputs normalised
 * (enum case, adoptServerId as a number) so that later diffs compare like with like.
 */
export function checkInputs(news: Record<string, unknown>): CheckOutcome {
  const inputs: Record<string, unknown> = { ...news };
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });

  for (const key of Object.keys(news)) {
    if (!knownInputs.has(key)) fail(key, `${key} is not a PostmarkServer input; known inputs: ${[...knownInputs].slice(0, -1).join(", ")}`);
  }
  for (const field of writableFields) {
    const value = news[field.input];
    if (value === undefined || value === null) {
      delete inputs[field.input];
      if (field.required) fail(field.input, `${field.input} is required`);
      continue;
    }
    if (value === unknownValue) continue;
    const problem = fieldProblem(field, value);
    if (problem) fail(field.input, problem);
    else inputs[field.input] = normaliseValue(field, value);
  }
  const adopt = news[adoptServerIdInput];
  if (adopt === undefined || adopt === null) delete inputs[adoptServerIdInput];
  else if (adopt !== unknownValue) {
    const problem = adoptProblem(adopt);
    if (problem) fail(adoptServerIdInput, problem);
    else inputs[adoptServerIdInput] = Number(adopt);
  }
  return { inputs, failures };
}
