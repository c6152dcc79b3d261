/**
 * The lifecycle of any declared resource: check, diff, create (with adoption and lost-create recovery),
 * read, update and delete. `diff`, `update` and `delete` get the old *outputs* from the engine (not the old
 * inputs), and `read` only outputs too, so whatever they need is kept in the outputs.
 */
import { checkInputs, CheckOutcome } from "./checkInputs";
import { CallOptions, Endpoint, ResourceContext, ResourceDeclaration } from "./declaration";
import { PostmarkApiError, PostmarkProviderError } from "./errors";
import { createBody, declaredLeaves, editBody, sameValue, unknownValue, valueAt, Values } from "./fields";
import { accountAuth, ApiObject, ApiServer, Auth, cachedUntilFailure, isAmbiguous, PostmarkClient, ServerGoneError } from "./postmarkClient";
import { sleep } from "./requestGate";
import {
  declarableInputs,
  declaredPaths,
  FieldChange,
  inputsFromOutputs,
  keptInputs,
  looksFreshlyCreatedFrom,
  managedFieldsOutput,
  managedPaths,
  outputsFrom,
  pendingChanges,
  previewedCreateOutputs,
  previewedUpdateOutputs,
  providerKey,
  replacesResource,
  splitPulumiId,
} from "./state";

/** A scope as this run's first create found it. */
interface ScopeBeforeCreates {
  /** The objects there then. */
  readonly objects: ApiObject[];
  /** Postmark's IDs of those, and of the objects this run's creates have taken since: none is ever taken by a create whose answer was lost. */
  readonly ids: Set<string>;
}

export interface InputChange {
  path: string;
  kind: "add" | "update" | "delete";
  replaces: boolean;
}

export interface DiffOutcome {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

const verbs: Record<Endpoint["method"], string> = { GET: "read", POST: "create", PUT: "edit", PATCH: "edit", DELETE: "delete" };

export class ResourceOperations {
  /** Per scope (the account, or a server): what was there before this run's first create (`listedBefore`). */
  private readonly scopesBeforeCreates = new Map<string, Promise<ScopeBeforeCreates>>();

  constructor(
    readonly declaration: ResourceDeclaration,
    private readonly client: () => PostmarkClient,
  ) {}

  check(olds: Values, news: Values): CheckOutcome {
    return checkInputs(this.declaration, olds, news);
  }

  diff(_id: string, olds: Values, news: Values): DiffOutcome {
    const changes = this.changedInputs(olds, news);
    const replacing = [...new Set(changes.filter((change) => change.replaces).map((change) => change.path.split(".")[0]))];
    // The engine creates a replacement from the program's inputs: with the adoption input still set, it would
    // adopt the old object again (for a server deleted first: fail after deleting it). Stop before any change.
    const adoptInput = this.declaration.adopt?.input;
    if (replacing.length > 0 && adoptInput && news[adoptInput] !== undefined && news[adoptInput] !== null) {
      const { noun } = this.declaration;
      throw new PostmarkProviderError(
        `${this.declaration.kind} "${this.declaration.label(olds)}": ${replacing.join(", ")} changed, which replaces the ${noun}, ` +
          `but ${adoptInput} (${news[adoptInput]}) is still set, so the replacement would adopt the old ${noun} again. Remove ` +
          `${adoptInput} from the program (it did its work when the ${noun} came into the stack) and run again.`,
      );
    }
    return {
      changes: changes.length > 0 || (this.declaration.hooks?.outstanding?.(olds, news) ?? false),
      replaces: replacing,
      deleteBeforeReplace: replacing.length > 0 && (this.declaration.hooks?.deleteBeforeReplace?.(olds, news) ?? false),
    };
  }

