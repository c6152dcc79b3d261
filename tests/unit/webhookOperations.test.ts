/**
 * PostmarkWebhook's operations against the emulator over HTTP: check rules, the calls and bodies of create,
 * partial edits of triggers, headers and auth, Postmark's refusals, lost-create recovery without twins,
 * adoption, and webhooks (or servers) deleted by hand. HttpAuth and header values never appear in a message.
 */
import { unknownValue, Values } from "../../provider/core/fields";
import { ResourceOperations } from "../../provider/core/operations";
import { webhookDeclaration } from "../../provider/resources/webhook";
import { StoredServer } from "../support/emulatorAdmin";
import { failureOf, failureReasons, printed, RecordingClient, useOperationsEmulator } from "../support/operationsHarness";

const accountToken = "unit-test-account-token-webhooks-3f9a";
const url = "https://hooks.example.com/postmark";
/** Secret values: none of them may appear in a check failure or an error. */
const password = "hook-password-s3cret-91";
const headerValue = "header-value-s3cret-27";
const httpAuth = { username: "postmark", password };
const httpHeaders = [{ name: "X-Hook-Key", value: headerValue }];

const { admin, calls, newClient } = useOperationsEmulator({ token: accountToken, seed: 13 });
let client: RecordingClient;
let operations: ResourceOperations;
let server: StoredServer;
let serverToken: string;

/** A new provider process: its own client (so no server token is known yet) and operations. */
function newProcess(): void {
  client = newClient(RecordingClient);
  operations = new ResourceOperations(webhookDeclaration, () => client);
}

beforeEach(async () => {
  await admin.settings({ faults: "", faultQueue: [], createFaultQueue: [], missingServer: "404" });
  await admin.reset();
  server = await admin.createByHand({ Name: "Mail" });
  serverToken = (server.ApiTokens as string[])[0];
  newProcess();
});

const tokenLookup = () => `GET /servers/${server.ID} 200`;
const webhooks = () => admin.webhooks(server.ID);
const sentBodies = () => client.sent.filter((c) => c.method !== "GET").map((c) => `${c.method} ${c.path} ${JSON.stringify(c.body)}`);
const expectNoSecrets = (text: string) => {
  for (const secret of [password, headerValue, serverToken, accountToken]) expect(text).not.toContain(secret);
};

/** Creates a webhook through the provider and forgets the calls it took (the token stays known). */
async function created(inputs: Values): Promise<{ id: string; outs: Values }> {
  const result = await operations.create({ serverId: server.ID, url, ...inputs });
  await admin.clearRequests();
  client.sent.length = 0;
  return result;
}

