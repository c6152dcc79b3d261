import { checkInputs, CheckOutcome, providerKey, unknownValue } from "./checkInputs";
import { PostmarkApiError, PostmarkProviderError } from "./errors";
import { isAmbiguous, PostmarkClient } from "./postmarkClient";
import { sleep } from "./requestGate";
import { adoptServerIdInput, managedFieldsOutput, sameValue, writableFields } from "./serverFields";
import {
  ApiServer,
  declaredBody,
  declaredFieldNames,
  Inputs,
  inputsFromOutputs,
  looksFreshlyCreatedFrom,
  Outputs,
  outputsFromServer,
  pendingChanges,
  toApiBody,
} from "./serverState";

export interface DiffOutcome {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

const deliveryTypeField = writableFields.find((f) => f.input === "deliveryType")!;

/**
 * The PostmarkServer lifecycle. `diff` and `update` get the old *outputs* from the engine (not the old
 * inputs), and `read` only outputs too, so whatever they need (which fields the program declared) is
 * kept in the outputs.
 */
export class ServerOperations {
  private serverIdsSnapshot?: Promise<Set<number>>;

  constructor(private readonly client: () => PostmarkClient) {}

  check(_olds: Inputs, news: Inputs): CheckOutcome {
    return checkInputs(news);
  }

  diff(_id: string, olds: Outputs, news: Inputs): DiffOutcome {
    const changes = pendingChanges(olds, news);
    const replaces = changes.filter((c) => c.field.replaceOnChange).map((c) => c.field.input);
    // Server names are unique in an account, so a replacement that keeps its name must delete first.
    const sameName =
      news.name === unknownValue || String(news.name ?? olds.name).toLowerCase() === String(olds.name).toLowerCase();
    return { changes: changes.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 && sameName };
  }

  async create(news: Inputs): Promise<{ id: string; outs: Outputs }> {
    const managed = declaredFieldNames(news);
    if (news[adoptServerIdInput] !== undefined) return this.adopt(news, managed);
    const server = await this.createServer(news);
    return { id: String(server.ID), outs: outputsFromServer(server, managed) };
  }

  async read(id: string, props: Outputs): Promise<{ id: string; props: Outputs; inputs?: Inputs }> {
    let server: ApiServer;
    try {
      server = await this.client().getServer(id);
    } catch (e) {
      if (e instanceof PostmarkApiError && e.isNotFound) {
        // PostmarkServer.get: the engine would record an empty resource, so say plainly that there is none.
        if (isLookup(props)) throw new PostmarkProviderError(`PostmarkServer.get: no Postmark server with ID ${id} in this account.`);
        // Deleted outside Pulumi: an empty ID tells the engine to drop it from state on refresh.
        return { id: "", props: {} };
      }
      throw e;
    }
    const outs = outputsFromServer(server, managedFields(props), props[adoptServerIdInput]);
    return { id, props: outs, inputs: inputsFromOutputs(outs) };
  }

  async update(id: string, olds: Outputs, news: Inputs): Promise<{ outs: Outputs }> {
    // Only what changed is sent: an edit that sent every field would wipe values set elsewhere.
    const changes = pendingChanges(olds, news).filter((c) => !c.field.replaceOnChange);
    const managed = declaredFieldNames(news);
    if (changes.length === 0) {
      const { [providerKey]: _provider, ...outs } = olds;
      return { outs: { ...outs, [managedFieldsOutput]: managed, [adoptServerIdInput]: news[adoptServerIdInput] } };
    }
    try {
      const server = await this.client().editServer(id, toApiBody(changes));
      return { outs: outputsFromServer(server, managed, news[adoptServerIdInput]) };
    } catch (e) {
      if (e instanceof PostmarkApiError && e.isNotFound) {
        throw new PostmarkProviderError(
          `Postmark server ${id} ("${olds.name}") no longer exists (deleted outside Pulumi?): ` +
            "run `pulumi refresh` to drop it from the stack, then `pulumi up` to create it again.",
        );
      }
      if (e instanceof PostmarkApiError && e.errorCode === 603) throw await this.nameTakenOnRename(id, olds.name, String(news.name), e);
      throw e;
    }
  }

  async delete(id: string, props: Outputs): Promise<void> {
    try {
      await this.client().deleteServer(id);
    } catch (e) {
      if (e instanceof PostmarkApiError && e.isNotFound) return; // already gone: that is what delete wanted
      if (e instanceof PostmarkApiError && e.errorCode === 604) {
        throw new PostmarkProviderError(
          `Postmark refused to delete server ${id} ("${props.name}"): ErrorCode 604, this account may not delete ` +
            "servers through the API. Ask Postmark support to enable server deletion through the API, or set the " +
            "resource option `retainOnDelete: true` so that Pulumi forgets the server and leaves it in Postmark. " +
            "The server is unchanged and stays in the stack's state.",
        );
      }
      throw e;
    }
  }

