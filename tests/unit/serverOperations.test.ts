/**
 * The provider's operations against the emulator over HTTP: request bodies, call counts, Postmark's
 * errors, retries and lost-create recovery.
 */
import { inspect } from "util";
import { resolveClientSettings } from "../../provider/core/config";
import { PostmarkApiError } from "../../provider/core/errors";
import { Values as Outputs } from "../../provider/core/fields";
import { ResourceOperations } from "../../provider/core/operations";
import { PostmarkClient } from "../../provider/core/postmarkClient";
import { serverDeclaration } from "../../provider/resources/server";
import { useOperationsEmulator } from "../support/operationsHarness";

const token = "unit-test-account-token-5f1c";

const { admin, calls, client, emulator } = useOperationsEmulator({ token, seed: 7 });
let operations: ResourceOperations;

beforeEach(async () => {
  await admin.settings({ faults: "", deleteDisabled: false, missingServer: "404" });
  await admin.reset();
  // A new provider process for each test: it knows nothing of the servers made before it.
  operations = new ResourceOperations(serverDeclaration, client);
});

/** The one listing a run makes before its first create, to know which servers existed before it
 * (fault queues start with "none" to let it through). */
const snapshot = "GET /servers?count=100&offset=0 200";

/** Creates a server through the provider and forgets the calls it took. */
async function created(inputs: Record<string, unknown>): Promise<{ id: string; outs: Outputs }> {
  const result = await operations.create(inputs);
  await admin.clearRequests();
  return result;
}

describe("create", () => {
  it("makes one POST with exactly the declared fields, in Postmark's names and canonical values", async () => {
    const { id, outs } = await operations.create({ name: "Billing", color: "red", trackOpens: true, deliveryType: "Sandbox" });
    expect(await calls()).toEqual([snapshot, "POST /servers 200"]);
    const [stored] = await admin.servers();
    expect(String(stored.ID)).toBe(id);
    expect(stored).toMatchObject({ Name: "Billing", Color: "red", TrackOpens: true, DeliveryType: "Sandbox" });
    expect(outs).toMatchObject({ serverId: stored.ID, name: "Billing", color: "Red", trackOpens: true });
    expect(outs.managedFields).toEqual(["name", "color", "deliveryType", "trackOpens"]);
    expect(outs.apiTokens).toEqual(stored.ApiTokens);
    expect(outs.inboundAddress).toBe(`${stored.InboundHash}@inbound.postmarkapp.com`);
  });

  it("a name that already exists (603) names the existing server's ID and how to adopt it", async () => {
    const existing = await admin.createByHand({ Name: "Billing" });
    const failure = await operations.create({ name: "billing" }).catch((e) => e);
    expect(failure.message).toContain(`A Postmark server named "billing" already exists (ID ${existing.ID})`);
    expect(failure.message).toContain(`adoptServerId: ${existing.ID}`);
    expect(await admin.servers()).toHaveLength(1);
  });

  it("a create whose response is lost adopts the server it made: no twin, nothing untracked", async () => {
    await admin.settings({ faultQueue: ["none", "lost-create"] });
    const outcome = await operations.create({ name: "Billing", trackOpens: true });
    const servers = await admin.servers();
    expect(servers).toHaveLength(1);
    expect(outcome.id).toBe(String(servers[0].ID));
    expect(await calls()).toEqual([snapshot, "POST /servers 0", "GET /servers?count=100&offset=0&name=Billing 200"]);
  });

  it.each(["reset", "500", "503"])("a create that meets %s before Postmark acted is retried once a lookup shows no server", async (fault) => {
    await admin.settings({ faultQueue: ["none", fault] });
    const outcome = await operations.create({ name: "Billing" });
    const servers = await admin.servers();
    expect(servers).toHaveLength(1);
    expect(outcome.id).toBe(String(servers[0].ID));
    const status = fault === "reset" ? 0 : Number(fault);
    expect(await calls()).toEqual([snapshot, `POST /servers ${status}`, "GET /servers?count=100&offset=0&name=Billing 200", "POST /servers 200"]);
  });

  it("a create that meets 429 is retried without a lookup: Postmark did not act", async () => {
    await admin.settings({ faultQueue: ["none", "429"], retryAfterRate: 0 });
    await operations.create({ name: "Billing" });
    expect(await calls()).toEqual([snapshot, "POST /servers 429", "POST /servers 200"]);
  });

  it("never silently adopts a server that existed before when a response is lost", async () => {
    const existing = await admin.createByHand({ Name: "Billing", TrackOpens: true });
    await admin.settings({ faultQueue: ["none", "reset"] });
    const failure = await operations.create({ name: "Billing" }).catch((e) => e);
    expect(failure.message).toContain(`A Postmark server named "Billing" already exists (ID ${existing.ID})`);
    expect((await admin.servers()).map((s) => s.ID)).toEqual([existing.ID]);
  });

  it.each(["500", "503", "reset", "lost-create"])(
    "never takes a same-named server that existed before, even one with Postmark's defaults, when the create meets %s",
    async (fault) => {
      const existing = await admin.createByHand({ Name: "Acme" });
      await admin.settings({ faultQueue: ["none", fault, fault, fault] });
      const failure = await operations.create({ name: "Acme" }).catch((e) => e);
      expect(failure.message).toContain(`A Postmark server named "Acme" already exists (ID ${existing.ID})`);
      expect(failure.message).toContain(`adoptServerId: ${existing.ID}`);
      expect((await admin.servers()).map((s) => s.ID)).toEqual([existing.ID]);
    },
  );

  it("one listing per run, shared by every create, tells which servers existed before", async () => {
    await operations.create({ name: "One" });
    await operations.create({ name: "Two" });
    expect((await calls()).filter((c) => c.startsWith("GET"))).toEqual([snapshot]);
  });

  it("a lost create is recovered even when another server's name contains this one", async () => {
    await admin.createByHand({ Name: "Billing Production" });
    await admin.settings({ faultQueue: ["none", "lost-create"] });
    const outcome = await operations.create({ name: "Billing" });
    const made = (await admin.servers()).find((s) => s.Name === "Billing");
    expect(outcome.id).toBe(String(made?.ID));
    expect(await admin.servers()).toHaveLength(2);
  });
});