  /**
   * Each input a diff finds changed, given the last outputs: its path (dotted for object members), whether the program
   * added, changed or dropped it, and whether the change replaces the object.
   */
  changedInputs(olds: Values, news: Values): InputChange[] {
    const managed = new Set(managedPaths(olds));
    const kindOf = (declared: unknown, wasDeclared: boolean): InputChange["kind"] => (declared === undefined ? "delete" : wasDeclared ? "update" : "add");
    const changes: InputChange[] = pendingChanges(this.declaration, olds, news).map((change) => ({
      path: change.path,
      kind: kindOf(valueAt(news, change.path), managed.has(change.path)),
      replaces: replacesResource(change),
    }));
    if (this.declaration.token === "server") {
      // A server ID not known yet is that of a server this run creates or replaces (an updated server's ID is known in a
      // preview: PostmarkResource takes it from the resource's ID), so a new server: a replacement, as up will find.
      if (news.serverId === unknownValue || Number(news.serverId) !== Number(olds.serverId)) changes.push({ path: "serverId", kind: "update", replaces: true });
      // A token not known yet, of a server that stays, is taken from that server's outputs (its apiTokens), which an edit
      // of the server leaves as they are.
      if (news.serverToken !== unknownValue && news.serverToken !== olds.serverToken) {
        changes.push({ path: "serverToken", kind: kindOf(news.serverToken, olds.serverToken !== undefined), replaces: false });
      }
    }
    return changes;
  }

  /** The outputs a create will have, as far as a preview knows them (no API call). */
  previewCreate(news: Values): Values {
    return previewedCreateOutputs(this.declaration, news);
  }

  /** The outputs an update will have, as far as a preview knows them (no API call): the object and its ID stay. */
  previewUpdate(olds: Values, news: Values): Values {
    return previewedUpdateOutputs(this.declaration, olds, news);
  }

  async create(news: Values): Promise<{ id: string; outs: Values }> {
    const context = await this.context(news);
    const managed = declaredPaths(this.declaration, news);
    const { adopt, hooks } = this.declaration;
    const adoptId = adopt && news[adopt.input];
    let object: ApiObject;
    if (adoptId !== undefined) object = await this.adopt(context, String(adoptId), news);
    else if (hooks?.create) object = await hooks.create(context, news);
    else {
      const existing = await this.declaration.hooks?.existingInsteadOfCreate?.(context, news);
      object = existing ? await this.bringToDeclared(context, existing, news) : await this.createWithRecovery(context, news);
    }
    return { id: this.pulumiId(context, object), outs: outputsFrom(this.declaration, object, managed, news) };
  }

  async read(id: string, props: Values): Promise<{ id: string; props: Values; inputs?: Values }> {
    const { declaration } = this;
    // A read for `.get` carries no outputs yet; a refresh carries the last outputs.
    const lookup = props[managedFieldsOutput] === undefined;
    const { serverId, apiId } = splitPulumiId(this.declaration, id);
    let object: ApiObject | undefined;
    try {
      const context = await this.context({ ...props, serverId: props.serverId ?? serverId });
      object = await this.readObject(context, apiId);
    } catch (e) {
      if (!this.isGoneError(e)) throw e;
    }
    if (object === undefined || declaration.isGone?.(object)) {
      const where = serverId ? `server ${serverId}` : "this account";
      if (lookup) throw new PostmarkProviderError(`${declaration.kind}.get: no Postmark ${declaration.noun} with ID ${apiId} in ${where}.`);
      // Deleted outside Pulumi: an empty ID tells the engine to drop it from state on refresh.
      return { id: "", props: {} };
    }
    const known = { ...props, ...(serverId && { serverId: Number(serverId) }) };
    // An object read for the first time (`.get`, an import) is reported with the inputs that declare it as it is.
    const managed = lookup ? declaredPaths(declaration, declarableInputs(declaration, object)) : managedPaths(props);
    const outs = outputsFrom(declaration, object, managed, known);
    return { id, props: outs, inputs: inputsFromOutputs(declaration, outs) };
  }