describe("check (no API call)", () => {
  const reasons = (news: Values) => failureReasons(operations.check({}, { serverId: 1, url, ...news }));

  afterEach(async () => expect(await admin.requests()).toEqual([]));

  it("a URL that is not http(s) is refused", () => {
    expect(reasons({ url: "ftp://x" })).toEqual(['url: url is "ftp://x"; it must be an absolute http:// or https:// URL']);
  });

  it.each(["bounce", "spamComplaint"])("a %s trigger on the default broadcast stream is refused", (trigger) => {
    expect(reasons({ messageStream: "broadcast", triggers: { [trigger]: { enabled: true }, open: { enabled: true } } })).toEqual([
      `triggers: triggers.${trigger}.enabled is true, but "broadcast" is a Broadcasts stream, which has no ${trigger} events`,
    ]);
    expect(reasons({ messageStream: "broadcast", triggers: { [trigger]: { enabled: false } } })).toEqual([]);
  });

  it("a webhook on the inbound stream is refused", () => {
    expect(reasons({ messageStream: "inbound" })).toEqual([
      'messageStream: messageStream is "inbound", an Inbound stream: Postmark sends inbound mail to the server\'s inboundHookUrl, not to webhooks',
    ]);
  });

  it("values not known until other resources exist pass check", () => {
    expect(reasons({ messageStream: unknownValue, triggers: { bounce: { enabled: true } } })).toEqual([]);
    expect(reasons({ messageStream: "broadcast", triggers: { bounce: { enabled: unknownValue } } })).toEqual([]);
  });

  it("a custom stream's type is not known without a call, so its triggers pass check", () => {
    expect(reasons({ messageStream: "newsletters", triggers: { bounce: { enabled: true } } })).toEqual([]);
  });

  it("an unknown trigger or member names the known ones", () => {
    expect(reasons({ triggers: { opens: { enabled: true }, click: { enabled: true, postFirstOpenOnly: true } } })).toEqual([
      "triggers: triggers.opens is not a member of triggers; known members: open, click, delivery, bounce, spamComplaint, subscriptionChange",
      "triggers: triggers.click.postFirstOpenOnly is not a member of triggers.click; known members: enabled",
    ]);
  });

  it("bad httpAuth and httpHeaders are refused without showing their values", () => {
    const failures = [
      ...reasons({ httpAuth: `basic ${password}` }),
      ...reasons({ httpAuth: { username: "postmark", password: [password], token: password } }),
      ...reasons({ httpHeaders: [{ name: "X-Key", value: [headerValue], extra: headerValue }, headerValue] }),
      ...reasons({ httpHeaders: Array.from({ length: 31 }, (_, i) => ({ name: `X-${i}`, value: headerValue })) }),
      ...reasons({ httpHeaders: headerValue }),
    ];
    expect(failures).toEqual([
      "httpAuth: httpAuth (secret) is not valid; it must be an object with username, password",
      "httpAuth: httpAuth.token is not a member of httpAuth; known members: username, password",
      "httpAuth: httpAuth.password (secret) is not valid; it must be a string",
      "httpHeaders: httpHeaders[0].extra is not a member of httpHeaders[0]; known members: name, value",
      "httpHeaders: httpHeaders[0].value (secret) is not valid; it must be a string",
      "httpHeaders: httpHeaders[1] (secret) is not valid; it must be an object with name, value",
      "httpHeaders: httpHeaders (secret) is not valid; Postmark allows at most 30 headers",
      "httpHeaders: httpHeaders (secret) is not valid; it must be a list",
    ]);
    expectNoSecrets(JSON.stringify(failures));
  });

  it("accepts a full webhook", () => {
    const full = { messageStream: "outbound", httpAuth, httpHeaders, triggers: { open: { enabled: true, postFirstOpenOnly: true }, bounce: { enabled: true, includeContent: true } } };
    expect(reasons(full)).toEqual([]);
  });
});