describe("adoptServerId", () => {
  it("reads the server and brings it to the declared values with one PUT of only the differing fields", async () => {
    const byHand = await admin.createByHand({ Name: "Legacy", Color: "green", TrackOpens: false, BounceHookUrl: "https://keep.example.com" });
    const { id, outs } = await operations.create({ name: "Legacy", color: "Green", trackOpens: true, adoptServerId: byHand.ID });
    expect(id).toBe(String(byHand.ID));
    expect(await calls()).toEqual([`GET /servers/${byHand.ID} 200`, `PUT /servers/${byHand.ID} 200`]);
    const [stored] = await admin.servers();
    expect(stored).toMatchObject({ TrackOpens: true, BounceHookUrl: "https://keep.example.com" });
    expect(outs).toMatchObject({ adoptServerId: byHand.ID, trackOpens: true, managedFields: ["name", "color", "trackOpens"] });
  });

  it("makes no PUT when the server already matches", async () => {
    const byHand = await admin.createByHand({ Name: "Legacy", Color: "green" });
    await operations.create({ name: "Legacy", color: "green", adoptServerId: byHand.ID });
    expect(await calls()).toEqual([`GET /servers/${byHand.ID} 200`]);
  });

  it("refuses a server whose delivery type differs, before changing anything", async () => {
    const byHand = await admin.createByHand({ Name: "Legacy", DeliveryType: "Live", Color: "green" });
    const failure = await operations.create({ name: "Renamed", deliveryType: "Sandbox", adoptServerId: byHand.ID }).catch((e) => e);
    expect(failure.message).toContain('server "Legacy" is Live, but the program declares deliveryType "Sandbox"');
    expect((await admin.servers())[0]).toMatchObject({ Name: "Legacy" });
  });

  it("an ID that does not exist is a clear error", async () => {
    const failure = await operations.create({ name: "X", adoptServerId: 424242 }).catch((e) => e);
    expect(failure.message).toBe("adoptServerId is 424242, but Postmark has no server with that ID in this account.");
  });
});

describe("read", () => {
  it("makes one GET and returns normalised outputs plus the managed fields as inputs", async () => {
    const { id, outs } = await created({ name: "Billing", color: "Red" });
    await admin.editByHand(id, { Color: "blue", TrackOpens: true });
    const read = await operations.read(id, outs);
    expect(await calls()).toEqual([`GET /servers/${id} 200`]);
    expect(read.props).toMatchObject({ color: "Blue", trackOpens: true, managedFields: ["name", "color"] });
    expect(read.inputs).toEqual({ name: "Billing", color: "Blue" });
  });

  it.each(["404", "422"])("PostmarkServer.get of an ID that does not exist (answered %s) is a clear error", async (mode) => {
    await admin.settings({ missingServer: mode });
    const failure = await operations.read("987654321", {}).catch((e) => e);
    expect(failure.message).toBe("PostmarkServer.get: no Postmark server with ID 987654321 in this account.");
  });

  it.each(["404", "422"])("a missing server (answered %s) is reported gone so refresh drops it", async (mode) => {
    const { id, outs } = await created({ name: "Billing" });
    await admin.deleteByHand(id);
    await admin.settings({ missingServer: mode });
    expect(await operations.read(id, outs)).toEqual({ id: "", props: {} });
  });
});