  async update(id: string, olds: Values, news: Values): Promise<{ outs: Values }> {
    const { declaration } = this;
    // Only what changed is sent: an edit that sent every field would wipe values set elsewhere.
    const changes = pendingChanges(declaration, olds, news).filter((c) => !replacesResource(c));
    const managed = declaredPaths(declaration, news);
    const kept = keptInputs(declaration, news);
    const unchanged = () => {
      const { [providerKey]: _provider, ...outs } = olds;
      return { outs: { ...outs, [managedFieldsOutput]: managed, ...kept } };
    };
    if (changes.length === 0 && !declaration.hooks?.update) return unchanged();
    const context = await this.context({ ...olds, ...kept });
    const { apiId } = splitPulumiId(this.declaration, id);
    if (declaration.hooks?.update) {
      const object = await declaration.hooks.update(context, apiId, olds, news);
      return object ? { outs: outputsFrom(declaration, object, managed, { ...olds, ...kept }) } : unchanged();
    }
    await declaration.hooks?.beforeWrite?.(context, news, olds);
    try {
      const object = await this.edit(context, apiId, this.editBody(changes, olds, news));
      return { outs: outputsFrom(declaration, object, managed, { ...olds, ...kept }) };
    } catch (e) {
      if (e instanceof PostmarkApiError && declaration.isNotFound(e) && (await this.isGoneNow(context, apiId))) {
        throw new PostmarkProviderError(
          `Postmark ${declaration.noun} ${apiId} ("${declaration.label(olds)}") no longer exists (deleted outside Pulumi?): ` +
            "run `pulumi refresh` to drop it from the stack, then `pulumi up` to create it again.",
        );
      }
      const clearer = e instanceof PostmarkApiError ? await declaration.hooks?.editError?.(context, apiId, olds, news, e) : undefined;
      throw clearer ?? e;
    }
  }

  async delete(id: string, props: Values): Promise<void> {
    const { declaration } = this;
    const { apiId } = splitPulumiId(this.declaration, id);
    try {
      const context = await this.context(props);
      if (declaration.hooks?.delete) await declaration.hooks.delete(context, apiId, props);
      else {
        try {
          await context.call(declaration.api.delete!, { id: apiId });
        } catch (e) {
          const clearer = e instanceof PostmarkApiError && !declaration.isNotFound(e) ? await declaration.hooks?.deleteError?.(context, apiId, props, e) : undefined;
          throw clearer ?? e;
        }
      }
    } catch (e) {
      if (this.isGoneError(e)) return; // already gone (or its server is): that is what delete wanted
      throw e;
    }
  }

  /** The engine's ID: Postmark's own, prefixed with the server's for resources inside a server ("12/outbound"). */
  private pulumiId(context: ResourceContext, object: ApiObject): string {
    const apiId = String(object[this.declaration.apiId]);
    return context.serverId ? `${context.serverId}/${apiId}` : apiId;
  }

  private isGoneError(e: unknown): boolean {
    return e instanceof ServerGoneError || (e instanceof PostmarkApiError && this.declaration.isNotFound(e));
  }

  /** The object, or undefined when Postmark says it does not exist; by ID, or by the kind's own read (a list). */
  private async readObject(context: ResourceContext, apiId: string): Promise<ApiObject | undefined> {
    const { declaration } = this;
    if (declaration.hooks?.read) return declaration.hooks.read(context, apiId);
    try {
      return await context.call(declaration.api.read!, { id: apiId });
    } catch (e) {
      if (e instanceof PostmarkApiError && declaration.isNotFound(e)) return undefined;
      throw e;
    }
  }

  /**
   * Whether the object is gone, asked after a "not found" answer to an edit: Postmark answers the same code for
   * another object the edit names (a template's layout), and only a read tells the two apart.
   */
  private async isGoneNow(context: ResourceContext, apiId: string): Promise<boolean> {
    const object = await this.readObject(context, apiId).catch(() => "unknown" as const);
    if (object === "unknown") return true;
    return object === undefined || (this.declaration.isGone?.(object) ?? false);
  }

  /** A write's answer as the outputs need it: read again where Postmark answers with a summary. */
  private async afterWrite(context: ResourceContext, answer: ApiObject, apiId = String(answer[this.declaration.apiId])): Promise<ApiObject> {
    if (!this.declaration.readAfterWrite) return answer;
    const object = await this.readObject(context, apiId);
    if (!object) throw new PostmarkProviderError(`Postmark ${this.declaration.noun} ${apiId} was written, but reading it back found nothing.`);
    return object;
  }

