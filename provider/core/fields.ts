/**
 * How a resource's fields are declared, and what every operation derives from a declaration: validation,
 * canonical values, comparison, the leaves a program declares, request bodies and outputs.
 * Nested objects (a webhook's triggers) and lists (its headers) are fields too, so that check, diff,
 * partial edits and secret marking work for them without code written per field.
 */

export type FieldValue = string | number | boolean | null | FieldValue[] | { [key: string]: FieldValue };
export type Values = Record<string, unknown>;

export interface Field {
  /** The camelCase name in the program and the outputs. */
  readonly input: string;
  /** Postmark's PascalCase name in request bodies; dotted when Postmark nests it ("A.B"). */
  readonly api: string;
  /** Postmark's name in responses, where it differs from the request's (sender signatures). */
  readonly apiRead?: string;
  readonly type: "string" | "boolean" | "integer" | "enum" | "url" | "object" | "list";
  /** One or two sentences for the reference docs and editor hovers. */
  readonly description: string;
  /** For enums (and integers with a fixed set): the canonical spellings; input is matched ignoring case. */
  readonly allowed?: readonly (string | number)[];
  /**
   * Postmark's value when the field was never set. When a program stops declaring the field, the resource
   * goes back to it; a field without a known default simply stops being managed.
   */
  readonly default?: FieldValue;
  /** Postmark cannot change it after creation: a change replaces the resource, and edits never send it. */
  readonly replaceOnChange?: boolean;
  readonly required?: boolean;
  /**
   * Stored encrypted in state, in the inputs and the outputs. On a member of a secret object or list: the member that is
   * the secret itself (a password, a header's value), which a program written by a scan reads from secret stack config
   * while the other members (a user name, a header's name) are written as they are.
   */
  readonly secret?: boolean;
  /**
   * The value names another object of the program by one of its properties (a template's layout by the layout's
   * `alias`; in the same server, for kinds inside one): a program written by a scan wires it (`layoutTemplate: layout.alias`).
   */
  readonly references?: { readonly kind: string; readonly property: string };
  /** A long text a program reads from a file (a template's body): a scan writes it to a file with this extension. */
  readonly fileExtension?: string;
  /** `object`: its members; `list`: the members of each element (an object). */
  readonly fields?: readonly Field[];
  /**
   * `object` only. "whole" (default): an edit sends the whole object, the current values with the
   * declared ones on top. "changedMembers": only the members that changed, each sent whole (webhook triggers).
   */
  readonly edit?: "whole" | "changedMembers";
  /** A rule of Postmark's beyond the type (an ID format, a length): what is wrong, or undefined. */
  readonly rule?: (value: never) => string | undefined;
  /** Postmark requires it in every edit (a sender signature's Name). */
  readonly sendOnEveryEdit?: boolean;
  /**
   * "" is allowed (for URLs too) and means none; Postmark may read a value cleared with "" back as null (a
   * template's layout), which the outputs show as "" so that the program's "" compares equal.
   */
  readonly emptyMeansNone?: boolean;
}

/** The engine's placeholder for a value that is not known until another resource is created. */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A value as error messages quote it. */
export const show = (value: unknown): string => JSON.stringify(value) ?? String(value);
const isPlainObject = (value: unknown): value is Values => typeof value === "object" && value !== null && !Array.isArray(value);
/** Where the field sits in a response, and in a request body: Postmark's names, nested where dotted. */
const apiReadPath = (field: Field) => (field.apiRead ?? field.api).split(".");
const apiWritePath = (field: Field) => field.api.split(".");

// Postmark's own pages misspell it; accept what the API might send back.
const enumAliases: Record<string, string> = { turqoise: "Turquoise" };

/** The canonical form of a value, so that "red", "Red" and "RED" compare equal and no perpetual diff appears. */
export function normaliseValue(field: Field, value: unknown): unknown {
  if (value === undefined || value === null || value === unknownValue) return value;
  if (field.type === "enum" && typeof value === "string" && field.allowed) {
    const lower = value.toLowerCase();
    const match = field.allowed.find((a) => String(a).toLowerCase() === lower);
    return match ?? enumAliases[lower] ?? value;
  }
  if (field.type === "object" && isPlainObject(value)) return normaliseMembers(field.fields ?? [], value);
  if (field.type === "list" && Array.isArray(value) && field.fields) {
    return value.map((item) => (isPlainObject(item) ? normaliseMembers(field.fields!, item) : item));
  }
  return value;
}

function normaliseMembers(fields: readonly Field[], value: Values): Values {
  const out: Values = {};
  for (const field of fields) if (value[field.input] !== undefined && value[field.input] !== null) out[field.input] = normaliseValue(field, value[field.input]);
  return out;
}

export function sameValue(field: Field, a: unknown, b: unknown): boolean {
  return JSON.stringify(normaliseValue(field, a)) === JSON.stringify(normaliseValue(field, b));
}

