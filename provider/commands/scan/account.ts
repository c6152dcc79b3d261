/**
 * Reading a whole Postmark account into what a program declares: every object each kind's listing finds (its recovery
 * listing, whole objects read where the list gives summaries), with the inputs that declare it as Postmark holds it
 * (`declarable`, what a first read reports), its server and its adoption input. Only GET calls, through the core's
 * client (its request limits and retries); what cannot be declared is kept apart with the reason.
 */
import { checkInputs } from "../../core/checkInputs";
import { ResourceDeclaration } from "../../core/declaration";
import { Field, sameValue, Values, membersFromApi } from "../../core/fields";
import { ResourceOperations } from "../../core/operations";
import { readWhole } from "../../core/paging";
import { ApiObject, PostmarkClient } from "../../core/postmarkClient";
import { declarable, postmarkIdOutput, serverScopeInputs, UndeclarableValue } from "../../core/state";
import { declarations } from "../../resources";
import { UsageError } from "../cli";
import { serverDeclaration } from "../../resources/server";

/** One object a program declares: what it is, where it lives and the inputs that declare it. */
export interface ScannedObject {
  readonly declaration: ResourceDeclaration;
  /** Postmark's ID of the object (its adoption input's value). */
  readonly apiId: string;
  /** The engine's ID, what `pulumi import` takes: Postmark's, after "<serverId>/" for kinds inside a server. */
  readonly pulumiId: string;
  /** Postmark's name of it (the kind's label): "Billing (prod)", "newsletters", "Welcome". */
  readonly label: string;
  /** The server it lives in, for kinds inside a server. */
  readonly server?: ScannedObject;
  /** The inputs that declare it as Postmark holds it, with serverId and its adoption input. */
  readonly inputs: Values;
  /** Values Postmark holds that no program can declare: they stay as they are, unmanaged. */
  readonly unmanaged: readonly UndeclarableValue[];
}

/** An object the scan found and cannot bring under code, and why. */
export interface SkippedObject {
  readonly declaration: ResourceDeclaration;
  readonly apiId: string;
  readonly label: string;
  readonly server?: ScannedObject;
  readonly reason: string;
  /** Its fields as Postmark holds them: an object that names it (a webhook of an archived stream) is skipped with it. */
  readonly values: Values;
}

export interface AccountScan {
  /** In the order a program declares them: each server and what it holds, then the account-level objects. */
  readonly objects: ScannedObject[];
  readonly skipped: SkippedObject[];
  /** How many objects of each kind were left out as Postmark made them with their scope (a server's default streams). */
  readonly madeByPostmark: ReadonlyMap<ResourceDeclaration, number>;
  /** Kinds the scan cannot read, as Postmark has no list of them (domain verifications: checks, not objects). */
  readonly unlisted: readonly ResourceDeclaration[];
}

export interface Selection {
  /** Which servers (Postmark's names, * and ? as wildcards, any case), "all", or none. */
  readonly servers: "all" | "none" | readonly string[];
  /** The account-level kinds other than servers (domains, sender signatures). */
  readonly accountObjects: boolean;
}

/** What the scan tells the user as it goes (stderr). */
export type Progress = (line: string) => void;

const listAllOf = (declaration: ResourceDeclaration) => declaration.hooks?.recovery?.listAll;
/** The kinds a scan reads: those with a listing. The server kind is the scope of the others. */
const listedKinds = declarations.filter((d) => listAllOf(d) !== undefined);
export const serverScopedKinds = listedKinds.filter((d) => d.token === "server");
export const accountKinds = listedKinds.filter((d) => d.token === "account" && d !== serverDeclaration);

/** A server name pattern (* and ?) as a case-insensitive whole-name match. */
export function namePattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, "i");
}

/** The patterns that match none of `names`, so that a typo in a selection fails instead of writing an empty program. */
export const unmatchedPatterns = (patterns: readonly string[], names: string[]) =>
  patterns.filter((pattern) => !names.some((name) => namePattern(pattern).test(name)));

export const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** Reads the account; only GET calls (the client given should refuse any other). */
export async function scanAccount(client: PostmarkClient, selection: Selection, progress: Progress): Promise<AccountScan> {
  const scan = new Scan(client, progress);
  const servers = await scan.servers(selection);
  for (const [i, server] of servers.entries()) {
    const found = await Promise.all(serverScopedKinds.map((kind) => scan.kind(kind, server)));
    progress(`[${i + 1}/${servers.length}] ${server.label}: ${found.map((n, k) => plural(n, serverScopedKinds[k].noun)).join(", ")}`);
  }
  if (selection.accountObjects) {
    const found = await Promise.all(accountKinds.map((kind) => scan.kind(kind, undefined)));
    progress(`account: ${found.map((n, k) => plural(n, accountKinds[k].noun)).join(", ")}`);
  }
  return scan.result(selection);
}