describe("create", () => {
  it("takes one listing of the server's webhooks and one POST carrying exactly the declared fields and triggers", async () => {
    const { id, outs } = await operations.create({ serverId: server.ID, url, triggers: { bounce: { enabled: true }, open: { enabled: true, postFirstOpenOnly: true } } });
    expect(await calls()).toEqual([tokenLookup(), "GET /webhooks 200", "POST /webhooks 200"]);
    expect(sentBodies()).toEqual([`POST /webhooks ${JSON.stringify({ Url: url, Triggers: { Open: { Enabled: true, PostFirstOpenOnly: true }, Bounce: { Enabled: true } } })}`]);
    const [stored] = await webhooks();
    expect(id).toBe(`${server.ID}/${stored.ID}`);
    expect(stored.Triggers).toEqual({
      Open: { Enabled: true, PostFirstOpenOnly: true },
      Click: { Enabled: false },
      Delivery: { Enabled: false },
      Bounce: { Enabled: true, IncludeContent: false },
      SpamComplaint: { Enabled: false, IncludeContent: false },
      SubscriptionChange: { Enabled: false },
    });
    expect(outs).toMatchObject({
      serverId: server.ID,
      webhookId: stored.ID,
      url,
      messageStream: "outbound",
      triggers: { bounce: { enabled: true, includeContent: false }, click: { enabled: false } },
      managedFields: ["url", "triggers.open.enabled", "triggers.open.postFirstOpenOnly", "triggers.bounce.enabled"],
    });
  });

  it("sends auth and headers in Postmark's names, and keeps them in the outputs", async () => {
    const { outs } = await operations.create({ serverId: server.ID, url, messageStream: "broadcast", httpAuth, httpHeaders, triggers: { delivery: { enabled: true } } });
    expect(sentBodies()).toEqual([
      `POST /webhooks ${JSON.stringify({
        Url: url,
        MessageStream: "broadcast",
        HttpAuth: { Username: "postmark", Password: password },
        HttpHeaders: [{ Name: "X-Hook-Key", Value: headerValue }],
        Triggers: { Delivery: { Enabled: true } },
      })}`,
    ]);
    expect(outs).toMatchObject({ messageStream: "broadcast", httpAuth, httpHeaders });
  });

  it("a webhook without headers reads as an empty list, so `httpHeaders: []` shows no diff", async () => {
    const { id, outs } = await operations.create({ serverId: server.ID, url, httpHeaders: [] });
    expect(outs.httpHeaders).toEqual([]);
    expect(operations.diff(id, outs, { serverId: server.ID, url, httpHeaders: [] }).changes).toBe(false);
  });

  it("a bounce trigger on a custom Broadcasts stream: Postmark's 1353 is a clear error, nothing is made and no secret shows", async () => {
    await admin.createStreamByHand(server.ID, { ID: "newsletters", Name: "Newsletters", MessageStreamType: "Broadcasts" });
    const failure = await operations
      .create({ serverId: server.ID, url, messageStream: "newsletters", httpAuth, httpHeaders, triggers: { bounce: { enabled: true } } })
      .catch((e) => e);
    expect(failure.message).toBe(
      `Postmark create webhook (server ${server.ID}) failed: HTTP 422, ErrorCode 1353: The Bounce trigger is not available on the broadcast stream 'newsletters'.`,
    );
    expectNoSecrets(printed(failure));
    expect(await webhooks()).toEqual([]);
  });

  it("a webhook on a custom Inbound stream: Postmark's 1351 is a clear error and nothing is made", async () => {
    await admin.createStreamByHand(server.ID, { ID: "replies", Name: "Replies", MessageStreamType: "Inbound" });
    const failure = await operations.create({ serverId: server.ID, url, messageStream: "replies", httpAuth }).catch((e) => e);
    expect(failure.message).toContain("ErrorCode 1351: Webhooks cannot be attached to the inbound stream 'replies'");
    expectNoSecrets(printed(failure));
    expect(await webhooks()).toEqual([]);
  });

  it("a header name Postmark refuses (1358) is an error that shows no header value", async () => {
    const failure = await operations.create({ serverId: server.ID, url, httpHeaders: [{ name: "X Bad", value: headerValue }] }).catch((e) => e);
    expect(failure.message).toContain("ErrorCode 1358");
    expectNoSecrets(printed(failure));
  });

  it("a create whose answer is lost takes the webhook it made: no twin", async () => {
    await admin.settings({ createFaultQueue: ["lost-create"] });
    const { id } = await operations.create({ serverId: server.ID, url, triggers: { delivery: { enabled: true } } });
    const stored = await webhooks();
    expect(stored).toHaveLength(1);
    expect(id).toBe(`${server.ID}/${stored[0].ID}`);
    expect(await calls()).toEqual([tokenLookup(), "GET /webhooks 200", "POST /webhooks 0", "GET /webhooks?MessageStream=outbound 200"]);
  });

  it("a lost create with auth, headers and another stream is recovered too", async () => {
    await admin.settings({ createFaultQueue: ["lost-create"] });
    const { outs } = await operations.create({ serverId: server.ID, url, messageStream: "broadcast", httpAuth, httpHeaders });
    expect(await webhooks()).toHaveLength(1);
    expect(outs).toMatchObject({ messageStream: "broadcast", httpAuth, httpHeaders });
  });

  it("never takes a webhook with the same URL that existed before: a new one is made, even after a lost answer", async () => {
    const before = await admin.createWebhookByHand(server.ID, { Url: url, Triggers: { Delivery: { Enabled: true } } });
    await admin.settings({ createFaultQueue: ["lost-create"] });
    // allowSameUrl: without it the create is refused before any POST (the twin tests below).
    const { id } = await operations.create({ serverId: server.ID, url, triggers: { delivery: { enabled: true } }, allowSameUrl: true });
    const stored = await webhooks();
    expect(stored.map((w) => w.ID)).toEqual([before.ID, before.ID + 1]);
    expect(id).toBe(`${server.ID}/${before.ID + 1}`);
  });

  it("a lost create never takes a webhook another resource of this run made, even one exactly alike", async () => {
    const alike = { serverId: server.ID, url, triggers: { delivery: { enabled: true } } };
    const answered = await operations.create(alike);
    await admin.settings({ createFaultQueue: ["lost-create", "lost-create"] });
    const recovered = await operations.create(alike);
    const recoveredToo = await operations.create(alike);
    const stored = await webhooks();
    expect(stored).toHaveLength(3);
    expect([answered.id, recovered.id, recoveredToo.id].sort()).toEqual(stored.map((w) => `${server.ID}/${w.ID}`).sort());
  });

  it("a webhook with the same URL on the same stream from before the run stops a create: no twin, its ID and what to do", async () => {
    const before = await admin.createWebhookByHand(server.ID, { Url: url });
    const failure = await failureOf(operations.create({ serverId: server.ID, url, httpAuth }));
    expect(failure.message).toBe(
      `Stream "outbound" of server ${server.ID} already has a webhook for ${url} (webhook ID ${before.ID}), and a second one would ` +
        `receive every event again. To manage that webhook from this program, set \`adoptWebhookId: ${before.ID}\` on this resource. ` +
        "If a `pulumi up` of this stack was interrupted while creating this webhook, run `npx pulumi-postmark recover --stack <stack>` " +
        "instead: it takes the webhook that run made into the stack. If another resource of this stack manages it and you want both, " +
        "set `allowSameUrl: true` on this one. Nothing was changed.",
    );
    expectNoSecrets(printed(failure));
    expect((await webhooks()).map((w) => w.ID)).toEqual([before.ID]);
    // The one listing every create takes already shows it: no call more than a create's.
    expect(await calls()).toEqual([tokenLookup(), "GET /webhooks 200"]);
  });

  it("a webhook with the same URL on another stream, or another URL on the same stream, does not stop a create", async () => {
    await admin.createWebhookByHand(server.ID, { Url: url, MessageStream: "broadcast" });
    await admin.createWebhookByHand(server.ID, { Url: "https://hooks.example.com/other" });
    await operations.create({ serverId: server.ID, url });
    expect(await webhooks()).toHaveLength(3);
  });

  it("allowSameUrl makes the twin, and stays among the outputs (read reports it back)", async () => {
    const before = await admin.createWebhookByHand(server.ID, { Url: url });
    const { id, outs } = await operations.create({ serverId: server.ID, url, allowSameUrl: true });
    expect(id).not.toBe(`${server.ID}/${before.ID}`);
    expect(await webhooks()).toHaveLength(2);
    expect(outs.allowSameUrl).toBe(true);
    expect((await operations.read(id, outs)).inputs).toMatchObject({ allowSameUrl: true });
  });

  it("webhooks alike made by one run are no twins of each other: only what was there before the run's first create counts", async () => {
    const alike = { serverId: server.ID, url, triggers: { open: { enabled: true } } };
    await Promise.all([operations.create(alike), operations.create(alike)]);
    await operations.create(alike);
    expect(await webhooks()).toHaveLength(3);
    newProcess(); // the next run: they were there before it
    expect((await failureOf(operations.create(alike))).message).toContain("already has a webhook for");
  });

  it("a create that meets a reset before Postmark acted is retried once a lookup shows no webhook", async () => {
    await admin.settings({ createFaultQueue: ["reset"] });
    await operations.create({ serverId: server.ID, url });
    expect(await webhooks()).toHaveLength(1);
    expect(await calls()).toEqual([tokenLookup(), "GET /webhooks 200", "POST /webhooks 0", "GET /webhooks?MessageStream=outbound 200", "POST /webhooks 200"]);
  });

  it("a given serverToken is checked against serverId (GET /server) and used, with no account lookup", async () => {
    await operations.create({ serverId: server.ID, serverToken, url });
    expect(await calls()).toEqual(["GET /server 200", "GET /webhooks 200", "POST /webhooks 200"]);
  });
});