  /**
   * One POST. If its answer is lost (timeout, reset, 5xx) the server may exist anyway: look it up by
   * name and take it only if it was not in the account before this run's first create and is exactly
   * what this request would have made. So a retry leaves no twin, and a server that existed before is
   * never taken over, whatever the faults.
   */
  private async createServer(news: Inputs): Promise<ApiServer> {
    const client = this.client();
    const name = String(news.name);
    const existedBefore = await this.serverIdsBeforeCreates();
    let answerLost = false;
    for (let attempt = 1; ; attempt++) {
      let failure: PostmarkApiError;
      try {
        return await client.createServer(declaredBody(news));
      } catch (e) {
        if (!(e instanceof PostmarkApiError) || !(isAmbiguous(e) || e.errorCode === 603)) throw e;
        failure = e;
      }
      answerLost ||= isAmbiguous(failure);
      const sameName = await client.findServersByName(name);
      const ours = answerLost ? sameName.find((s) => !existedBefore.has(s.ID) && looksFreshlyCreatedFrom(s, news)) : undefined;
      if (ours) return ours;
      if (sameName.length > 0) throw this.nameTakenOnCreate(name, sameName);
      if (attempt >= client.settings.maxAttempts) throw failure;
      await sleep(client.backoffDelay(attempt));
    }
  }

  /**
   * The IDs of every server in the account before this run made any: one listing (a GET per 100 servers)
   * per provider process, shared by all its creates. Postmark gives a server no creation time, so this is
   * the only way to tell, after a lost answer, a server our POST made from one that was already there.
   */
  private serverIdsBeforeCreates(): Promise<Set<number>> {
    this.serverIdsSnapshot ??= this.client()
      .listServers()
      .then((servers) => new Set(servers.map((s) => s.ID)));
    // A failed listing is not remembered: the next create asks again.
    this.serverIdsSnapshot.catch(() => (this.serverIdsSnapshot = undefined));
    return this.serverIdsSnapshot;
  }

  private async adopt(news: Inputs, managed: string[]): Promise<{ id: string; outs: Outputs }> {
    const id = String(news[adoptServerIdInput]);
    let server: ApiServer;
    try {
      server = await this.client().getServer(id);
    } catch (e) {
      if (e instanceof PostmarkApiError && e.isNotFound) {
        throw new PostmarkProviderError(`adoptServerId is ${id}, but Postmark has no server with that ID in this account.`);
      }
      throw e;
    }
    const wantedType = news[deliveryTypeField.input];
    if (wantedType !== undefined && !sameValue(deliveryTypeField, wantedType, server.DeliveryType)) {
      throw new PostmarkProviderError(
        `adoptServerId ${id}: server "${server.Name}" is ${server.DeliveryType}, but the program declares deliveryType ` +
          `${JSON.stringify(wantedType)}; Postmark cannot change it after creation. Declare deliveryType ` +
          `${JSON.stringify(server.DeliveryType)} (or leave it out) to adopt this server.`,
      );
    }
    // At most one PUT brings the server to the declared values; fields the program omits stay as they are.
    const changes = pendingChanges(outputsFromServer(server, []), news).filter((c) => !c.field.replaceOnChange);
    if (changes.length > 0) server = await this.client().editServer(id, toApiBody(changes));
    return { id, outs: outputsFromServer(server, managed, news[adoptServerIdInput]) };
  }

  private nameTakenOnCreate(name: string, existing: ApiServer[]): Error {
    const ids = existing.map((s) => s.ID);
    return new PostmarkProviderError(
      `A Postmark server named "${name}" already exists (ID ${ids.join(", ")}), and server names are unique in an ` +
        `account. To manage that server from this program, set \`adoptServerId: ${ids[0]}\` on this resource; ` +
        "otherwise choose another name.",
    );
  }

  private async nameTakenOnRename(id: string, oldName: unknown, name: string, cause: PostmarkApiError): Promise<Error> {
    const existing = await this.client().findServersByName(name).catch(() => []);
    const others = existing.filter((s) => String(s.ID) !== id).map((s) => s.ID);
    if (others.length === 0) return cause;
    return new PostmarkProviderError(
      `Cannot rename Postmark server ${id} ("${oldName}") to "${name}": another server already has that name ` +
        `(ID ${others.join(", ")}), and server names are unique in an account. Choose another name, or rename or ` +
        "delete that server first. Nothing was changed.",
    );
  }
}

/** A read for PostmarkServer.get carries no outputs yet; a refresh carries the server's last outputs. */
const isLookup = (props: Outputs): boolean => props.serverId === undefined;

const managedFields = (props: Outputs): string[] => (props[managedFieldsOutput] as string[] | undefined) ?? [];
