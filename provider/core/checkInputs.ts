/**
 * Validates every declared input before any API call and reports all problems at once, each naming the
 * field, the value and what is allowed. Returns the inputs normalised (enum case, IDs as numbers) so that
 * later diffs compare like with like.
 */
import { ResourceDeclaration } from "./declaration";
import { Field, normaliseValue, show, unknownValue, valueProblems, Values } from "./fields";
import { providerKey, scopeAndAdoptInputs, serverScopeInputs } from "./state";

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface CheckOutcome {
  inputs: Values;
  failures: CheckFailure[];
}

const isWholeId = (value: unknown) => (typeof value === "number" ? Number.isInteger(value) && value > 0 : /^[1-9][0-9]*$/.test(String(value)));

export function checkInputs(declaration: ResourceDeclaration, olds: Values, news: Values): CheckOutcome {
  const inputs: Values = { ...news };
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  const scopeFields: Field[] = declaration.token === "server" ? Object.values(serverScopeInputs) : [];
  const { adopt } = declaration;
  const options = declaration.options ?? [];
  const known = [...declaration.fields.map((f) => f.input), ...scopeAndAdoptInputs(declaration)];

  for (const key of Object.keys(news)) {
    if (key !== providerKey && !known.includes(key)) fail(key, `${key} is not a ${declaration.kind} input; known inputs: ${known.join(", ")}`);
  }
  for (const field of [...declaration.fields, ...scopeFields, ...options]) {
    const value = news[field.input];
    if (value === undefined || value === null) {
      delete inputs[field.input];
      if (field.required) fail(field.input, `${field.input} is required`);
      continue;
    }
    if (value === unknownValue) continue;
    if (field === serverScopeInputs.serverId) {
      if (isWholeId(value)) inputs[field.input] = Number(value);
      else fail(field.input, `serverId is ${show(value)}; it must be the numeric ID of a Postmark server`);
      continue;
    }
    const problems = valueProblems(field, value);
    for (const problem of problems) fail(field.input, problem);
    if (problems.length === 0) inputs[field.input] = normaliseValue(field, value);
  }
  const adoptValue = adopt ? news[adopt.input] : undefined;
  if (adopt && (adoptValue === undefined || adoptValue === null)) delete inputs[adopt.input];
  else if (adopt && adoptValue !== unknownValue) {
    if (adopt.type === "integer" && !isWholeId(adoptValue)) {
      fail(adopt.input, `${adopt.input} is ${show(adoptValue)}; it must be the numeric ID of an existing Postmark ${declaration.noun}`);
    } else if (adopt.type === "string" && (typeof adoptValue !== "string" || adoptValue === "")) {
      fail(adopt.input, `${adopt.input} is ${show(adoptValue)}; it must be the ID of an existing Postmark ${declaration.noun}`);
    } else inputs[adopt.input] = adopt.type === "integer" ? Number(adoptValue) : adoptValue;
  }
  if (failures.length === 0) failures.push(...(declaration.hooks?.checkRules?.(inputs, olds) ?? []));
  return { inputs, failures };
}