  private async edit(context: ResourceContext, apiId: string, body: Values): Promise<ApiObject> {
    const { declaration } = this;
    if (!declaration.api.update) {
      // Unreachable while every field of such a kind replaces: then no edit is ever pending.
      throw new PostmarkProviderError(`A Postmark ${declaration.noun} cannot be edited; only replaced.`);
    }
    return this.afterWrite(context, await context.call(declaration.api.update, { id: apiId, body }), apiId);
  }

  private editBody(changes: FieldChange[], olds: Values, news: Values): Values {
    const always = this.declaration.fields
      .filter((f) => f.sendOnEveryEdit && news[f.input] !== undefined)
      .filter((f) => !changes.some((c) => c.chain[0] === f))
      .map((f) => ({ chain: [f], value: news[f.input] }));
    return editBody(changes, olds, always);
  }

  /**
   * The token and scope of one resource: the account's, or its server's (given, or found with the account token). Also
   * how a command reads a scope (the scan of an account: `context({ serverId })`).
   */
  async context(values: Values): Promise<ResourceContext> {
    const { declaration } = this;
    const client = this.client();
    let auth = accountAuth;
    let serverId: string | undefined;
    let givenToken: string | undefined;
    if (declaration.token === "server") {
      serverId = String(values.serverId);
      givenToken = typeof values.serverToken === "string" ? values.serverToken : undefined;
      if (givenToken !== undefined) await this.checkGivenToken(client, serverId, givenToken);
      auth = { kind: "server", token: givenToken ?? (await client.serverToken(serverId)) };
    }
    const send = <T>(endpoint: Endpoint, options: CallOptions) =>
      client.send<T>({
        operation: `${endpoint.verb ?? verbs[endpoint.method]} ${declaration.noun}`,
        target: options.id === undefined ? (serverId ? `server ${serverId}` : "account") : serverId ? `${serverId}/${options.id}` : options.id,
        method: endpoint.method,
        path: options.id === undefined ? endpoint.path : endpoint.path.replace("{id}", encodeURIComponent(options.id)),
        body: options.body,
        params: options.params as Record<string, string>,
        retryAmbiguous: options.retryAmbiguous ?? endpoint.method !== "POST",
        auth,
      });
    return {
      declaration,
      client,
      get auth() {
        return auth;
      },
      serverId,
      call: async <T>(endpoint: Endpoint, options: CallOptions = {}) => {
        try {
          return await send<T>(endpoint, options);
        } catch (e) {
          // A 401 means Postmark did not act, so the call can be made again with a token found anew.
          if (serverId === undefined || !(e instanceof PostmarkApiError) || e.status !== 401) throw e;
          auth = { kind: "server", token: await this.tokenAfterRefusal(client, serverId, givenToken, auth, e) };
          return send<T>(endpoint, options);
        }
      },
    };
  }

  /**
   * A `serverToken` the program gives must be a token of its `serverId`: a token of another server (say prod's,
   * pasted into staging's config) would otherwise create, edit and delete that server's objects.
   */
  private async checkGivenToken(client: PostmarkClient, serverId: string, givenToken: string): Promise<void> {
    let owner: ApiServer;
    try {
      owner = await client.serverOfToken(givenToken);
    } catch (e) {
      if (!(e instanceof PostmarkApiError) || e.status !== 401) throw e;
      // For a given token this throws why it was refused: the server is gone, or the token is none of its tokens.
      await this.tokenAfterRefusal(client, serverId, givenToken, { kind: "server", token: givenToken }, e);
      throw e;
    }
    if (String(owner.ID) !== serverId) {
      throw new PostmarkProviderError(
        `serverToken is an API token of Postmark server ${owner.ID} ("${owner.Name}"), not of serverId ${serverId}: set serverToken ` +
          `to one of server ${serverId}'s tokens, or leave it out and the provider finds the token with the account token. Nothing was changed.`,
      );
    }
  }

