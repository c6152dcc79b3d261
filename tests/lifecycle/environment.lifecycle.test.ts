/**
 * A whole environment through the real Pulumi CLI: 2 servers, each with a broadcast stream and 2 webhooks
 * wired by serverId (one webhook given the server's token as an input). Every step lists its API calls, and
 * after every step no server token, webhook password or header value is in the state in plaintext.
 */
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { EmulatorAdmin } from "../support/emulatorAdmin";
import { expectNotInState } from "./expectations";
import { createTestStack, failureText, TestStack } from "./pulumiHarness";

jest.setTimeout(600_000);

const accountToken = "environment-account-token-4e1d";

/** Shaped like an infra repo's program: servers, streams and webhooks from one config object. */
const program = `
const pulumi = require("@pulumi/pulumi");
const { PostmarkServer, PostmarkMessageStream, PostmarkWebhook } = require("pulumi-postmark");
const config = new pulumi.Config();
// Secrets come from secret stack config ("secret:NAME"), or are typed in the program as plain strings ("program:NAME").
const literals = { passwordB: "hook-password-b-71c" };
const resolve = (v) =>
  typeof v === "string" && v.startsWith("secret:") ? config.requireSecret(v.slice(7))
  : typeof v === "string" && v.startsWith("program:") ? literals[v.slice(8)]
  : Array.isArray(v) ? v.map(resolve)
  : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]))
  : v;
const env = resolve(config.requireObject("env"));
const servers = {};
const streams = {};
for (const [name, args] of Object.entries(env.servers)) servers[name] = new PostmarkServer(name, args);
for (const [name, { server, ...args }] of Object.entries(env.streams || {})) {
  streams[name] = new PostmarkMessageStream(name, { ...args, serverId: servers[server].serverId });
}
for (const [name, { server, stream, useServerToken, ...args }] of Object.entries(env.webhooks || {})) {
  new PostmarkWebhook(name, {
    ...args,
    serverId: servers[server].serverId,
    messageStream: stream ? streams[stream].streamId : args.messageStream,
    serverToken: useServerToken ? servers[server].apiTokens.apply((tokens) => tokens[0]) : undefined,
  });
}
`;

const secrets = { passwordA: "hook-password-a-5b9", passwordB: "hook-password-b-71c", headerA: "header-value-a-c3d" };
const environment = () => ({
  servers: { a: { name: "Env A", color: "Blue" }, b: { name: "Env B", color: "Green" } },
  streams: {
    "a-news": { server: "a", streamId: "newsletters", name: "Newsletters A", messageStreamType: "Broadcasts" },
    "b-news": { server: "b", streamId: "newsletters", name: "Newsletters B", messageStreamType: "Broadcasts", description: "Monthly" },
  } as Record<string, Record<string, unknown>>,
  webhooks: {
    "a-opens": {
      server: "a",
      stream: "a-news",
      url: "https://hooks.example.com/a/opens",
      triggers: { open: { enabled: true, postFirstOpenOnly: true }, click: { enabled: true } },
      httpAuth: { username: "postmark", password: "secret:passwordA" },
    },
    "a-bounces": {
      server: "a",
      url: "https://hooks.example.com/a/bounces",
      triggers: { bounce: { enabled: true, includeContent: true }, delivery: { enabled: true } },
      httpHeaders: [{ name: "X-Hook-Secret", value: "secret:headerA" }],
    },
    "b-opens": { server: "b", stream: "b-news", url: "https://hooks.example.com/b/opens", triggers: { open: { enabled: true } }, useServerToken: true },
    "b-bounces": {
      server: "b",
      url: "https://hooks.example.com/b/bounces",
      triggers: { bounce: { enabled: true } },
      httpAuth: { username: "postmark", password: "program:passwordB" },
    },
  } as Record<string, Record<string, unknown>>,
});

type Env = ReturnType<typeof environment>;
/** The environment after a-bounces moved to server b. */
const movedEnvironment = (): Env => {
  const moved = environment();
  moved.webhooks["a-bounces"].server = "b";
  return moved;
};

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let test: TestStack;

const setEnv = (next: ReturnType<typeof environment>) => test.stack.setConfig("env", { value: JSON.stringify(next) });
const calls = async () => (await admin.requests()).map((r) => `${r.method} ${r.path.split("?")[0]}`);
const server = async (name: string) => (await admin.servers()).find((s) => s.Name === name)!;
const webhookByUrl = async (url: string) => (await admin.webhooks()).find((w) => w.Url === url)!;
const resources = 1 + 2 + 2 + 4; // the stack, 2 servers, 2 streams, 4 webhooks

/** Every server token, webhook password and header value, and the account token: none in the state in plaintext. */
async function expectNoPlaintextSecrets(): Promise<void> {
  const values = [accountToken, ...Object.values(secrets)];
  for (const s of await admin.servers()) values.push(...(s.ApiTokens as string[]));
  await expectNotInState(test, values);
}