describe("update", () => {
  it("renaming to a name another server has says to choose another name, not to adopt", async () => {
    const other = await admin.createByHand({ Name: "Taken" });
    const { id, outs } = await created({ name: "Billing" });
    const failure = await operations.update(id, outs, { name: "taken" }).catch((e) => e);
    expect(failure.message).toBe(
      `Cannot rename Postmark server ${id} ("Billing") to "taken": another server already has that name (ID ${other.ID}), ` +
        "and server names are unique in an account. Choose another name, or rename or delete that server first. Nothing was changed.",
    );
    expect((await admin.servers()).map((s) => s.Name).sort()).toEqual(["Billing", "Taken"]);
  });

  it("sends one PUT with only the changed fields and never DeliveryType", async () => {
    const { id, outs } = await created({ name: "Billing", color: "Red", trackOpens: false, deliveryType: "Live" });
    await operations.update(id, outs, { name: "Billing", color: "red", trackOpens: true, deliveryType: "Live" });
    const log = await admin.requests();
    expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /servers/${id}`]);
    expect((await admin.servers())[0]).toMatchObject({ TrackOpens: true, Color: "red" });
  });

  it("never touches fields the program does not declare", async () => {
    const { id, outs } = await created({ name: "Billing" });
    await admin.editByHand(id, { BounceHookUrl: "https://set.elsewhere.example.com" });
    await operations.update(id, outs, { name: "Billing 2" });
    expect((await admin.servers())[0]).toMatchObject({ Name: "Billing 2", BounceHookUrl: "https://set.elsewhere.example.com" });
  });

  it("a field the program stops declaring goes back to Postmark's default", async () => {
    const { id, outs } = await created({ name: "Billing", inboundHookUrl: "https://in.example.com", inboundSpamThreshold: 15 });
    const { outs: after } = await operations.update(id, outs, { name: "Billing" });
    expect((await admin.servers())[0]).toMatchObject({ InboundHookUrl: "", InboundSpamThreshold: 0 });
    expect(after.managedFields).toEqual(["name"]);
  });

  it("a server deleted by hand gives an error that says to refresh", async () => {
    const { id, outs } = await created({ name: "Billing" });
    await admin.deleteByHand(id);
    const failure = await operations.update(id, outs, { name: "Billing 2" }).catch((e) => e);
    expect(failure.message).toContain("no longer exists (deleted outside Pulumi?): run `pulumi refresh`");
  });
});

describe("delete", () => {
  it("makes one DELETE", async () => {
    const { id, outs } = await created({ name: "Billing" });
    await operations.delete(id, outs);
    expect(await calls()).toEqual([`DELETE /servers/${id} 200`]);
    expect(await admin.servers()).toEqual([]);
  });

  it.each(["404", "422"])("a server that is already gone (answered %s) counts as deleted", async (mode) => {
    const { id, outs } = await created({ name: "Billing" });
    await admin.deleteByHand(id);
    await admin.settings({ missingServer: mode });
    await expect(operations.delete(id, outs)).resolves.toBeUndefined();
  });

  it("604 (delete not enabled) fails with what to do, and the server stays", async () => {
    const { id, outs } = await created({ name: "Billing" });
    await admin.settings({ deleteDisabled: true });
    const failure = await operations.delete(id, outs).catch((e) => e);
    expect(failure.message).toContain("ErrorCode 604");
    expect(failure.message).toContain("Ask Postmark support to enable server deletion");
    expect(failure.message).toContain("retainOnDelete: true");
    expect(await admin.servers()).toHaveLength(1);
  });
});

describe("retries", () => {
  it.each(["429", "500", "503", "reset"])("a read that meets %s is retried until it succeeds", async (fault) => {
    const { id, outs } = await created({ name: "Billing" });
    await admin.settings({ faultQueue: [fault, fault], retryAfterRate: 0 });
    expect((await operations.read(id, outs)).id).toBe(id);
    const status = fault === "reset" ? 0 : Number(fault);
    expect((await admin.requests()).map((r) => r.status)).toEqual([status, status, 200]);
  });

  it("an edit and a delete are retried on 502-like failures too (5xx, lost connection)", async () => {
    const { id, outs } = await created({ name: "Billing" });
    await admin.settings({ faultQueue: ["500", "reset"] });
    await operations.update(id, outs, { name: "Billing 2" });
    await admin.settings({ faultQueue: ["503"] });
    await operations.delete(id, outs);
    expect(await calls()).toEqual([
      `PUT /servers/${id} 500`,
      `PUT /servers/${id} 0`,
      `PUT /servers/${id} 200`,
      `DELETE /servers/${id} 503`,
      `DELETE /servers/${id} 200`,
    ]);
  });

  it("a 429's Retry-After is honoured before the next attempt", async () => {
    const { id, outs } = await created({ name: "Billing" });
    await admin.settings({ faultQueue: ["429"], retryAfterRate: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    await operations.read(id, outs);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("gives up after the configured attempts with the status, ErrorCode and attempt count", async () => {
    const { id, outs } = await created({ name: "Billing" });
    await admin.settings({ faults: "503:1" });
    const failure: PostmarkApiError = await operations.read(id, outs).catch((e) => e);
    expect(failure).toBeInstanceOf(PostmarkApiError);
    expect(failure).toMatchObject({ status: 503, errorCode: 100, attempts: 4, operation: "read server" });
    expect(await admin.requests()).toHaveLength(4);
  });

  it("4xx answers other than 429 are never retried", async () => {
    const { id, outs } = await created({ name: "Billing" });
    await admin.settings({ deleteDisabled: true });
    await operations.delete(id, outs).catch(() => undefined);
    expect(await calls()).toEqual([`DELETE /servers/${id} 422`]);
  });

  it("a wrong token (401) is not retried and its error carries no token", async () => {
    const client = new PostmarkClient({
      ...resolveClientSettings(() => undefined, { POSTMARK_ACCOUNT_TOKEN: "wrong-token-ab12", POSTMARK_API_URL: emulator().url }),
      retryBaseDelayMs: 1,
    });
    const failure = await client.getServer("1").catch((e) => e);
    expect(failure).toMatchObject({ status: 401, errorCode: 10 });
    expect(await admin.requests()).toHaveLength(1);
    expect(inspect(failure, { depth: Infinity, showHidden: true })).not.toContain("wrong-token-ab12");
  });

  it("an error after a lost connection, printed in full, contains no token", async () => {
    const { id, outs } = await created({ name: "Billing" });
    await admin.settings({ faults: "reset:1" });
    const failure = await operations.read(id, outs).catch((e) => e);
    expect(failure).toMatchObject({ status: 0 });
    const printed = inspect(failure, { depth: Infinity, showHidden: true }) + JSON.stringify(failure) + String(failure.stack);
    expect(printed).not.toContain(token);
  });
});

describe("configuration", () => {
  it("a missing account token is a clear error naming both ways to set it", () => {
    expect(() => resolveClientSettings(() => undefined, {})).toThrow(
      /postmark:accountToken.*POSTMARK_ACCOUNT_TOKEN/,
    );
  });

  it("stack config wins over the environment", () => {
    const settings = resolveClientSettings((key) => (key === "postmark:apiUrl" ? "http://config.example" : undefined), {
      POSTMARK_ACCOUNT_TOKEN: "t",
      POSTMARK_API_URL: "http://env.example",
    });
    expect(settings.apiUrl).toBe("http://config.example");
  });

  it("a bad number names the setting and the value", () => {
    expect(() => resolveClientSettings(() => undefined, { POSTMARK_ACCOUNT_TOKEN: "t", POSTMARK_MAX_CONCURRENT_REQUESTS: "lots" })).toThrow(
      'postmark:maxConcurrentRequests (or POSTMARK_MAX_CONCURRENT_REQUESTS) is "lots"; it must be a whole number of at least 1',
    );
  });

  it("an apiUrl that only starts like a URL (a space in the host) is refused naming the setting, before any client is made", () => {
    expect(() => resolveClientSettings(() => undefined, { POSTMARK_ACCOUNT_TOKEN: "t", POSTMARK_API_URL: "https://api postmarkapp.com" })).toThrow(
      'postmark:apiUrl (or POSTMARK_API_URL) is "https://api postmarkapp.com"; it must be an http(s) URL',
    );
  });
});