  /**
   * Postmark refused a server token (401). Asking the account API tells why: the server is gone (so is the
   * resource), the given `serverToken` is not one of the server's, or the token found earlier was replaced.
   */
  private async tokenAfterRefusal(client: PostmarkClient, serverId: string, givenToken: string | undefined, used: Auth, refusal: PostmarkApiError): Promise<string> {
    const wrongGivenToken = () =>
      new PostmarkProviderError(
        `serverToken is not an API token of Postmark server ${serverId} (Postmark answered HTTP 401 to "${refusal.operation}"): ` +
          "set it to one of that server's tokens (Postmark: the server's API Tokens page), or leave serverToken out and the " +
          "provider finds the token with the account token.",
      );
    client.forgetServerToken(serverId);
    let current: string;
    try {
      current = await client.serverToken(serverId);
    } catch (e) {
      if (e instanceof ServerGoneError) throw e;
      throw givenToken !== undefined ? wrongGivenToken() : refusal;
    }
    if (givenToken !== undefined) throw wrongGivenToken();
    if (used.kind === "server" && used.token === current) throw refusal;
    return current;
  }

  /** Brings an existing object under management: refused if a create-only field differs, then at most one edit. */
  private async adopt(context: ResourceContext, apiId: string, news: Values): Promise<ApiObject> {
    // Only reached through the adoption input, so the kind has one.
    const declaration = this.declaration as ResourceDeclaration & Required<Pick<ResourceDeclaration, "adopt">>;
    const object = await this.readObject(context, apiId);
    const where = context.serverId ? `server ${context.serverId}` : "this account";
    if (!object) {
      throw new PostmarkProviderError(`${declaration.adopt.input} is ${apiId}, but Postmark has no ${declaration.noun} with that ID in ${where}.`);
    }
    // Managing it would hand the engine an object that its next refresh drops.
    if (declaration.isGone?.(object)) {
      throw new PostmarkProviderError(
        `${declaration.adopt.input} is ${apiId}, but that ${declaration.noun} of ${where} counts as deleted in Postmark (it still ` +
          `answers, e.g. archived): leave ${declaration.adopt.input} out to create it again.`,
      );
    }
    return this.bringToDeclared(context, object, news);
  }

  private async bringToDeclared(context: ResourceContext, object: ApiObject, news: Values): Promise<ApiObject> {
    const { declaration } = this;
    const current = outputsFrom(declaration, object, [], {});
    const id = String(object[declaration.apiId]);
    for (const field of declaration.fields.filter((f) => f.replaceOnChange)) {
      const wanted = news[field.input];
      if (wanted === undefined || sameValue(field, wanted, current[field.input])) continue;
      const apiValue = JSON.stringify(current[field.input]);
      throw new PostmarkProviderError(
        `${declaration.adopt?.input ?? declaration.noun} ${id}: ${declaration.noun} "${declaration.label(current)}" is ${object[field.api]}, but the program ` +
          `declares ${field.input} ${JSON.stringify(wanted)}; Postmark cannot change it after creation. Declare ${field.input} ` +
          `${apiValue} (or leave it out) to adopt this ${declaration.noun}.`,
      );
    }
    // At most one edit brings the object to the declared values; fields the program omits stay as they are.
    const changes = pendingChanges(declaration, current, news).filter((c) => !replacesResource(c));
    if (changes.length === 0) return object;
    await declaration.hooks?.beforeWrite?.(context, news, current);
    return this.edit(context, id, this.editBody(changes, current, news));
  }