/**
 * Problems with one declared value, each naming the field's path, the value and what is allowed; the value
 * is undefined-free here. Unknown values (not known until other resources exist) are not checked.
 */
export function valueProblems(field: Field, value: unknown, path: string = field.input, secret = field.secret === true): string[] {
  if (value === unknownValue) return [];
  // A secret's value never goes into a message: the engine prints check failures.
  const given = secret ? `${path} (secret) is not valid` : `${path} is ${show(value)}`;
  const typeProblem = ((): string | undefined => {
    switch (field.type) {
      case "boolean":
        return typeof value === "boolean" ? undefined : `${given}; it must be true or false`;
      case "string":
        if (typeof value !== "string") return `${given}; it must be a string`;
        return field.required && value.trim() === "" ? `${given}; it must not be empty` : undefined;
      case "url": {
        const problem = urlProblem(value, field.emptyMeansNone === true);
        return problem && `${given}; ${problem}`;
      }
      case "integer":
        if (!field.allowed) return Number.isInteger(value) ? undefined : `${given}; it must be a whole number`;
        return field.allowed.includes(value as number) ? undefined : `${given}; allowed values: ${field.allowed.join(", ")}`;
      case "enum": {
        const allowed = field.allowed ?? [];
        return allowed.includes(normaliseValue(field, value) as string) ? undefined : `${given}; allowed values: ${allowed.join(", ")}`;
      }
      case "object":
        return isPlainObject(value) ? undefined : `${given}; it must be an object with ${memberList(field)}`;
      case "list":
        return Array.isArray(value) ? undefined : `${given}; it must be a list`;
    }
  })();
  if (typeProblem) return [typeProblem];
  const memberProblemsFound =
    field.type === "object"
      ? memberProblems(field.fields ?? [], value as Values, path, secret)
      : field.type === "list" && field.fields
        ? (value as unknown[]).flatMap((item, i) =>
            isPlainObject(item)
              ? memberProblems(field.fields!, item, `${path}[${i}]`, secret)
              : [`${path}[${i}] ${secret ? "(secret) is not valid" : `is ${show(item)}`}; it must be an object with ${memberList(field)}`],
          )
        : [];
  // The field's own rule (a list's length) runs once its members are valid: rules may read them.
  if (memberProblemsFound.length > 0) return memberProblemsFound;
  const ruleProblem = field.rule?.(value as never);
  return ruleProblem ? [`${given}; ${ruleProblem}`] : [];
}

const memberList = (field: Field) => (field.fields ?? []).map((f) => f.input).join(", ");

function memberProblems(fields: readonly Field[], value: Values, path: string, secret: boolean): string[] {
  const known = new Set(fields.map((f) => f.input));
  const problems = Object.keys(value)
    .filter((key) => !known.has(key) && value[key] !== undefined)
    .map((key) => `${path}.${key} is not a member of ${path}; known members: ${[...known].join(", ")}`);
  for (const field of fields) {
    const member = value[field.input];
    if (member === undefined || member === null) {
      if (field.required) problems.push(`${path}.${field.input} is required`);
      continue;
    }
    problems.push(...valueProblems(field, member, `${path}.${field.input}`, secret || field.secret === true));
  }
  return problems;
}

function urlProblem(value: unknown, emptyMeansNone: boolean): string | undefined {
  const allowed = emptyMeansNone ? 'an absolute http:// or https:// URL, or "" for no hook' : "an absolute http:// or https:// URL";
  if (typeof value !== "string") return emptyMeansNone ? 'it must be a string (an absolute http(s) URL, or "" for no hook)' : `it must be a string (${allowed})`;
  if (value === "" && emptyMeansNone) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return undefined;
  } catch {
    // fall through: not a URL at all
  }
  return `it must be ${allowed}`;
}

/** One declared value at the bottom of the tree: a scalar or a list, or an object member that is one. */
export interface Leaf {
  /** Dotted input path, e.g. "triggers.open.enabled"; a top-level field's path is its input name. */
  path: string;
  /** The fields from the top-level one down to the leaf's own. */
  chain: Field[];
  value: unknown;
}

export const leafField = (leaf: { chain: Field[] }) => leaf.chain[leaf.chain.length - 1];

/** Every leaf the program declares (objects are opened, so each member is managed on its own). */
export function declaredLeaves(fields: readonly Field[], values: Values, parents: Field[] = []): Leaf[] {
  const leaves: Leaf[] = [];
  for (const field of fields) {
    const value = values[field.input];
    if (value === undefined || value === null) continue;
    const chain = [...parents, field];
    if (field.type === "object" && isPlainObject(value)) leaves.push(...declaredLeaves(field.fields ?? [], value, chain));
    else leaves.push({ path: chain.map((f) => f.input).join("."), chain, value });
  }
  return leaves;
}