describe("adoptWebhookId", () => {
  it("reads the webhook and brings it to the declared values with one PUT of what differs", async () => {
    const byHand = await admin.createWebhookByHand(server.ID, { Url: url, Triggers: { Open: { Enabled: true, PostFirstOpenOnly: true } } });
    const { id, outs } = await operations.create({ serverId: server.ID, url, triggers: { click: { enabled: true } }, adoptWebhookId: byHand.ID });
    expect(id).toBe(`${server.ID}/${byHand.ID}`);
    expect(await calls()).toEqual([tokenLookup(), `GET /webhooks/${byHand.ID} 200`, `PUT /webhooks/${byHand.ID} 200`]);
    expect(sentBodies()).toEqual([`PUT /webhooks/${byHand.ID} ${JSON.stringify({ Triggers: { Click: { Enabled: true } } })}`]);
    expect((await webhooks())[0].Triggers).toMatchObject({ Open: { Enabled: true, PostFirstOpenOnly: true }, Click: { Enabled: true } });
    expect(outs).toMatchObject({ adoptWebhookId: byHand.ID, managedFields: ["url", "triggers.click.enabled"] });
  });

  it("refuses a webhook of another stream before changing anything", async () => {
    const byHand = await admin.createWebhookByHand(server.ID, { Url: url, MessageStream: "broadcast" });
    const failure = await operations.create({ serverId: server.ID, url: "https://other.example.com", messageStream: "outbound", adoptWebhookId: byHand.ID }).catch((e) => e);
    expect(failure.message).toContain('webhook "https://hooks.example.com/postmark" is broadcast, but the program declares messageStream "outbound"');
    expect((await webhooks())[0].Url).toBe(url);
  });

  it("an ID that does not exist is a clear error", async () => {
    const failure = await operations.create({ serverId: server.ID, url, adoptWebhookId: 424242 }).catch((e) => e);
    expect(failure.message).toBe(`adoptWebhookId is 424242, but Postmark has no webhook with that ID in server ${server.ID}.`);
  });
});