  /**
   * One POST. If its answer is lost (timeout, reset, 5xx) the object may exist anyway: look for it and take
   * it only if it was not there before this run's first create and is exactly what this request would have
   * made. So a retry leaves no twin, and an object that existed before is never taken over, whatever the faults.
   */
  private async createWithRecovery(context: ResourceContext, news: Values): Promise<ApiObject> {
    const { declaration } = this;
    const body = createBody(declaredLeaves(declaration.fields, news));
    const recovery = declaration.hooks?.recovery;
    const create = declaration.api.create;
    if (!create) throw new PostmarkProviderError(`A Postmark ${declaration.noun} is not created through the API.`); // a declaration error
    await declaration.hooks?.beforeWrite?.(context, news, {});
    if (!recovery) return this.afterWrite(context, await context.call(create, { body }));
    const before = await this.listedBefore(context);
    const existedBefore = before.ids;
    // An object one create of this run took is never taken by another's lost answer (webhooks have no unique name).
    const taken = (object: ApiObject) => (existedBefore.add(String(object[declaration.apiId])), object);
    // Postmark makes a second webhook with the same URL and stream: the kind refuses what Postmark would not.
    const twins = recovery.twinsBefore?.(before.objects, news) ?? [];
    if (twins.length > 0) return taken(await this.conflictOutcome(context, news, twins));
    let answerLost = false;
    for (let attempt = 1; ; attempt++) {
      let failure: PostmarkApiError;
      try {
        // A read after the write that Postmark keeps failing is handled like a lost answer: the object is looked for.
        return taken(await this.afterWrite(context, await context.call(create, { body })));
      } catch (e) {
        if (!(e instanceof PostmarkApiError) || !(isAmbiguous(e) || recovery.isConflict(e))) throw e;
        failure = e;
      }
      answerLost ||= isAmbiguous(failure);
      const same = await recovery.findSame(context, news);
      const isNew = (o: ApiObject) => !existedBefore.has(String(o[declaration.apiId]));
      const ours = answerLost ? same.find((o) => isNew(o) && looksFreshlyCreatedFrom(declaration, o, news)) : undefined;
      if (ours) return taken(ours);
      // Refused because such an object exists (after an ambiguous answer, the retry finds out).
      if (recovery.isConflict(failure) && same.length > 0) return taken(await this.conflictOutcome(context, news, same));
      if (attempt >= context.client.settings.maxAttempts) throw failure;
      await sleep(context.client.backoffDelay(attempt));
    }
  }

  /** A create that meets objects holding its key: the error the kind gives (what to do), or the object it manages instead. */
  private async conflictOutcome(context: ResourceContext, news: Values, existing: ApiObject[]): Promise<ApiObject> {
    const outcome = await this.declaration.hooks!.recovery!.onConflict(context, news, existing);
    if (outcome instanceof Error) throw outcome;
    return this.bringToDeclared(context, outcome, news);
  }

  /**
   * One listing per scope per provider process, shared by all its creates. Postmark gives most objects no
   * creation time, so this is the only way to tell, after a lost answer, an object our POST made from one
   * that was already there.
   */
  private listedBefore(context: ResourceContext): Promise<ScopeBeforeCreates> {
    // A failed listing is not remembered: the next create asks again.
    return cachedUntilFailure(this.scopesBeforeCreates, context.serverId ?? "account", () =>
      this.declaration.hooks!.recovery!.listAll(context).then((objects) => ({
        objects,
        ids: new Set(objects.map((o) => String(o[this.declaration.apiId]))),
      })),
    );
  }

  /**
   * What a create of `news` that was interrupted (its `pulumi up` killed) may have made, found without a write by the
   * rule that takes a create's object after a lost answer: the kind's `findSame`, then `looksFreshlyCreatedFrom`. Objects
   * whose Pulumi ID is in `owned` (held by resources of the stack) are never among them. Each comes with the Pulumi ID and
   * outputs that create would have returned. None for an adoption, or a kind whose create makes nothing in Postmark (a
   * verification): the next `pulumi up` does those again, and they leave nothing behind.
   */
  async findInterruptedCreate(news: Values, owned: ReadonlySet<string>): Promise<{ id: string; outs: Values }[]> {
    const { declaration } = this;
    const recovery = declaration.hooks?.recovery;
    if (!recovery || (declaration.adopt && news[declaration.adopt.input] !== undefined)) return [];
    let context: ResourceContext;
    try {
      context = await this.context(news);
    } catch (e) {
      if (e instanceof ServerGoneError) return []; // the server is gone, and with it whatever was made in it
      throw e;
    }
    const managed = declaredPaths(declaration, news);
    return (await recovery.findSame(context, news))
      .filter((object) => looksFreshlyCreatedFrom(declaration, object, news))
      .map((object) => ({ id: this.pulumiId(context, object), outs: outputsFrom(declaration, object, managed, news) }))
      .filter(({ id }) => !owned.has(id));
  }
}
