/**
 * A stack's state as `pulumi stack export --show-secrets` prints it (Pulumi's deployment format, version 3), and the edits
 * the recover command makes before `pulumi stack import` writes it back. Pure functions of the state: no CLI, no Postmark.
 */
import { Values } from "../core/fields";
import { providerKey } from "../core/state";

/** One resource of the state, with what Pulumi records for it (only the members the recover command reads are named). */
export interface ResourceState {
  urn: string;
  type: string;
  id?: string;
  inputs?: Values;
  outputs?: Values;
  parent?: string;
  provider?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  deletedWith?: string;
  replaceWith?: string[];
  additionalSecretOutputs?: string[];
  /** A replaced resource, deleted by the next deployment. */
  delete?: boolean;
  [member: string]: unknown;
}

/** An operation the engine began and never saw end: the run was killed (or lost its backend) meanwhile. */
export interface PendingOperation {
  type: "creating" | "updating" | "deleting" | string;
  /** For a create: the new resource, with the inputs the engine gave the provider. Otherwise the resource as in `resources`. */
  resource: ResourceState;
}

export interface Deployment {
  resources?: ResourceState[];
  pending_operations?: PendingOperation[];
  [member: string]: unknown;
}

/** What `pulumi stack export` prints and `pulumi stack import` reads. */
export interface UntypedDeployment {
  version: number;
  deployment: Deployment;
}

/** Pulumi's marker of a special value in state: `{ [signatureKey]: secretSignature, plaintext | ciphertext }` is a secret. */
const signatureKey = "4dabf18193072939515e22adb298388d";
const secretSignature = "1b47061264138c4ac30d75fd1eb44270";

const isPlainObject = (value: unknown): value is Values => typeof value === "object" && value !== null && !Array.isArray(value);
const isSecret = (value: unknown): value is Values => isPlainObject(value) && value[signatureKey] === secretSignature;

/** A secret as `pulumi stack import` takes it in plaintext, and encrypts with the stack's secrets provider. */
export const secretValue = (value: unknown): Values => ({ [signatureKey]: secretSignature, plaintext: JSON.stringify(value) });

/** A value of the exported state as the provider sees it: every secret (plaintext, from --show-secrets) unwrapped. */
export function plainValue(value: unknown): unknown {
  if (isSecret(value)) {
    if (typeof value.plaintext !== "string") throw new Error("the state was exported without --show-secrets");
    return plainValue(JSON.parse(value.plaintext));
  }
  if (Array.isArray(value)) return value.map(plainValue);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v)]));
  return value;
}

export const plainValues = (values: Values | undefined): Values => (plainValue(values ?? {}) as Values);

const containsSecret = (value: unknown): boolean =>
  isSecret(value) || (Array.isArray(value) ? value.some(containsSecret) : isPlainObject(value) && Object.values(value).some(containsSecret));

/**
 * Outputs as the engine stores a dynamic resource's create: an output is secret where its input of the same name holds a
 * secret (member by member where both are objects: the engine's annotateSecrets), and where the resource lists it in
 * additionalSecretOutputs. An undefined output is none (the provider's answer cannot carry one).
 */
export function storedOutputs(outs: Values, inputs: Values, additionalSecretOutputs: readonly string[] = []): Values {
  outs = Object.fromEntries(Object.entries(outs).filter(([, value]) => value !== undefined));
  const annotated = (out: Values, ins: Values): Values => {
    const result: Values = { ...out };
    for (const [name, input] of Object.entries(ins)) {
      if (!(name in result)) continue;
      if (isPlainObject(result[name]) && isPlainObject(input) && !isSecret(input)) result[name] = annotated(result[name] as Values, input);
      else if (containsSecret(input)) result[name] = secretValue(result[name]);
    }
    return result;
  };
  const stored = annotated(outs, inputs);
  for (const name of additionalSecretOutputs) if (name in stored && !isSecret(stored[name])) stored[name] = secretValue(stored[name]);
  return stored;
}

/** What the recover command decided for one pending operation. */
export type Recovery =
  /** The create made this object: into the state, with the ID and outputs the create would have returned. */
  | { operation: PendingOperation; action: "import"; id: string; outs: Values }
  /** The delete was done (the object is gone): out of the state. */
  | { operation: PendingOperation; action: "remove" }
  /** Nothing to change in the state: the pending operation only goes. */
  | { operation: PendingOperation; action: "clear" };

/** The URNs a resource needs before it in the state: its parent, provider's resource, dependencies of every kind. */
function needs(resource: ResourceState): string[] {
  return [
    resource.parent,
    resource.deletedWith,
    ...(resource.replaceWith ?? []),
    ...(resource.dependencies ?? []),
    ...Object.values(resource.propertyDependencies ?? {}).flat(),
  ].filter((urn): urn is string => typeof urn === "string" && urn !== "");
}

/** The resources of the state that stay only because others need them: removing one would break the state. */
export function neededByOthers(deployment: Deployment, resource: ResourceState): boolean {
  const resources = deployment.resources ?? [];
  const sameUrnStays = resources.some((other) => other !== resource && other.urn === resource.urn);
  return !sameUrnStays && resources.some((other) => other !== resource && needs(other).includes(resource.urn));
}

/** The resource of the state a pending update or delete is about (same URN and ID). */
export const stateResourceOf = (deployment: Deployment, operation: PendingOperation): ResourceState | undefined =>
  (deployment.resources ?? []).find((r) => r.urn === operation.resource.urn && r.id === operation.resource.id);

/**
 * The deployment with the recoveries applied and no pending operation left. An imported resource is the pending create's
 * resource as the engine recorded it (inputs, parent, provider, dependencies, options) with its ID and stored outputs,
 * appended (everything it needs is already in the state: the engine creates a resource after what it needs). A resource of
 * the same URN already in the state is the one it replaces (a create-before-delete replacement): marked for deletion, as
 * the engine marks it once the replacement is created, so the next `pulumi up` deletes it.
 */
export function recoveredDeployment(deployment: Deployment, recoveries: readonly Recovery[], now = new Date()): Deployment {
  const removed = new Set(recoveries.flatMap((r) => (r.action === "remove" ? [stateResourceOf(deployment, r.operation)] : [])));
  const imported = recoveries.flatMap((r) => (r.action === "import" ? [r] : []));
  const replacedUrns = new Set(imported.map((r) => r.operation.resource.urn));
  const kept = (deployment.resources ?? [])
    .filter((resource) => !removed.has(resource))
    .map((resource) => (replacedUrns.has(resource.urn) && !resource.delete ? { ...resource, delete: true } : resource));
  const time = now.toISOString();
  const added = imported.map(({ operation: { resource }, id, outs }) => ({
    ...resource,
    id,
    outputs: storedOutputs({ ...outs, [providerKey]: resource.inputs?.[providerKey] }, resource.inputs ?? {}, resource.additionalSecretOutputs),
    created: time,
    modified: time,
  }));
  return { ...deployment, resources: [...kept, ...added], pending_operations: [] };
}