describe("update", () => {
  const news = (inputs: Values) => ({ serverId: server.ID, url, ...inputs });

  it("an edit of one trigger is one PUT carrying only that trigger", async () => {
    const triggers = { open: { enabled: true, postFirstOpenOnly: true }, click: { enabled: true } };
    const { id, outs } = await created({ triggers });
    await operations.update(id, outs, news({ triggers: { ...triggers, click: { enabled: false } } }));
    const webhookId = outs.webhookId;
    expect(sentBodies()).toEqual([`PUT /webhooks/${webhookId} ${JSON.stringify({ Triggers: { Click: { Enabled: false } } })}`]);
    expect((await webhooks())[0].Triggers).toMatchObject({ Open: { Enabled: true, PostFirstOpenOnly: true }, Click: { Enabled: false } });
  });

  it("a trigger declared in part keeps the members it does not declare", async () => {
    const { id, outs } = await created({ triggers: { open: { enabled: false } } });
    const webhookId = Number(outs.webhookId);
    const [stored] = await webhooks();
    await admin.editWebhookByHand(webhookId, { Triggers: { ...stored.Triggers as object, Open: { Enabled: false, PostFirstOpenOnly: true } } });
    const refreshed = await operations.read(id, outs);
    client.sent.length = 0;
    await operations.update(id, refreshed.props, news({ triggers: { open: { enabled: true } } }));
    expect(sentBodies()).toEqual([`PUT /webhooks/${webhookId} ${JSON.stringify({ Triggers: { Open: { Enabled: true, PostFirstOpenOnly: true } } })}`]);
    expect((await webhooks())[0].Triggers).toMatchObject({ Open: { Enabled: true, PostFirstOpenOnly: true } });
  });

  it("a trigger the program stops declaring goes back to disabled", async () => {
    const { id, outs } = await created({ triggers: { bounce: { enabled: true, includeContent: true }, delivery: { enabled: true } } });
    const { outs: after } = await operations.update(id, outs, news({ triggers: { delivery: { enabled: true } } }));
    expect(sentBodies()).toEqual([`PUT /webhooks/${outs.webhookId} ${JSON.stringify({ Triggers: { Bounce: { Enabled: false, IncludeContent: false } } })}`]);
    expect((await webhooks())[0].Triggers).toMatchObject({ Bounce: { Enabled: false, IncludeContent: false }, Delivery: { Enabled: true } });
    expect(after.managedFields).toEqual(["url", "triggers.delivery.enabled"]);
  });

  it("removing httpHeaders clears them with `HttpHeaders: []`", async () => {
    const { id, outs } = await created({ httpHeaders, httpAuth });
    await operations.update(id, outs, news({ httpAuth }));
    expect(sentBodies()).toEqual([`PUT /webhooks/${outs.webhookId} ${JSON.stringify({ HttpHeaders: [] })}`]);
    expect((await webhooks())[0].HttpHeaders).toBeUndefined();
    expect((await webhooks())[0].HttpAuth).toEqual({ Username: "postmark", Password: password });
  });

  it("a new password sends the auth whole; a new URL only the URL", async () => {
    const { id, outs } = await created({ httpAuth });
    const { outs: after } = await operations.update(id, outs, news({ httpAuth: { ...httpAuth, password: "new-s3cret" } }));
    await operations.update(id, after, news({ url: "https://hooks.example.com/v2", httpAuth: { ...httpAuth, password: "new-s3cret" } }));
    expect(sentBodies()).toEqual([
      `PUT /webhooks/${outs.webhookId} ${JSON.stringify({ HttpAuth: { Username: "postmark", Password: "new-s3cret" } })}`,
      `PUT /webhooks/${outs.webhookId} ${JSON.stringify({ Url: "https://hooks.example.com/v2" })}`,
    ]);
  });

  it("nothing changed: no call; another stream or server replaces the webhook", async () => {
    const { id, outs } = await created({ triggers: { open: { enabled: true } } });
    await operations.update(id, outs, news({ triggers: { open: { enabled: true } } }));
    expect(await calls()).toEqual([]);
    expect(operations.diff(id, outs, news({ triggers: { open: { enabled: true } } })).changes).toBe(false);
    expect(operations.diff(id, outs, news({ messageStream: "broadcast", triggers: { open: { enabled: true } } })).replaces).toEqual(["messageStream"]);
    expect(operations.diff(id, outs, { ...news({ triggers: { open: { enabled: true } } }), serverId: server.ID + 1 }).replaces).toEqual(["serverId"]);
  });

  // In a preview, a server ID not known yet is that of a server the run creates or replaces (an updated server's is known).
  it("a serverId not known yet (its server is created or replaced) replaces the webhook, deleting it first as when the ID changes", async () => {
    const { id, outs } = await created({ triggers: { open: { enabled: true } } });
    const pending = { ...news({ triggers: { open: { enabled: true } } }), serverId: unknownValue };
    expect(operations.diff(id, outs, pending)).toEqual({ changes: true, replaces: ["serverId"], deleteBeforeReplace: false });
  });

  it("a serverToken not known yet, of a server that stays, is no change; a known new token is one", async () => {
    const { id, outs } = await created({ triggers: { open: { enabled: true } } });
    const same = news({ triggers: { open: { enabled: true } } });
    expect(operations.diff(id, outs, { ...same, serverToken: unknownValue })).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(operations.diff(id, outs, { ...same, serverToken: serverToken })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(operations.diff(id, outs, { ...same, serverId: unknownValue, serverToken: unknownValue }).replaces).toEqual(["serverId"]);
  });

  it("enabling bounces on a custom Broadcasts stream: Postmark's 1353 is a clear error, nothing changes and no secret shows", async () => {
    await admin.createStreamByHand(server.ID, { ID: "newsletters", Name: "Newsletters", MessageStreamType: "Broadcasts" });
    const { id, outs } = await created({ messageStream: "newsletters", httpAuth, httpHeaders });
    const failure = await operations.update(id, outs, news({ messageStream: "newsletters", httpAuth, httpHeaders, triggers: { bounce: { enabled: true } } })).catch((e) => e);
    expect(failure.message).toBe(
      `Postmark edit webhook (${id}) failed: HTTP 422, ErrorCode 1353: The Bounce trigger is not available on the broadcast stream 'newsletters'.`,
    );
    expectNoSecrets(printed(failure));
    expect((await webhooks())[0].Triggers).toMatchObject({ Bounce: { Enabled: false } });
  });

  it("a webhook deleted by hand gives an error that says to refresh", async () => {
    const { id, outs } = await created({});
    await admin.deleteWebhookByHand(Number(outs.webhookId));
    const failure = await operations.update(id, outs, news({ url: "https://hooks.example.com/v2" })).catch((e) => e);
    expect(failure.message).toContain("no longer exists (deleted outside Pulumi?): run `pulumi refresh`");
  });
});

describe("read and delete", () => {
  it("a read is one GET and reports the managed inputs as they stand in Postmark", async () => {
    const { id, outs } = await created({ httpAuth, triggers: { open: { enabled: true } } });
    await admin.editWebhookByHand(Number(outs.webhookId), { HttpAuth: { Username: "changed", Password: password } });
    const read = await operations.read(id, outs);
    expect(await calls()).toEqual([`GET /webhooks/${outs.webhookId} 200`]);
    expect(read.inputs).toEqual({ serverId: server.ID, url, httpAuth: { username: "changed", password }, triggers: { open: { enabled: true } } });
  });

  it("a webhook deleted by hand reads as gone, and its delete succeeds", async () => {
    const { id, outs } = await created({});
    await admin.deleteWebhookByHand(Number(outs.webhookId));
    expect(await operations.read(id, outs)).toEqual({ id: "", props: {} });
    await expect(operations.delete(id, outs)).resolves.toBeUndefined();
    expect(await calls()).toEqual([`GET /webhooks/${outs.webhookId} 422`, `DELETE /webhooks/${outs.webhookId} 422`]);
  });

  it("a webhook whose server was deleted reads as gone and its delete succeeds, in this process or a new one", async () => {
    const { id, outs } = await created({});
    await admin.deleteByHand(server.ID);
    expect(await operations.read(id, outs)).toEqual({ id: "", props: {} });
    await expect(operations.delete(id, outs)).resolves.toBeUndefined();
    newProcess();
    expect(await operations.read(id, outs)).toEqual({ id: "", props: {} });
    await expect(operations.delete(id, outs)).resolves.toBeUndefined();
  });

  it("a webhook whose server was deleted reads as gone with a given serverToken too", async () => {
    const { id, outs } = await created({ serverToken });
    await admin.deleteByHand(server.ID);
    expect(await operations.read(id, outs)).toEqual({ id: "", props: {} });
    await expect(operations.delete(id, outs)).resolves.toBeUndefined();
  });

  it("delete is one DELETE", async () => {
    const { id, outs } = await created({});
    await operations.delete(id, outs);
    expect(await calls()).toEqual([`DELETE /webhooks/${outs.webhookId} 200`]);
    expect(await webhooks()).toEqual([]);
  });

  it("PostmarkWebhook.get takes \"<serverId>/<webhookId>\"; a bare webhook ID is a clear error", async () => {
    const byHand = await admin.createWebhookByHand(server.ID, { Url: url });
    expect((await operations.read(`${server.ID}/${byHand.ID}`, {})).props).toMatchObject({ serverId: server.ID, webhookId: byHand.ID, url });
    const failure = await operations.read(String(byHand.ID), {}).catch((e) => e);
    expect(failure.message).toBe(`PostmarkWebhook ID "${byHand.ID}" must be "<serverId>/<webhook ID>".`);
  });
});
