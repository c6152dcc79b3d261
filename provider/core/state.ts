/**
 * What a resource's state holds, derived from its declaration: the changes an edit must make, the outputs
 * of an API object, and the inputs a refresh reports. Diffs and reads only see outputs, so what they need
 * (which leaves the program declared) is kept in the outputs too.
 */
import { OutputField, ResourceDeclaration } from "./declaration";
import { PostmarkProviderError } from "./errors";
import {
  chainOf,
  declaredLeaves,
  Field,
  FieldValue,
  Leaf,
  leafField,
  LeafValue,
  membersFromApi,
  normaliseValue,
  sameValue,
  unknownValue,
  valueAt,
  valueProblems,
  Values,
  withValueAt,
} from "./fields";
import { ApiObject } from "./postmarkClient";

/** Output that records which inputs (dotted paths for object members) the program declared. */
export const managedFieldsOutput = "managedFields";
/** The serialized provider, which the engine keeps among every dynamic resource's inputs. */
export const providerKey = "__provider";

/** Inputs of every resource inside a server: which server, and optionally its token. */
export const serverScopeInputs = {
  serverId: {
    input: "serverId",
    api: "",
    type: "integer",
    required: true,
    replaceOnChange: true,
    references: { kind: "PostmarkServer", property: "serverId" },
    description: "The ID of the Postmark server this belongs to (e.g. `server.serverId`). Changing it replaces the resource.",
  },
  serverToken: {
    input: "serverToken",
    api: "",
    type: "string",
    secret: true,
    description:
      "That server's API token, for teams that hold only a server token: checked against `serverId` before its first use in a " +
      "run (a token of another server is refused). Default: the provider finds it with the account token. Secret.",
  },
} as const satisfies Record<string, Field>;

export interface FieldChange extends LeafValue {
  path: string;
}

export const managedPaths = (values: Values): string[] => (values[managedFieldsOutput] as string[] | undefined) ?? [];
export const declaredPaths = (declaration: ResourceDeclaration, inputs: Values): string[] =>
  declaredLeaves(declaration.fields, inputs).map((leaf) => leaf.path);

/**
 * What Postmark must be told to match the program, given the last known outputs: every declared leaf whose
 * value differs, and every leaf the program used to declare and has dropped, back to Postmark's default
 * where one is known. Leaves the program never declared are never touched.
 */
export function pendingChanges(declaration: ResourceDeclaration, olds: Values, news: Values): FieldChange[] {
  const changes: FieldChange[] = [];
  const declared = declaredLeaves(declaration.fields, news);
  for (const leaf of declared) {
    if (leaf.value === unknownValue || !sameValue(leafField(leaf), leaf.value, valueAt(olds, leaf.path))) changes.push(leaf);
  }
  const stillDeclared = new Set(declared.map((leaf) => leaf.path));
  for (const path of managedPaths(olds)) {
    const chain = chainOf(declaration.fields, path);
    const fallback = chain && leafField({ chain }).default;
    if (stillDeclared.has(path) || fallback === undefined) continue;
    if (!sameValue(leafField({ chain: chain! }), fallback, valueAt(olds, path))) changes.push({ path, chain: chain!, value: fallback });
  }
  return changes;
}

/** The engine's ID of an object inside a server is Postmark's, prefixed with the server's ("12/outbound"). */
export function splitPulumiId(declaration: ResourceDeclaration, id: string): { serverId?: string; apiId: string } {
  if (declaration.token !== "server") return { apiId: id };
  const slash = id.indexOf("/");
  if (slash < 1) throw new PostmarkProviderError(`${declaration.kind} ID "${id}" must be "<serverId>/<${declaration.noun} ID>".`);
  return { serverId: id.slice(0, slash), apiId: id.slice(slash + 1) };
}

/** The output holding Postmark's ID of the object (serverId, domainId, ...): the one read from the declaration's apiId. */
export const postmarkIdOutput = (declaration: ResourceDeclaration): OutputField | undefined =>
  declaration.outputs.find((output) => output.api === declaration.apiId && !output.derive);

