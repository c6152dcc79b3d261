import { unknownValue } from "./checkInputs";
import {
  adoptServerIdInput,
  FieldValue,
  managedFieldsOutput,
  normaliseValue,
  readOnlyFields,
  sameValue,
  WritableField,
  writableFields,
} from "./serverFields";

/** A server as Postmark's API returns it (PascalCase). */
export type ApiServer = Record<string, unknown> & { ID: number; Name: string };

export type Inputs = Record<string, unknown>;
export type Outputs = Record<string, unknown>;

export interface FieldChange {
  field: WritableField;
  value: unknown;
}

const isDeclared = (inputs: Inputs, field: WritableField) => inputs[field.input] !== undefined;

export function declaredFieldNames(inputs: Inputs): string[] {
  return writableFields.filter((f) => isDeclared(inputs, f)).map((f) => f.input);
}

/**
 * What Postmark must be told to match the program, given the last known outputs:
 * every declared field whose value differs, and every field the program used to declare and
 * has dropped, back to Postmark's default where one is known. Undeclared fields are never touched.
 */
export function pendingChanges(olds: Outputs, news: Inputs): FieldChange[] {
  const previouslyManaged = new Set((olds[managedFieldsOutput] as string[] | undefined) ?? []);
  const changes: FieldChange[] = [];
  for (const field of writableFields) {
    const current = olds[field.input];
    if (isDeclared(news, field)) {
      const wanted = news[field.input];
      if (wanted === unknownValue || !sameValue(field, wanted, current)) changes.push({ field, value: wanted });
    } else if (previouslyManaged.has(field.input) && field.default !== undefined && !sameValue(field, field.default, current)) {
      changes.push({ field, value: field.default });
    }
  }
  return changes;
}

/** A request body with Postmark's names and canonical values. */
export function toApiBody(changes: FieldChange[]): Record<string, unknown> {
  return Object.fromEntries(changes.map(({ field, value }) => [field.api, normaliseValue(field, value)]));
}

export function declaredBody(news: Inputs): Record<string, unknown> {
  return toApiBody(writableFields.filter((f) => isDeclared(news, f)).map((field) => ({ field, value: news[field.input] })));
}

/** The resource's outputs: every field Postmark returned, in canonical form, plus what the program manages. */
export function outputsFromServer(server: ApiServer, managedFields: string[], adoptServerId?: unknown): Outputs {
  const outputs: Outputs = {};
  for (const field of writableFields) {
    if (server[field.api] !== undefined) outputs[field.input] = normaliseValue(field, server[field.api]);
  }
  for (const field of readOnlyFields) outputs[field.output] = server[field.api];
  outputs[managedFieldsOutput] = managedFields;
  if (adoptServerId !== undefined) outputs[adoptServerIdInput] = adoptServerId;
  return outputs;
}

/**
 * Inputs as they now stand in Postmark, for the fields the program manages: returned by read so that
 * after a refresh the next `up` shows (and undoes) exactly what was changed by hand.
 */
export function inputsFromOutputs(outputs: Outputs): Inputs {
  const managed = new Set((outputs[managedFieldsOutput] as string[] | undefined) ?? []);
  const inputs: Inputs = {};
  for (const field of writableFields) {
    if (managed.has(field.input) && outputs[field.input] !== undefined) inputs[field.input] = outputs[field.input];
  }
  if (outputs[adoptServerIdInput] !== undefined) inputs[adoptServerIdInput] = outputs[adoptServerIdInput];
  return inputs;
}

/**
 * Whether a server found after a lost create response is the one that request made: it carries every
 * declared value, and Postmark's defaults everywhere else, as a fresh server would.
 */
export function looksFreshlyCreatedFrom(server: ApiServer, news: Inputs): boolean {
  return writableFields.every((field) => {
    const expected: FieldValue | undefined = isDeclared(news, field) ? (news[field.input] as FieldValue) : field.default;
    return expected === undefined || sameValue(field, expected, server[field.api]);
  });
}