class Scan {
  private readonly objects: ScannedObject[] = [];
  private readonly skipped: SkippedObject[] = [];
  private readonly madeByPostmark = new Map<ResourceDeclaration, number>();

  constructor(
    private readonly client: PostmarkClient,
    private readonly progress: Progress,
  ) {}

  /** The selected servers, in the order of their IDs, taken as objects of the program. */
  async servers(selection: Selection): Promise<ScannedObject[]> {
    const all = await this.list(serverDeclaration, undefined);
    const patterns = selection.servers === "all" ? ["*"] : selection.servers === "none" ? [] : selection.servers;
    const names = all.map((server) => serverDeclaration.label(membersFromApi(serverDeclaration.fields, server)));
    const unmatched = selection.servers === "all" ? [] : unmatchedPatterns(patterns, names);
    if (unmatched.length > 0) {
      throw new UsageError(`--server ${unmatched.map((p) => JSON.stringify(p)).join(", ")} matches no server of the account; its servers: ${names.map((n) => JSON.stringify(n)).join(", ") || "none"}.`);
    }
    const selected = all.filter((_, i) => patterns.some((pattern) => namePattern(pattern).test(names[i])));
    this.progress(`servers: ${all.length} in the account, ${selected.length} selected`);
    const taken = selected.map((server) => this.take(serverDeclaration, server, undefined));
    return taken.filter((server): server is ScannedObject => server !== undefined);
  }

  /** Takes every object of one kind in one scope; how many it found. */
  async kind(declaration: ResourceDeclaration, server: ScannedObject | undefined): Promise<number> {
    const found = await this.list(declaration, server);
    for (const object of found) this.take(declaration, object, server);
    return found.length;
  }

  result(selection: Selection): AccountScan {
    this.skipWhatNamesSkipped();
    // Kinds inside a server concern a scan of servers; account-level ones, a scan of the account's objects.
    const inScope = (d: ResourceDeclaration) => (d.token === "server" ? selection.servers !== "none" : selection.accountObjects);
    // Kinds are listed in parallel: the order is made here, so that the same account gives the same lists.
    const skipped = [...this.skipped].sort(
      (a, b) => compareIds(Number(a.server?.apiId ?? 0), Number(b.server?.apiId ?? 0)) || declarations.indexOf(a.declaration) - declarations.indexOf(b.declaration) || compareIds(idOrder(a.apiId), idOrder(b.apiId)),
    );
    return {
      objects: inDeclarationOrder(this.objects),
      skipped,
      madeByPostmark: this.madeByPostmark,
      unlisted: declarations.filter((d) => listAllOf(d) === undefined && inScope(d)),
    };
  }

  /** Every object of the kind in the scope, whole, in the order of Postmark's IDs. */
  private async list(declaration: ResourceDeclaration, server: ScannedObject | undefined): Promise<ApiObject[]> {
    const context = await new ResourceOperations(declaration, () => this.client).context(server ? { serverId: Number(server.apiId) } : {});
    const listed = await listAllOf(declaration)!(context);
    let whole = listed;
    if (declaration.listedAsSummaries && listed.length > 0) {
      let read = 0;
      const where = server ? `${server.label}: ` : "";
      // Hundreds of templates take a while: say how far it is, every 50.
      whole = await readWhole(context, listed, () => ++read % 50 === 0 && this.progress(`  ${where}${read}/${listed.length} ${declaration.noun}s read`));
    }
    return whole.sort((a, b) => compareIds(a[declaration.apiId], b[declaration.apiId]));
  }

  /** The object as the program declares it, or why it cannot be declared. */
  private take(declaration: ResourceDeclaration, object: ApiObject, server: ScannedObject | undefined): ScannedObject | undefined {
    const apiId = String(object[declaration.apiId]);
    const values = membersFromApi(declaration.fields, object);
    const label = declaration.label(values);
    const skip = (reason: string) => void this.skipped.push({ declaration, apiId, label, server, reason, values });
    if (declaration.hooks?.madeByPostmark?.(object)) {
      this.madeByPostmark.set(declaration, (this.madeByPostmark.get(declaration) ?? 0) + 1);
      return undefined;
    }
    if (declaration.isGone?.(object)) return skip("Postmark still lists it, but it counts as deleted (archived, or inactive)");
    const { inputs, undeclarable } = declarable(declaration, object);
    // Left out, a field that replaces or is required would not hold what Postmark holds: the program would say otherwise.
    const essential = undeclarable.filter(({ chain }) => chain.some((f) => f.required || f.replaceOnChange));
    if (essential.length > 0) return skip(`${essential.map((u) => u.problem).join("; ")}: the provider cannot declare it`);
    const { adopt } = declaration;
    const declared: Values = {
      ...(server && { [serverScopeInputs.serverId.input]: Number(server.apiId) }),
      ...inputs,
      ...(adopt && { [adopt.input]: adopt.type === "integer" ? Number(apiId) : apiId }),
    };
    const failures = checkInputs(declaration, {}, declared).failures;
    if (failures.length > 0) return skip(`check refuses it as Postmark holds it: ${failures.map((f) => f.reason).join("; ")}`);
    const scanned: ScannedObject = {
      declaration,
      apiId,
      pulumiId: server ? `${server.apiId}/${apiId}` : apiId,
      label,
      server,
      inputs: declared,
      unmanaged: undeclarable,
    };
    this.objects.push(scanned);
    return scanned;
  }