/** The top-level input a change belongs to, for the engine's list of replacing properties. */
export const changedInput = (change: FieldChange) => change.chain[0].input;
export const replacesResource = (change: FieldChange) => change.chain.some((f) => f.replaceOnChange);

/** The resource's outputs: every field Postmark returned, in canonical form, plus what the program manages. */
export function outputsFrom(declaration: ResourceDeclaration, object: ApiObject, managed: string[], inputs: Values): Values {
  const outputs: Values = membersFromApi(declaration.fields, object);
  for (const field of declaration.outputs) outputs[field.output] = field.derive ? field.derive(object) : object[field.api];
  outputs[managedFieldsOutput] = managed;
  for (const name of scopeAndAdoptInputs(declaration)) if (inputs[name] !== undefined) outputs[name] = inputs[name];
  return outputs;
}

/**
 * Inputs kept in the outputs as given: adoption, options, and for resources inside a server which server (and its
 * token). Read only gets the outputs, and reports these back as inputs: otherwise every refresh would show them removed.
 */
export function scopeAndAdoptInputs(declaration: ResourceDeclaration): string[] {
  return [
    ...(declaration.token === "server" ? Object.keys(serverScopeInputs) : []),
    ...(declaration.options ?? []).map((option) => option.input),
    ...(declaration.adopt ? [declaration.adopt.input] : []),
  ];
}

/**
 * Inputs as they now stand in Postmark, for the leaves the program manages: returned by read so that after
 * a refresh the next `up` shows (and undoes) exactly what was changed by hand.
 */
export function inputsFromOutputs(declaration: ResourceDeclaration, outputs: Values): Values {
  let inputs: Values = {};
  for (const path of managedPaths(outputs)) {
    const value = valueAt(outputs, path);
    if (value !== undefined && chainOf(declaration.fields, path)) inputs = withValueAt(inputs, path, value);
  }
  for (const name of scopeAndAdoptInputs(declaration)) if (outputs[name] !== undefined) inputs[name] = outputs[name];
  return inputs;
}

/** A value Postmark holds that no program could declare (a template type the provider does not know), with why. */
export interface UndeclarableValue {
  /** Dotted input path, e.g. "templateType". */
  path: string;
  /** The fields from the top-level one down to the value's own. */
  chain: Field[];
  /** What check would say of it (a secret's value is not shown). */
  problem: string;
}

/**
 * The inputs that declare an object as Postmark holds it, for a program that has not declared it yet (an import, or a
 * program written from an account): every required field, every field whose default is not known, and every other
 * one that differs from Postmark's default; object members likewise, one by one. Declared as they are, they make no
 * change; the rest stays Postmark's default either way. Values check would refuse are left out, and listed.
 */
export function declarable(declaration: ResourceDeclaration, object: ApiObject): { inputs: Values; undeclarable: UndeclarableValue[] } {
  const undeclarable: UndeclarableValue[] = [];
  const worthDeclaring = (fields: readonly Field[], values: Values, parents: Field[]): Values => {
    const inputs: Values = {};
    for (const field of fields) {
      const value = values[field.input];
      if (value === undefined || value === null) continue;
      const chain = [...parents, field];
      if (field.type === "object") {
        const members = worthDeclaring(field.fields ?? [], value as Values, chain);
        if (Object.keys(members).length > 0) inputs[field.input] = members;
      } else if (field.required || field.default === undefined || !sameValue(field, value, field.default)) {
        const path = chain.map((f) => f.input).join(".");
        const [problem] = valueProblems(field, value, path, chain.some((f) => f.secret));
        if (problem === undefined) inputs[field.input] = value;
        // Postmark's "" where a program can only leave the field out (a note) is "none": nothing is lost.
        else if (value !== "" || chain.some((f) => f.required || f.replaceOnChange)) undeclarable.push({ path, chain, problem });
      }
    }
    return inputs;
  };
  return { inputs: worthDeclaring(declaration.fields, membersFromApi(declaration.fields, object), []), undeclarable };
}

