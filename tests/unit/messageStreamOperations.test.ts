/**
 * PostmarkMessageStream's operations against the emulator over HTTP: the server token, check rules, the calls
 * and bodies of create, read, edit and archive, default streams, unarchiving, lost-create recovery and adoption.
 */
import { interruptedCreateAdvice } from "../../provider/core/errors";
import { unknownValue, Values } from "../../provider/core/fields";
import { ResourceOperations } from "../../provider/core/operations";
import { messageStreamDeclaration } from "../../provider/resources/messageStream";
import { StoredServer } from "../support/emulatorAdmin";
import { failureReasons, printed, RecordingClient, useOperationsEmulator } from "../support/operationsHarness";

const accountToken = "unit-test-account-token-streams-8d2e";

const { admin, calls, newClient } = useOperationsEmulator({ token: accountToken, seed: 11 });
let client: RecordingClient;
let operations: ResourceOperations;
let server: StoredServer;
let serverToken: string;

/** A new provider process: its own client (so no server token is known yet) and operations. */
function newProcess(): void {
  client = newClient(RecordingClient);
  operations = new ResourceOperations(messageStreamDeclaration, () => client);
}

beforeEach(async () => {
  await admin.settings({ faults: "", faultQueue: [], createFaultQueue: [], missingServer: "404" });
  await admin.messageStreamSettings({ customUnsubscribeHandling: false, archiveUnavailable: false });
  await admin.reset();
  server = await admin.createByHand({ Name: "Mail" });
  serverToken = (server.ApiTokens as string[])[0];
  newProcess();
  jest.spyOn(console, "error").mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

const tokenLookup = () => `GET /servers/${server.ID} 200`;
/** The one listing a run makes before its first create on a server, archived streams included. */
const listing = "GET /message-streams?MessageStreamType=All&IncludeArchivedStreams=true 200";
const stream = async (id: string) => (await admin.streams(server.ID)).find((s) => s.ID === id);

/** Creates a stream through the provider and forgets the calls it took (the token stays known). */
async function created(inputs: Values): Promise<{ id: string; outs: Values }> {
  const result = await operations.create({ serverId: server.ID, ...inputs });
  await admin.clearRequests();
  client.sent.length = 0;
  return result;
}

describe("the server's token", () => {
  it("is looked up once per process with the account token, whatever the number of operations on that server", async () => {
    const { id, outs } = await operations.create({ serverId: server.ID, streamId: "news", name: "News", messageStreamType: "Broadcasts" });
    await operations.create({ serverId: server.ID, streamId: "alerts", name: "Alerts", messageStreamType: "Transactional" });
    await operations.read(id, outs);
    await operations.update(id, outs, { serverId: server.ID, streamId: "news", name: "Newsletters", messageStreamType: "Broadcasts" });
    await operations.delete(id, outs);
    const log = await calls();
    expect(log.filter((c) => c.startsWith("GET /servers"))).toEqual([tokenLookup()]);
    expect(log[0]).toBe(tokenLookup());
    expect(log).toHaveLength(7);
  });

  it("a given serverToken is checked against serverId once per process (GET /server), with no account lookup", async () => {
    await operations.create({ serverId: server.ID, serverToken, streamId: "news", name: "News", messageStreamType: "Broadcasts" });
    await operations.create({ serverId: server.ID, serverToken, streamId: "alerts", name: "Alerts", messageStreamType: "Transactional" });
    expect(await calls()).toEqual(["GET /server 200", listing, "POST /message-streams 200", "POST /message-streams 200"]);
  });

  it("a serverToken of another server is refused before any change, naming both servers, and no token is printed", async () => {
    const other = await admin.createByHand({ Name: "Prod mail" });
    const otherToken = (other.ApiTokens as string[])[0];
    const inputs = { serverId: server.ID, serverToken: otherToken, streamId: "news", name: "News", messageStreamType: "Broadcasts" };
    const failure = await operations.create(inputs).catch((e) => e);
    expect(failure.message).toBe(
      `serverToken is an API token of Postmark server ${other.ID} ("Prod mail"), not of serverId ${server.ID}: set serverToken to one of ` +
        `server ${server.ID}'s tokens, or leave it out and the provider finds the token with the account token. Nothing was changed.`,
    );
    for (const secret of [otherToken, serverToken, accountToken]) expect(printed(failure)).not.toContain(secret);
    expect(await calls()).toEqual(["GET /server 200"]);
    expect(await admin.streams(other.ID)).toHaveLength(3);
    // Read and delete refuse too: a stream of the other server with the same ID is never read or archived.
    await admin.createStreamByHand(other.ID, { ID: "news", Name: "News", MessageStreamType: "Broadcasts" });
    const outs = { ...inputs, managedFields: ["name"] };
    await expect(operations.read(`${server.ID}/news`, outs)).rejects.toThrow(`serverToken is an API token of Postmark server ${other.ID}`);
    await expect(operations.delete(`${server.ID}/news`, outs)).rejects.toThrow(`serverToken is an API token of Postmark server ${other.ID}`);
    expect((await admin.streams(other.ID)).find((s) => s.ID === "news")?.ArchivedAt).toBeFalsy();
  });

  it("a serverToken that is not one of the server's tokens is a clear error naming the input, and no token is printed", async () => {
    const wrong = "wrong-server-token-4c1d";
    const failure = await operations
      .create({ serverId: server.ID, serverToken: wrong, streamId: "news", name: "News", messageStreamType: "Broadcasts" })
      .catch((e) => e);
    expect(failure.message).toContain(`serverToken is not an API token of Postmark server ${server.ID}`);
    for (const secret of [wrong, serverToken, accountToken]) expect(printed(failure)).not.toContain(secret);
    expect(await admin.streams(server.ID)).toHaveLength(3);
  });

  it("a token replaced in Postmark since it was looked up is looked up again, and the call made again", async () => {
    const { id, outs } = await created({ streamId: "news", name: "News", messageStreamType: "Broadcasts" });
    const replaced = "replaced-server-token-2b7a";
    await admin.editByHand(server.ID, { ApiTokens: [replaced] });
    expect((await operations.read(id, outs)).id).toBe(id);
    expect(await calls()).toEqual(["GET /message-streams/news 401", tokenLookup(), "GET /message-streams/news 200"]);
  });

  it("a serverId that is no server is a clear error", async () => {
    const failure = await operations.create({ serverId: 987654, streamId: "news", name: "News", messageStreamType: "Broadcasts" }).catch((e) => e);
    expect(failure.message).toBe("serverId is 987654, but Postmark has no server with that ID in this account.");
  });

  it("Postmark's refusals, printed in full, contain neither the server's token nor the account token", async () => {
    const { id, outs } = await created({ streamId: "news", name: "News", messageStreamType: "Broadcasts" });
    await admin.messageStreamSettings({ customUnsubscribeHandling: false });
    const failure = await operations
      .update(id, outs, { serverId: server.ID, streamId: "news", name: "News", messageStreamType: "Broadcasts", unsubscribeHandlingType: "Custom" })
      .catch((e) => e);
    expect(failure.message).toContain("ErrorCode 1238");
    for (const secret of [serverToken, accountToken]) expect(printed(failure)).not.toContain(secret);
  });
});

describe("check (no API call)", () => {
  const valid = { serverId: 1, streamId: "news", name: "News", messageStreamType: "Broadcasts" };
  const reasons = (news: Values, olds: Values = {}) => failureReasons(operations.check(olds, { ...valid, ...news }));

  afterEach(async () => expect(await admin.requests()).toEqual([]));

  it.each([
    ["pm-x", 'streamId: streamId is "pm-x"; it must not start with "pm-" (reserved by Postmark)'],
    ["News", 'streamId: streamId is "News"; it must start with a lowercase letter and hold only lowercase letters, digits, - and _'],
    ["n".repeat(31), `streamId: streamId is "${"n".repeat(31)}"; it must be at most 30 characters`],
    ["all", 'streamId: streamId is "all"; "all" is reserved by Postmark'],
    ["9lives", 'streamId: streamId is "9lives"; it must start with a lowercase letter and hold only lowercase letters, digits, - and _'],
  ])("streamId %j is refused", (streamId, reason) => {
    expect(reasons({ streamId })).toEqual([reason]);
  });

  it("a messageStreamType Postmark does not have is refused, naming the allowed values", () => {
    expect(reasons({ messageStreamType: "Outbound" })).toEqual([
      'messageStreamType: messageStreamType is "Outbound"; allowed values: Transactional, Broadcasts, Inbound',
    ]);
  });

  it("a Broadcasts stream must handle unsubscribes", () => {
    expect(reasons({ unsubscribeHandlingType: "None" })).toEqual([
      'unsubscribeHandlingType: unsubscribeHandlingType is "None"; a Broadcasts stream must handle unsubscribes: Postmark or Custom',
    ]);
  });

  it("an Inbound type on a new streamId is refused: a server has one Inbound stream", () => {
    expect(reasons({ streamId: "mail-in", messageStreamType: "Inbound" })).toEqual([
      'messageStreamType: messageStreamType is "Inbound"; a server has one Inbound stream, the default "inbound": declare streamId "inbound"',
    ]);
  });

  it("the default inbound stream takes only None", () => {
    expect(reasons({ streamId: "inbound", messageStreamType: undefined, unsubscribeHandlingType: "Postmark" })).toEqual([
      'unsubscribeHandlingType: unsubscribeHandlingType is "Postmark"; an Inbound stream takes only None',
    ]);
  });

  it("a default stream's type is fixed", () => {
    expect(reasons({ streamId: "outbound", messageStreamType: "Broadcasts" })).toEqual([
      'messageStreamType: messageStreamType is "Broadcasts", but the default stream "outbound" is Transactional',
    ]);
  });

  it("a new stream must declare its type", () => {
    expect(reasons({ messageStreamType: undefined })).toEqual([
      'messageStreamType: messageStreamType is required for a new stream ("news"): Transactional or Broadcasts',
    ]);
  });

  it("a type change that keeps the streamId is refused: the archived stream keeps its ID", () => {
    const olds = { ...valid, messageStreamType: "Transactional" };
    expect(reasons({ messageStreamType: "broadcasts" }, olds)).toEqual([
      "messageStreamType: messageStreamType cannot change from Transactional to Broadcasts for stream \"news\": the old stream is archived, " +
        "and Postmark keeps its ID for 45 days. Give the new stream a new streamId.",
    ]);
    expect(reasons({ streamId: "news-2" }, olds)).toEqual([]);
  });

  it("a name over 100 characters and a description with HTML are refused", () => {
    expect(reasons({ name: "n".repeat(101), description: "<b>Weekly</b>" })).toEqual([
      `name: name is "${"n".repeat(101)}"; it must be at most 100 characters`,
      'description: description is "<b>Weekly</b>"; it must not contain HTML (< or >)',
    ]);
    expect(reasons({ name: "n".repeat(100), description: "Weekly" })).toEqual([]);
  });

  it("adoptStreamId must name the declared stream", () => {
    expect(reasons({ adoptStreamId: "other" })).toEqual(['adoptStreamId: adoptStreamId is "other"; it must equal streamId ("news")']);
  });

  it("values not known until other resources exist are left to the run that knows them", () => {
    expect(reasons({ streamId: unknownValue, messageStreamType: undefined, adoptStreamId: undefined })).toEqual([]);
    expect(reasons({ streamId: "outbound", messageStreamType: unknownValue })).toEqual([]);
    expect(reasons({ streamId: "inbound", messageStreamType: undefined, unsubscribeHandlingType: unknownValue })).toEqual([]);
    expect(reasons({ messageStreamType: unknownValue }, { ...valid, messageStreamType: "Transactional" })).toEqual([]);
  });

  it("accepts a valid stream and normalises the type's case and the server ID", () => {
    const { inputs, failures } = operations.check({}, { ...valid, serverId: "7", messageStreamType: "broadcasts", unsubscribeHandlingType: "postmark" });
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({ serverId: 7, messageStreamType: "Broadcasts", unsubscribeHandlingType: "Postmark" });
  });
});

describe("create", () => {
  it("a custom stream takes one listing of the server's streams and one POST of the declared fields", async () => {
    const { id, outs } = await operations.create({
      serverId: server.ID,
      streamId: "news",
      name: "News",
      description: "Weekly",
      messageStreamType: "Transactional",
      unsubscribeHandlingType: "Postmark",
    });
    expect(await calls()).toEqual([tokenLookup(), listing, "POST /message-streams 200"]);
    expect(client.sent.find((c) => c.method === "POST")?.body).toEqual({
      ID: "news",
      Name: "News",
      Description: "Weekly",
      MessageStreamType: "Transactional",
      SubscriptionManagementConfiguration: { UnsubscribeHandlingType: "Postmark" },
    });
    expect(id).toBe(`${server.ID}/news`);
    expect(outs).toMatchObject({
      serverId: server.ID,
      streamId: "news",
      name: "News",
      messageStreamType: "Transactional",
      unsubscribeHandlingType: "Postmark",
      managedFields: ["streamId", "name", "description", "messageStreamType", "unsubscribeHandlingType"],
    });
    expect(outs.createdAt).toEqual((await stream("news"))?.CreatedAt);
  });

  it("one listing per server per run, shared by every create", async () => {
    await operations.create({ serverId: server.ID, streamId: "one", name: "One", messageStreamType: "Transactional" });
    await operations.create({ serverId: server.ID, streamId: "two", name: "Two", messageStreamType: "Broadcasts" });
    expect((await calls()).filter((c) => c.startsWith("GET"))).toEqual([tokenLookup(), listing]);
  });

  it("declaring a default stream manages it: no POST, one PATCH of what differs", async () => {
    const { id, outs } = await operations.create({ serverId: server.ID, streamId: "outbound", name: "Receipts", description: "Receipts and resets" });
    expect(await calls()).toEqual([tokenLookup(), "GET /message-streams/outbound 200", "PATCH /message-streams/outbound 200"]);
    expect(client.sent.find((c) => c.method === "PATCH")?.body).toEqual({ Name: "Receipts", Description: "Receipts and resets" });
    expect(id).toBe(`${server.ID}/outbound`);
    expect(outs).toMatchObject({ name: "Receipts", messageStreamType: "Transactional", managedFields: ["streamId", "name", "description"] });
    expect(await admin.streams(server.ID)).toHaveLength(3);
  });

  it("declaring a default stream as it already is makes no edit", async () => {
    await operations.create({ serverId: server.ID, streamId: "outbound", name: "Default Transactional Stream", messageStreamType: "transactional" });
    expect(await calls()).toEqual([tokenLookup(), "GET /message-streams/outbound 200"]);
  });

  it("declaring the default broadcast stream after it was archived unarchives it", async () => {
    await admin.archiveStreamByHand(server.ID, "broadcast");
    await operations.create({ serverId: server.ID, streamId: "broadcast", name: "Default Broadcast Stream" });
    expect(await calls()).toEqual([tokenLookup(), "GET /message-streams/broadcast 200", "POST /message-streams/broadcast/unarchive 200"]);
    expect((await stream("broadcast"))?.ArchivedAt).toBeNull();
  });

  it("re-creating a stream that is archived but not purged unarchives it and edits the declared fields, with no twin", async () => {
    const { id, outs } = await created({ streamId: "news", name: "News", messageStreamType: "Broadcasts" });
    await operations.delete(id, outs);
    await admin.clearRequests();
    const again = await operations.create({ serverId: server.ID, streamId: "news", name: "News 2", messageStreamType: "Broadcasts" });
    expect(await calls()).toEqual([
      "POST /message-streams 422",
      "GET /message-streams/news 200",
      "POST /message-streams/news/unarchive 200",
      "PATCH /message-streams/news 200",
    ]);
    expect(client.sent.find((c) => c.method === "PATCH")?.body).toEqual({ Name: "News 2" });
    expect(again).toMatchObject({ id: `${server.ID}/news`, outs: { name: "News 2" } });
    expect((await admin.streams(server.ID)).filter((s) => s.ID === "news")).toEqual([expect.objectContaining({ ArchivedAt: null, Name: "News 2" })]);
  });

  it("re-creating an archived stream with another type fails clearly and leaves it archived", async () => {
    await admin.createStreamByHand(server.ID, { ID: "news", Name: "News", MessageStreamType: "Broadcasts" });
    await admin.archiveStreamByHand(server.ID, "news");
    const failure = await operations.create({ serverId: server.ID, streamId: "news", name: "News", messageStreamType: "Transactional" }).catch((e) => e);
    expect(failure.message).toContain('message stream "news" of server');
    expect(failure.message).toContain("is archived and Broadcasts, but the program declares messageStreamType \"Transactional\"");
    expect(failure.message).toContain("choose another streamId");
    expect((await stream("news"))?.ArchivedAt).not.toBeNull();
  });

  it("never takes a stream with the same ID that exists: the error says how to adopt it", async () => {
    await admin.createStreamByHand(server.ID, { ID: "news", Name: "By hand", MessageStreamType: "Broadcasts" });
    const failure = await operations.create({ serverId: server.ID, streamId: "news", name: "News", messageStreamType: "Broadcasts" }).catch((e) => e);
    expect(failure.message).toBe(
      `A message stream "news" already exists on server ${server.ID}. To manage it from this program, set \`adoptStreamId: "news"\` ` +
        `on this resource; otherwise choose another streamId. ${interruptedCreateAdvice("message stream")}`,
    );
    expect(await stream("news")).toMatchObject({ Name: "By hand", ArchivedAt: null });
  });

  it.each(["lost-create", "reset", "500"])("never takes a stream with the same ID that existed before, even when the create meets %s", async (fault) => {
    await admin.createStreamByHand(server.ID, { ID: "news", Name: "News", MessageStreamType: "Broadcasts" });
    await admin.settings({ createFaultQueue: [fault, fault] });
    const failure = await operations.create({ serverId: server.ID, streamId: "news", name: "News", messageStreamType: "Broadcasts" }).catch((e) => e);
    expect(failure.message).toContain('set `adoptStreamId: "news"`');
    expect((await admin.streams(server.ID)).filter((s) => s.ID === "news")).toHaveLength(1);
  });

  it("a create whose answer is lost takes the stream it made", async () => {
    await admin.settings({ createFaultQueue: ["lost-create"] });
    const { id, outs } = await operations.create({ serverId: server.ID, streamId: "news", name: "News", messageStreamType: "Broadcasts" });
    expect(await calls()).toEqual([tokenLookup(), listing, "POST /message-streams 0", "GET /message-streams/news 200"]);
    expect(id).toBe(`${server.ID}/news`);
    expect(outs).toMatchObject({ streamId: "news", name: "News", unsubscribeHandlingType: "Postmark" });
    expect(await admin.streams(server.ID)).toHaveLength(4);
  });

  it("a create that meets a reset before Postmark acted is retried once a lookup shows no stream", async () => {
    await admin.settings({ createFaultQueue: ["reset"] });
    await operations.create({ serverId: server.ID, streamId: "news", name: "News", messageStreamType: "Broadcasts" });
    expect(await calls()).toEqual([tokenLookup(), listing, "POST /message-streams 0", "GET /message-streams/news 422", "POST /message-streams 200"]);
  });
});

describe("adoptStreamId", () => {
  it("reads the stream and brings it to the declared values with one PATCH of what differs", async () => {
    await admin.createStreamByHand(server.ID, { ID: "legacy", Name: "Legacy", Description: "Kept", MessageStreamType: "Transactional" });
    const { id, outs } = await operations.create({ serverId: server.ID, streamId: "legacy", name: "Legacy 2", adoptStreamId: "legacy" });
    expect(await calls()).toEqual([tokenLookup(), "GET /message-streams/legacy 200", "PATCH /message-streams/legacy 200"]);
    expect(client.sent.find((c) => c.method === "PATCH")?.body).toEqual({ Name: "Legacy 2" });
    expect(id).toBe(`${server.ID}/legacy`);
    expect(outs).toMatchObject({ adoptStreamId: "legacy", description: "Kept", managedFields: ["streamId", "name"] });
  });

  it("refuses a stream of another type before changing anything", async () => {
    await admin.createStreamByHand(server.ID, { ID: "legacy", Name: "Legacy", MessageStreamType: "Transactional" });
    const failure = await operations
      .create({ serverId: server.ID, streamId: "legacy", name: "Other", messageStreamType: "Broadcasts", adoptStreamId: "legacy" })
      .catch((e) => e);
    expect(failure.message).toContain('message stream "legacy" is Transactional, but the program declares messageStreamType "Broadcasts"');
    expect(await stream("legacy")).toMatchObject({ Name: "Legacy" });
  });

  it("a stream that does not exist is a clear error", async () => {
    const failure = await operations.create({ serverId: server.ID, streamId: "ghost", name: "G", messageStreamType: "Transactional", adoptStreamId: "ghost" }).catch((e) => e);
    expect(failure.message).toBe(`adoptStreamId is ghost, but Postmark has no message stream with that ID in server ${server.ID}.`);
  });

  it("an archived stream is not adopted as if it were live", async () => {
    await admin.createStreamByHand(server.ID, { ID: "legacy", Name: "Legacy", MessageStreamType: "Transactional" });
    await admin.archiveStreamByHand(server.ID, "legacy");
    const failure = await operations.create({ serverId: server.ID, streamId: "legacy", name: "Legacy", adoptStreamId: "legacy" }).catch((e) => e);
    expect(failure.message).toContain(`adoptStreamId is legacy, but that message stream of server ${server.ID} counts as deleted in Postmark`);
  });
});

describe("read", () => {
  it("makes one GET and reports the managed inputs as they stand in Postmark", async () => {
    const { id, outs } = await created({ streamId: "news", name: "News", messageStreamType: "Broadcasts" });
    await admin.editStreamByHand(server.ID, "news", { Name: "Renamed by hand", Description: "Not managed" });
    const read = await operations.read(id, outs);
    expect(await calls()).toEqual(["GET /message-streams/news 200"]);
    expect(read.props).toMatchObject({ name: "Renamed by hand", description: "Not managed", managedFields: ["streamId", "name", "messageStreamType"] });
    expect(read.inputs).toEqual({ serverId: server.ID, streamId: "news", name: "Renamed by hand", messageStreamType: "Broadcasts" });
  });

  it("an archived stream (Postmark still answers 200) is gone, so refresh drops it", async () => {
    const { id, outs } = await created({ streamId: "news", name: "News", messageStreamType: "Broadcasts" });
    await admin.archiveStreamByHand(server.ID, "news");
    expect(await operations.read(id, outs)).toEqual({ id: "", props: {} });
  });

  it("a purged stream, and a stream whose server was deleted, are gone", async () => {
    const { id, outs } = await created({ streamId: "news", name: "News", messageStreamType: "Broadcasts" });
    await admin.archiveStreamByHand(server.ID, "news");
    await admin.purgeStreamByHand(server.ID, "news");
    expect(await operations.read(id, outs)).toEqual({ id: "", props: {} });
    const other = await created({ streamId: "alerts", name: "Alerts", messageStreamType: "Transactional" });
    await admin.deleteByHand(server.ID);
    newProcess();
    expect(await operations.read(other.id, other.outs)).toEqual({ id: "", props: {} });
  });

  it("PostmarkMessageStream.get of an archived stream is a clear error; of a live one, its outputs", async () => {
    await admin.createStreamByHand(server.ID, { ID: "news", Name: "News", MessageStreamType: "Broadcasts" });
    const found = await operations.read(`${server.ID}/news`, {});
    expect(found.props).toMatchObject({ serverId: server.ID, streamId: "news", name: "News" });
    await admin.archiveStreamByHand(server.ID, "news");
    const failure = await operations.read(`${server.ID}/news`, {}).catch((e) => e);
    expect(failure.message).toBe(`PostmarkMessageStream.get: no Postmark message stream with ID news in server ${server.ID}.`);
  });
});

describe("update", () => {
  it("sends one PATCH with only what changed", async () => {
    const { id, outs } = await created({ streamId: "news", name: "News", description: "Weekly", messageStreamType: "Broadcasts" });
    const { outs: after } = await operations.update(id, outs, { serverId: server.ID, streamId: "news", name: "News", description: "Monthly", messageStreamType: "Broadcasts" });
    expect(client.sent).toEqual([{ method: "PATCH", path: "/message-streams/news", body: { Description: "Monthly" } }]);
    expect(after).toMatchObject({ description: "Monthly", name: "News" });
  });

  it("unsubscribe handling goes nested under SubscriptionManagementConfiguration", async () => {
    const { id, outs } = await created({ streamId: "alerts", name: "Alerts", messageStreamType: "Transactional" });
    await operations.update(id, outs, { serverId: server.ID, streamId: "alerts", name: "Alerts", messageStreamType: "Transactional", unsubscribeHandlingType: "postmark" });
    expect(client.sent).toEqual([
      { method: "PATCH", path: "/message-streams/alerts", body: { SubscriptionManagementConfiguration: { UnsubscribeHandlingType: "Postmark" } } },
    ]);
    expect((await stream("alerts"))?.SubscriptionManagementConfiguration).toEqual({ UnsubscribeHandlingType: "Postmark" });
  });

  it("makes no call when nothing changed (the type's case aside)", async () => {
    const { id, outs } = await created({ streamId: "news", name: "News", messageStreamType: "Broadcasts" });
    await operations.update(id, outs, { serverId: server.ID, streamId: "news", name: "News", messageStreamType: "broadcasts" });
    expect(await calls()).toEqual([]);
  });

  it("a changed type or streamId replaces the stream; a changed serverId too", async () => {
    const { id, outs } = await created({ streamId: "news", name: "News", messageStreamType: "Broadcasts" });
    const same = { serverId: server.ID, streamId: "news", name: "News", messageStreamType: "Broadcasts" };
    expect(operations.diff(id, outs, { ...same, streamId: "news-2" }).replaces).toEqual(["streamId"]);
    expect(operations.diff(id, outs, { ...same, streamId: "news-2", messageStreamType: "Transactional" }).replaces).toEqual(["streamId", "messageStreamType"]);
    expect(operations.diff(id, outs, { ...same, serverId: server.ID + 1 }).replaces).toEqual(["serverId"]);
    expect(operations.diff(id, outs, { ...same, name: "Other" })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("a stream archived by hand gives an error that says to refresh", async () => {
    const { id, outs } = await created({ streamId: "news", name: "News", messageStreamType: "Broadcasts" });
    await admin.archiveStreamByHand(server.ID, "news");
    const failure = await operations.update(id, outs, { serverId: server.ID, streamId: "news", name: "News 2", messageStreamType: "Broadcasts" }).catch((e) => e);
    expect(failure.message).toContain("no longer exists (deleted outside Pulumi?): run `pulumi refresh`");
  });
});

describe("delete", () => {
  it("archives the stream (Postmark has no delete)", async () => {
    const { id, outs } = await created({ streamId: "news", name: "News", messageStreamType: "Broadcasts" });
    await operations.delete(id, outs);
    expect(await calls()).toEqual(["POST /message-streams/news/archive 200"]);
    expect((await stream("news"))?.ArchivedAt).not.toBeNull();
  });

  it("a default stream is only forgotten: no call, and it stays", async () => {
    const { id, outs } = await created({ streamId: "outbound", name: "Receipts" });
    await operations.delete(id, outs);
    expect(await calls()).toEqual([]);
    expect((await stream("outbound"))?.ArchivedAt).toBeNull();
  });

  it("a stream already purged, or whose server was deleted, counts as deleted", async () => {
    const { id, outs } = await created({ streamId: "news", name: "News", messageStreamType: "Broadcasts" });
    await admin.archiveStreamByHand(server.ID, "news");
    await admin.purgeStreamByHand(server.ID, "news");
    await expect(operations.delete(id, outs)).resolves.toBeUndefined();
    const other = await created({ streamId: "alerts", name: "Alerts", messageStreamType: "Transactional" });
    await admin.deleteByHand(server.ID);
    await expect(operations.delete(other.id, other.outs)).resolves.toBeUndefined();
  });
});