  /** An object that names a skipped one (a webhook of an archived stream, a template in a skipped layout) is skipped too. */
  private skipWhatNamesSkipped(): void {
    for (let changed = true; changed; ) {
      changed = false;
      for (const object of [...this.objects]) {
        const skippedTarget = referencesOf(object)
          .map(({ field, value }) => this.skipped.find((s) => isNamedBy(s, object, field, value)))
          .find((s) => s !== undefined);
        if (!skippedTarget) continue;
        this.objects.splice(this.objects.indexOf(object), 1);
        this.skipped.push({
          declaration: object.declaration,
          apiId: object.apiId,
          label: object.label,
          server: object.server,
          reason: `it names the ${skippedTarget.declaration.noun} "${skippedTarget.label}", which is not declared`,
          values: object.inputs,
        });
        changed = true;
      }
    }
  }
}

/** Postmark's IDs are numbers, except streams' (strings). */
function compareIds(a: unknown, b: unknown): number {
  return typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b));
}
/** An ID kept as a string (a scanned object's) in the order of Postmark's. */
const idOrder = (apiId: string) => (/^[0-9]+$/.test(apiId) ? Number(apiId) : apiId);

/** The fields of a kind's inputs a scan declares, in the order a program writes them: its server first, for kinds inside one. */
export const inputFields = (declaration: ResourceDeclaration): Field[] => [...(declaration.token === "server" ? [serverScopeInputs.serverId] : []), ...declaration.fields];

/** The inputs of an object that name other objects (its server, a stream, a layout), with the field that says so. */
export function referencesOf(object: ScannedObject): { field: Field; value: unknown }[] {
  return inputFields(object.declaration).filter((f) => f.references && object.inputs[f.input] !== undefined).map((field) => ({ field, value: object.inputs[field.input] }));
}

/** An object's property as another object names it: an input, or the output holding Postmark's ID (serverId). */
function propertyOf(object: { declaration: ResourceDeclaration; apiId: string; inputs?: Values; values?: Values }, property: string): unknown {
  if (postmarkIdOutput(object.declaration)?.output === property) return Number(object.apiId);
  return (object.inputs ?? object.values)?.[property];
}

/** A target of a kind inside a server is looked for in the referrer's server; an account-level one anywhere. */
const sameScope = (targetServer: ScannedObject | undefined, referrer: ScannedObject, targetKind: ResourceDeclaration) =>
  targetKind.token !== "server" || targetServer === referrer.server;

/** Whether the referrer's `field`, holding `value`, names `target` (taken or skipped): its kind, in the referrer's scope, with that property. */
export const isNamedBy = (target: ScannedObject | SkippedObject, referrer: ScannedObject, field: Field, value: unknown): boolean =>
  target.declaration.kind === field.references!.kind &&
  sameScope(target.server, referrer, target.declaration) &&
  sameValue(field, propertyOf(target, field.references!.property), value);

/**
 * The program's order: each server, then what it holds kind by kind, then the account's objects. Within a kind, objects
 * that others of the kind name (layouts) come first, so that a name is declared before it is used.
 */
function inDeclarationOrder(objects: ScannedObject[]): ScannedObject[] {
  const kindOrder = (o: ScannedObject) => declarations.indexOf(o.declaration);
  const namedBySameKind = (o: ScannedObject) =>
    objects.some((other) => other.declaration === o.declaration && referencesOf(other).some(({ field, value }) => isNamedBy(o, other, field, value)));
  const groups = new Map<ScannedObject | undefined, ScannedObject[]>();
  for (const object of objects) {
    const group = object.declaration === serverDeclaration ? object : object.server;
    groups.set(group, [...(groups.get(group) ?? []), object]);
  }
  const ordered = (group: ScannedObject[]) =>
    [...group].sort((a, b) => kindOrder(a) - kindOrder(b) || Number(namedBySameKind(b)) - Number(namedBySameKind(a)) || compareIds(idOrder(a.apiId), idOrder(b.apiId)));
  const servers = objects.filter((o) => o.declaration === serverDeclaration);
  return [...servers.flatMap((server) => ordered(groups.get(server) ?? [])), ...ordered(groups.get(undefined) ?? [])];
}