/**
 * `declarable`'s inputs: what a first read (an import, `.get`) reports. A value the program could not declare
 * (Postmark's "" for a note that can only be left out) stays unmanaged.
 */
export const declarableInputs = (declaration: ResourceDeclaration, object: ApiObject): Values => declarable(declaration, object).inputs;

/**
 * Whether an object found after a lost create answer (or a killed `pulumi up`) is the one a create of `news` made: it
 * is live (not archived), and carries every declared value and Postmark's defaults everywhere else, as a fresh object
 * would. The one notion of "the object this create made", for lost-create recovery and the recover command alike.
 */
export function looksFreshlyCreatedFrom(declaration: ResourceDeclaration, object: ApiObject, news: Values): boolean {
  if (declaration.isGone?.(object)) return false;
  const current = membersFromApi(declaration.fields, object);
  return freshLeaves(declaration.fields, news).every(({ chain, path, value }) => sameValue(leafField({ chain }), value, valueAt(current, path)));
}

/** The values a create of `news` gives an object, where they are known: each leaf as declared, else Postmark's default. */
function freshLeaves(fields: readonly Field[], news: Values, parents: Field[] = []): Leaf[] {
  return fields.flatMap((field) => {
    const chain = [...parents, field];
    const path = chain.map((f) => f.input).join(".");
    if (field.type === "object") return freshLeaves(field.fields ?? [], news, chain);
    const declared = valueAt(news, path);
    const value: FieldValue | undefined = declared !== undefined && declared !== null ? (declared as FieldValue) : field.default;
    return value === undefined ? [] : [{ chain, path, value }];
  });
}

/**
 * The inputs kept in the outputs as the program now declares them (adoption, options, the server token); the server ID
 * only changes by replacement.
 */
export function keptInputs(declaration: ResourceDeclaration, news: Values): Values {
  return Object.fromEntries(scopeAndAdoptInputs(declaration).filter((name) => name !== "serverId").map((name) => [name, news[name]]));
}

/**
 * What a create's outputs will be, as far as a preview knows them without asking Postmark: the values a fresh object
 * gets (declared, else Postmark's default), the inputs kept in the outputs, and an adopted object's ID; the rest is
 * unknown until the create.
 */
export function previewedCreateOutputs(declaration: ResourceDeclaration, news: Values): Values {
  let outputs: Values = {};
  for (const { chain, path, value } of freshLeaves(declaration.fields, news)) outputs = withValueAt(outputs, path, normaliseValue(leafField({ chain }), value));
  for (const name of scopeAndAdoptInputs(declaration)) if (news[name] !== undefined) outputs[name] = news[name];
  outputs[managedFieldsOutput] = declaredPaths(declaration, news);
  const idOutput = postmarkIdOutput(declaration);
  const adopted = declaration.adopt && news[declaration.adopt.input];
  if (idOutput && adopted !== undefined && adopted !== null) outputs[idOutput.output] = adopted;
  return outputs;
}

/**
 * What an update's outputs will be, as far as a preview knows them: the last outputs (an update keeps the object and its
 * ID) with the pending changes on top. Outputs that the edit may change besides (a new Return-Path domain is not
 * verified yet; whatever a kind's own update hook reports) are unknown until the update.
 */
export function previewedUpdateOutputs(declaration: ResourceDeclaration, olds: Values, news: Values): Values {
  const { [providerKey]: _provider, ...last } = olds;
  const changes = pendingChanges(declaration, olds, news).filter((change) => !replacesResource(change));
  let outputs = last;
  for (const change of changes) outputs = withValueAt(outputs, change.path, normaliseValue(leafField(change), change.value));
  const changed = new Set(changes.map(changedInput));
  for (const output of declaration.outputs) {
    if (declaration.hooks?.update || output.changedBy?.some((input) => changed.has(input))) outputs[output.output] = unknownValue;
  }
  return { ...outputs, [managedFieldsOutput]: declaredPaths(declaration, news), ...keptInputs(declaration, news) };
}
