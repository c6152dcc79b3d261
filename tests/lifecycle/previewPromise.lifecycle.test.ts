/**
 * A preview is a promise: through the real Pulumi CLI, what `pulumi preview` announces for every resource (nothing,
 * update, replace) is what `pulumi up` then does, dependents wired to a server's or a domain's ID included. Each step
 * records the engine's operations per resource in the preview and in the up that follows, compares them, and checks
 * Postmark's IDs before and after in the emulator.
 */
import { EngineEvent } from "@pulumi/pulumi/automation";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { EmulatorAdmin } from "../support/emulatorAdmin";
import { createTestStack, TestStack } from "./pulumiHarness";

jest.setTimeout(600_000);

const accountToken = "preview-promise-account-token-8c2e";

/**
 * One server holding a Broadcasts stream, a webhook on it, a webhook given the server's token, a template and an inbound
 * rule; a domain with its verification; and, when asked, an inbound rule on a server made by hand, which the program
 * may adopt.
 */
const program = `
const pulumi = require("@pulumi/pulumi");
const p = require("pulumi-postmark");
const config = new pulumi.Config();
const billing = new p.PostmarkServer("billing", config.requireObject("server"));
const serverId = billing.serverId;
const news = new p.PostmarkMessageStream("news", { serverId, streamId: "newsletters", name: "Newsletters", messageStreamType: "Broadcasts" });
new p.PostmarkWebhook("opens", { serverId, messageStream: news.streamId, url: "https://hooks.example.com/opens", triggers: { open: { enabled: true } } });
new p.PostmarkWebhook("clicks", {
  serverId,
  serverToken: billing.apiTokens.apply((tokens) => tokens[0]),
  url: "https://hooks.example.com/clicks",
  triggers: { click: { enabled: true } },
});
new p.PostmarkTemplate("welcome", { serverId, name: "Welcome", alias: "welcome", subject: "Hi {{name}}", textBody: "Hello {{name}}" });
new p.PostmarkInboundRule("junk", { serverId, rule: "junk.example.com" });
const domain = new p.PostmarkDomain("example", config.requireObject("domain"));
new p.PostmarkDomainVerification("example", { domainId: domain.domainId, dkim: false });
const legacy = config.getObject("legacy");
if (legacy) {
  const legacyId = legacy.adopt ? new p.PostmarkServer("legacy", { name: "Legacy", adoptServerId: legacy.serverId }).serverId : legacy.serverId;
  new p.PostmarkInboundRule("legacy-junk", { serverId: legacyId, rule: "junk.legacy.example.com" });
}
`;

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let test: TestStack;

const server = { name: "Billing", color: "Blue", deliveryType: "Live" };
const domain = { name: "example.com", returnPathDomain: "pm-bounces.example.com" };
const declare = (config: { server?: object; domain?: object; legacy?: object }) =>
  test.stack.setAllConfig(
    Object.fromEntries(Object.entries({ server, domain, ...config }).map(([key, value]) => [key, { value: JSON.stringify(value) }])),
  );

/** The engine's operations per resource name, leaving out resources it leaves as they are. */
type Operations = Record<string, string[]>;
function recorder(): { operations: Operations; onEvent: (event: EngineEvent) => void } {
  const operations: Operations = {};
  const onEvent = (event: EngineEvent) => {
    const step = event.resourcePreEvent?.metadata;
    if (!step || step.op === "same" || !step.type.startsWith("pulumi-nodejs:dynamic/postmark:")) return;
    const name = step.urn.split("::").pop()!;
    operations[name] = [...new Set([...(operations[name] ?? []), step.op])].sort();
  };
  return { operations, onEvent };
}

/** What the preview announced and what up then did, per resource. */
async function previewThenUp(): Promise<{ announced: Operations; done: Operations }> {
  const announced = recorder();
  await test.stack.preview({ onEvent: announced.onEvent });
  await admin.clearRequests();
  const done = recorder();
  await test.stack.up({ onEvent: done.onEvent });
  return { announced: announced.operations, done: done.operations };
}