beforeAll(async () => {
  emulator = await startEmulator({ token: accountToken });
  admin = new EmulatorAdmin(emulator.url);
  test = await createTestStack({
    program,
    secretConfig: { "postmark:accountToken": accountToken, passwordA: secrets.passwordA, headerA: secrets.headerA },
    env: { POSTMARK_API_URL: emulator.url, POSTMARK_RETRY_BASE_DELAY_MS: "10" },
  });
});
afterAll(async () => {
  await test?.cleanup();
  await emulator?.stop();
});

describe("servers with their streams and webhooks, through pulumi up, preview, refresh and destroy", () => {
  it("up creates everything with the minimum of calls", async () => {
    await setEnv(environment());
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toEqual({ create: resources });
    const a = await server("Env A");
    const b = await server("Env B");
    expect((await calls()).sort()).toEqual(
      [
        "GET /servers", // which servers existed before this run (lost-create recovery)
        "POST /servers",
        "POST /servers",
        `GET /servers/${a.ID}`, // each server's token, once per run
        `GET /servers/${b.ID}`,
        "GET /server", // b-opens's given serverToken, checked against its serverId
        "GET /message-streams", // per server: which streams existed before
        "GET /message-streams",
        "POST /message-streams",
        "POST /message-streams",
        "GET /webhooks", // per server: which webhooks existed before
        "GET /webhooks",
        "POST /webhooks",
        "POST /webhooks",
        "POST /webhooks",
        "POST /webhooks",
      ].sort(),
    );
    const hooks = await admin.webhooks(a.ID);
    expect(hooks.find((w) => w.Url.endsWith("/a/opens"))).toMatchObject({
      MessageStream: "newsletters",
      Triggers: { Open: { Enabled: true, PostFirstOpenOnly: true }, Click: { Enabled: true }, Bounce: { Enabled: false } },
      HttpAuth: { Username: "postmark", Password: secrets.passwordA },
    });
    expect((await admin.streams(b.ID)).find((s) => s.ID === "newsletters")).toMatchObject({ Name: "Newsletters B", MessageStreamType: "Broadcasts" });
    await expectNoPlaintextSecrets();
  });

  it("secret inputs and outputs are encrypted in the resources' state, the given server token included", async () => {
    const state = JSON.parse(await test.exportState()).deployment;
    const resource = (name: string) => state.resources.find((r: { urn: string }) => r.urn.endsWith(`::${name}`));
    for (const key of ["httpAuth"]) {
      expect(resource("a-opens").inputs[key]).toHaveProperty("ciphertext");
      expect(resource("a-opens").outputs[key]).toHaveProperty("ciphertext");
    }
    expect(resource("a-bounces").inputs.httpHeaders).toHaveProperty("ciphertext");
    expect(resource("a-bounces").outputs.httpHeaders).toHaveProperty("ciphertext");
    expect(resource("b-opens").inputs.serverToken).toHaveProperty("ciphertext");
    expect(resource("b-opens").outputs.serverToken).toHaveProperty("ciphertext");
    expect(resource("a-opens").outputs.serverToken).toBeUndefined();
  });

  it("a second preview shows no changes and makes no API call", async () => {
    await admin.clearRequests();
    const preview = await test.stack.preview();
    expect(preview.changeSummary).toEqual({ same: resources });
    expect(await calls()).toEqual([]);
  });

  it("one trigger changed is one PUT, and only that trigger changes", async () => {
    const next = environment();
    next.webhooks["a-opens"].triggers = { open: { enabled: true, postFirstOpenOnly: true }, click: { enabled: false } };
    await setEnv(next);
    const preview = await test.stack.preview({ diff: true });
    expect(preview.changeSummary).toEqual({ same: resources - 1, update: 1 });
    expect(preview.stdout).toMatch(/a-opens[\s\S]*click[\s\S]*enabled\s*:\s*true => false/);
    await admin.clearRequests();
    await test.stack.up();
    const a = await server("Env A");
    const hook = await webhookByUrl("https://hooks.example.com/a/opens");
    expect(await calls()).toEqual([`GET /servers/${a.ID}`, `PUT /webhooks/${hook.ID}`]);
    expect(hook.Triggers).toMatchObject({ Open: { Enabled: true, PostFirstOpenOnly: true }, Click: { Enabled: false } });
    expect(hook.HttpAuth).toEqual({ Username: "postmark", Password: secrets.passwordA });
    await expectNoPlaintextSecrets();
  });

  it("changes made by hand are shown by refresh and put back by up", async () => {
    const b = await server("Env B");
    await admin.editStreamByHand(b.ID, "newsletters", { Name: "Renamed by hand" });
    const hook = await webhookByUrl("https://hooks.example.com/b/bounces");
    await admin.editWebhookByHand(hook.ID, { Triggers: { ...(hook.Triggers as object), Bounce: { Enabled: false, IncludeContent: false }, Click: { Enabled: true } } });
    const refresh = await test.stack.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ update: 2 });
    await admin.clearRequests();
    await test.stack.up();
    expect((await calls()).sort()).toEqual([`GET /servers/${b.ID}`, "PATCH /message-streams/newsletters", `PUT /webhooks/${hook.ID}`].sort());
    expect((await admin.streams(b.ID)).find((s) => s.ID === "newsletters")).toMatchObject({ Name: "Newsletters B" });
    // The declared trigger is put back; the click trigger the program never declared stays as set by hand.
    expect((await webhookByUrl("https://hooks.example.com/b/bounces")).Triggers).toMatchObject({ Bounce: { Enabled: true }, Click: { Enabled: true } });
    expect((await test.stack.preview()).changeSummary).toEqual({ same: resources });
    await expectNoPlaintextSecrets();
  });

  it("a stream archived and a webhook deleted by hand are dropped by refresh, and up brings them back", async () => {
    const a = await server("Env A");
    await admin.archiveStreamByHand(a.ID, "newsletters");
    await admin.deleteWebhookByHand((await webhookByUrl("https://hooks.example.com/a/bounces")).ID);
    const refresh = await test.stack.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ delete: 2 });
    await admin.clearRequests();
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ create: 2 });
    // The archived stream is unarchived (its ID is kept until Postmark purges it), not refused as a duplicate.
    expect(await calls()).toEqual(
      expect.arrayContaining(["POST /message-streams", "POST /message-streams/newsletters/unarchive", "POST /webhooks"]),
    );
    expect((await admin.streams(a.ID)).find((s) => s.ID === "newsletters")).toMatchObject({ ArchivedAt: null });
    expect(await admin.webhooks(a.ID)).toHaveLength(2);
    expect((await test.stack.preview()).changeSummary).toEqual({ same: resources });
    await expectNoPlaintextSecrets();
  });

  it("moving a webhook to another server replaces it: the new one is made, then the old one deleted", async () => {
    const next = environment();
    next.webhooks["a-bounces"].server = "b";
    await setEnv(next);
    const preview = await test.stack.preview();
    expect(preview.changeSummary).toMatchObject({ replace: 1 });
    const old = await webhookByUrl("https://hooks.example.com/a/bounces");
    await admin.clearRequests();
    await test.stack.up();
    const moved = (await admin.webhooks((await server("Env B")).ID)).filter((w) => w.Url === "https://hooks.example.com/a/bounces");
    expect(moved).toHaveLength(1);
    expect(await calls()).toEqual(expect.arrayContaining(["POST /webhooks", `DELETE /webhooks/${old.ID}`]));
    expect((await admin.webhooks()).filter((w) => w.Url === "https://hooks.example.com/a/bounces")).toHaveLength(1);
    await expectNoPlaintextSecrets();
  });

  // The engine stops a preview at the first resource whose check fails, so one bad input per preview.
  it.each([
    ["a stream ID with Postmark's prefix", (e: Env) => (e.streams["a-news"].streamId = "pm-x"), 'streamId is "pm-x"; it must not start with "pm-"'],
    ["a stream type that does not exist", (e: Env) => (e.streams["b-news"].messageStreamType = "Outbound"), 'messageStreamType is "Outbound"; allowed values: Transactional, Broadcasts, Inbound'],
    ["a webhook URL that is not http(s)", (e: Env) => (e.webhooks["a-opens"].url = "ftp://x"), 'url is "ftp://x"; it must be an absolute http:// or https:// URL'],
    ["a bounce trigger on a broadcast stream", (e: Env) => (e.webhooks["b-bounces"].messageStream = "broadcast"), 'triggers.bounce.enabled is true, but "broadcast" is a Broadcasts stream'],
  ])("bad input (%s) fails preview naming the field, and Postmark sees no request", async (_, spoil, message) => {
    const next = movedEnvironment();
    spoil(next);
    await setEnv(next);
    await admin.clearRequests();
    const text = await failureText(test.stack.preview()).finally(() => setEnv(movedEnvironment()));
    expect(text).toContain(message);
    expect(await calls()).toEqual([]);
  });

  it("destroy deletes in dependency order: webhooks, then streams (archived), then servers", async () => {
    await admin.clearRequests();
    const destroy = await test.stack.destroy();
    expect(destroy.summary.resourceChanges).toEqual({ delete: resources });
    // Postmark cannot delete a stream; the output says what happened to it.
    expect(destroy.stdout).toMatch(/Message stream "newsletters" of server \d+ archived: Postmark purges it on \S+ \(45 days\)/);
    const log = await calls();
    const last = (prefix: string) => Math.max(...log.map((c, i) => (c.startsWith(prefix) ? i : -1)));
    const first = (prefix: string) => log.findIndex((c) => c.startsWith(prefix));
    expect(log.filter((c) => c.startsWith("DELETE /webhooks"))).toHaveLength(4);
    expect(log.filter((c) => c.endsWith("/archive"))).toEqual(["POST /message-streams/newsletters/archive", "POST /message-streams/newsletters/archive"]);
    expect(last("DELETE /webhooks")).toBeLessThan(first("DELETE /servers"));
    expect(last("POST /message-streams")).toBeLessThan(first("DELETE /servers"));
    expect(await admin.servers()).toEqual([]);
    await expectNoPlaintextSecrets();
  });
});