/** The field chain of a dotted path, or undefined when the declaration has no such leaf. */
export function chainOf(fields: readonly Field[], path: string): Field[] | undefined {
  const chain: Field[] = [];
  let level: readonly Field[] | undefined = fields;
  for (const name of path.split(".")) {
    const field: Field | undefined = level?.find((f) => f.input === name);
    if (!field) return undefined;
    chain.push(field);
    level = field.type === "object" ? field.fields : undefined;
  }
  return chain;
}

/** `values` with `value` at the dotted `path` (objects on the way copied, or made). */
export function withValueAt(values: Values, path: string, value: unknown): Values {
  const [name, ...rest] = path.split(".");
  const member = values[name];
  return { ...values, [name]: rest.length === 0 ? value : withValueAt(isPlainObject(member) ? member : {}, rest.join("."), value) };
}

export function valueAt(values: Values, path: string): unknown {
  let current: unknown = values;
  for (const name of path.split(".")) {
    if (!isPlainObject(current)) return undefined;
    current = current[name];
  }
  return current;
}

/** A value given to a leaf: the body builders place it in Postmark's shape. */
export interface LeafValue {
  chain: Field[];
  value: unknown;
}

/** A request body in Postmark's names and canonical values, from leaves (for a create: everything declared). */
export function createBody(leaves: LeafValue[]): Values {
  const body: Values = {};
  for (const { chain, value } of leaves) setApiValue(body, chain, value);
  return body;
}

/**
 * An edit's body: only what changed. A changed member of an object goes with the object's current values
 * (so a partial object never resets what it leaves out), shaped by the object's `edit` rule.
 */
export function editBody(changes: LeafValue[], current: Values, always: LeafValue[] = []): Values {
  const body: Values = {};
  for (const { chain, value } of [...always, ...changes]) {
    const top = chain[0];
    if (chain.length === 1) {
      setPath(body, apiWritePath(top), toApi(top, value));
      continue;
    }
    // The object (or, for "changedMembers", the member object) is sent whole: current values, then the change.
    const wholeDepth = top.edit === "changedMembers" ? 2 : 1;
    const wholeChain = chain.slice(0, wholeDepth);
    const apiPath = wholeChain.flatMap(apiWritePath);
    if (getPath(body, apiPath) === undefined) {
      const inputPath = wholeChain.map((f) => f.input).join(".");
      setPath(body, apiPath, toApi(leafField({ chain: wholeChain }), valueAt(current, inputPath) ?? {}));
    }
    setApiValue(body, chain, value);
  }
  return body;
}

function setApiValue(body: Values, chain: Field[], value: unknown): void {
  setPath(body, chain.flatMap(apiWritePath), toApi(leafField({ chain }), value));
}

/** An input-shaped value in Postmark's names and canonical values. */
export function toApi(field: Field, value: unknown): unknown {
  const canonical = normaliseValue(field, value);
  if (field.type === "object" && isPlainObject(canonical)) return membersToApi(field.fields ?? [], canonical);
  if (field.type === "list" && Array.isArray(canonical) && field.fields) {
    return canonical.map((item) => (isPlainObject(item) ? membersToApi(field.fields!, item) : item));
  }
  return canonical;
}

function membersToApi(fields: readonly Field[], value: Values): Values {
  const out: Values = {};
  for (const field of fields) if (value[field.input] !== undefined) setPath(out, apiWritePath(field), toApi(field, value[field.input]));
  return out;
}

/** A value as Postmark returned it, in input names and canonical values. */
export function fromApi(field: Field, value: unknown): unknown {
  // In the program's convention: "" is none (Postmark reads a cleared layout or body back as null).
  if (field.emptyMeansNone && value === null) return "";
  if (field.type === "object" && isPlainObject(value)) return membersFromApi(field.fields ?? [], value);
  if (field.type === "list" && Array.isArray(value) && field.fields) {
    return value.map((item) => (isPlainObject(item) ? membersFromApi(field.fields!, item) : item));
  }
  return normaliseValue(field, value);
}

export function membersFromApi(fields: readonly Field[], value: Values): Values {
  const out: Values = {};
  for (const field of fields) {
    const apiValue = getPath(value, apiReadPath(field));
    if (apiValue !== undefined) out[field.input] = fromApi(field, apiValue);
    // Postmark leaves an empty list out of its answers (a webhook without headers): it reads as the list's default.
    else if (field.type === "list" && field.default !== undefined) out[field.input] = structuredClone(field.default);
  }
  return out;
}

function getPath(target: Values, path: string[]): unknown {
  return valueAt(target, path.join("."));
}

function setPath(target: Values, path: string[], value: unknown): void {
  let level = target;
  for (const name of path.slice(0, -1)) {
    if (!isPlainObject(level[name])) level[name] = {};
    level = level[name] as Values;
  }
  level[path[path.length - 1]] = value;
}