/** Postmark's IDs of everything the program declares, read from the emulator. */
async function postmarkIds() {
  const billing = (await admin.servers()).find((s) => s.Name === "Billing")!;
  const hooks = await admin.webhooks(billing.ID);
  return {
    server: billing.ID,
    streamServers: (await admin.streams(billing.ID)).filter((s) => s.ID === "newsletters").map((s) => s.ServerID),
    opens: hooks.find((w) => w.Url.endsWith("/opens"))?.ID,
    clicks: hooks.find((w) => w.Url.endsWith("/clicks"))?.ID,
    template: (await admin.templates(billing.ID)).find((t) => t.Alias === "welcome" && t.Active)?.TemplateId,
    rule: (await admin.inboundRules(billing.ID))[0]?.ID,
    domain: (await admin.domains()).find((d) => d.Name === "example.com")!.ID,
  };
}
const writes = async () =>
  (await admin.requests()).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path.split("?")[0]}`).sort();

beforeAll(async () => {
  emulator = await startEmulator({ token: accountToken });
  admin = new EmulatorAdmin(emulator.url);
  // Both Return-Path domains the steps use already point to Postmark, so the verification passes whichever is set.
  for (const host of ["pm-bounces.example.com", "bounces.example.com"]) await admin.publishReturnPathCname(host);
  test = await createTestStack({
    program,
    secretConfig: { "postmark:accountToken": accountToken },
    env: { POSTMARK_API_URL: emulator.url, POSTMARK_RETRY_BASE_DELAY_MS: "10" },
  });
  await declare({});
  await test.stack.up();
});
afterAll(async () => {
  await test?.cleanup();
  await emulator?.stop();
});

describe("what preview announces is what up does, for every resource wired to another's ID", () => {
  it("an edit of the server (color) previews and makes one update, and nothing in the server changes", async () => {
    const before = await postmarkIds();
    await declare({ server: { ...server, color: "Green" } });
    const { announced, done } = await previewThenUp();
    expect(announced).toEqual({ billing: ["update"] });
    expect(done).toEqual(announced);
    expect(await writes()).toEqual([`PUT /servers/${before.server}`]);
    expect(await postmarkIds()).toEqual(before);
  });

  it("an edit of the domain (returnPathDomain) previews and makes one update; its verification stays", async () => {
    const before = await postmarkIds();
    await declare({ server: { ...server, color: "Green" }, domain: { ...domain, returnPathDomain: "bounces.example.com" } });
    const { announced, done } = await previewThenUp();
    expect(announced).toEqual({ example: ["update"] });
    expect(done).toEqual(announced);
    expect(await writes()).toEqual([`PUT /domains/${before.domain}`]);
    expect(await postmarkIds()).toEqual(before);
  });

  it("a replacement of the server (deliveryType) previews the replacement of all it holds, and up replaces exactly those", async () => {
    const before = await postmarkIds();
    await declare({ server: { ...server, color: "Green", deliveryType: "Sandbox" }, domain: { ...domain, returnPathDomain: "bounces.example.com" } });
    const { announced, done } = await previewThenUp();
    const replaced = ["create-replacement", "delete-replaced", "replace"];
    expect(announced).toEqual({ billing: replaced, news: replaced, opens: replaced, clicks: replaced, welcome: replaced, junk: replaced });
    expect(done).toEqual(announced);
    const after = await postmarkIds();
    for (const key of ["server", "opens", "clicks", "template", "rule"] as const) expect(after[key]).not.toEqual(before[key]);
    expect(after.streamServers).toEqual([after.server]);
    expect(after.domain).toBe(before.domain);
    expect((await admin.servers()).map((s) => s.ID)).not.toContain(before.server);
  });

  it("adopting a server that a resource already names by its ID previews and makes the adoption only", async () => {
    const declared = { server: { ...server, color: "Green", deliveryType: "Sandbox" }, domain: { ...domain, returnPathDomain: "bounces.example.com" } };
    const legacy = await admin.createByHand({ Name: "Legacy" });
    await declare({ ...declared, legacy: { serverId: legacy.ID, adopt: false } });
    await test.stack.up();
    const rule = (await admin.inboundRules(legacy.ID))[0].ID;
    await declare({ ...declared, legacy: { serverId: legacy.ID, adopt: true } });
    const { announced, done } = await previewThenUp();
    expect(announced).toEqual({ legacy: ["create"] });
    expect(done).toEqual(announced);
    expect(await writes()).toEqual([]);
    expect((await admin.inboundRules(legacy.ID)).map((r) => r.ID)).toEqual([rule]);
  });
});
