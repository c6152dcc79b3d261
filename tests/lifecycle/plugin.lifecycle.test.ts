/**
 * The `postmark` provider plugin through the real Pulumi CLI, from a YAML program: one environment (a server with a
 * Broadcasts stream, a webhook with secret auth and one with a secret header, a layout and a template in it, an inbound
 * rule) and a server in a second account through an explicit provider, on one shared stack: create, a no-op preview,
 * hand edits found by refresh and put back, bad input, faults, a replacement, destroy. Then the same environment through
 * the dynamic resources, to compare the API calls of each phase. Last, `pulumi import` of an object of every kind made
 * by hand, alone and from a file: the generated YAML, pasted into the program, previews with no changes.
 */
import * as fs from "fs";
import * as path from "path";
import { EngineEvent } from "@pulumi/pulumi/automation";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { EmulatorAdmin } from "../support/emulatorAdmin";
import { expectNoInternals, expectNotInState } from "./expectations";
import { createTestStack, failureText, TestStack } from "./pulumiHarness";

jest.setTimeout(900_000);

const accountToken = "plugin-account-token-7c1a";
const otherToken = "plugin-other-account-token-2b9e";
const secrets = { hookPassword: "plugin-hook-password-5d2", headerValue: "plugin-header-value-8e4" };

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let other: RunningEmulator;
let otherAdmin: EmulatorAdmin;
let test: TestStack;

type Resources = Record<string, { type: string; properties: Record<string, unknown>; options?: Record<string, unknown> }>;

/** The environment as YAML resources (JSON is YAML), each Postmark object once. */
function environment(): Resources {
  const serverId = "${billing.serverId}";
  return {
    otherAccount: { type: "pulumi:providers:postmark", properties: { accountToken: "${otherToken}", apiUrl: "${otherUrl}" } },
    billing: { type: "postmark:index:Server", properties: { name: "Plugin Billing", color: "Blue", deliveryType: "Live", trackOpens: true } },
    news: { type: "postmark:index:MessageStream", properties: { serverId, streamId: "newsletters", name: "Newsletters", messageStreamType: "Broadcasts" } },
    opens: {
      type: "postmark:index:Webhook",
      properties: {
        serverId,
        messageStream: "${news.streamId}",
        url: "https://hooks.example.com/opens",
        triggers: { open: { enabled: true, postFirstOpenOnly: true } },
        httpAuth: { username: "postmark", password: "${hookPassword}" },
      },
    },
    bounces: {
      type: "postmark:index:Webhook",
      properties: { serverId, url: "https://hooks.example.com/bounces", triggers: { bounce: { enabled: true } }, httpHeaders: [{ name: "X-Hook", value: "${headerValue}" }] },
    },
    base: {
      type: "postmark:index:Template",
      properties: { serverId, name: "Base", alias: "base", templateType: "Layout", htmlBody: "<main>{{{@content}}}</main>" },
    },
    welcome: {
      type: "postmark:index:Template",
      properties: { serverId, name: "Welcome", alias: "welcome", subject: "Hi {{name}}", textBody: "Hello {{name}}", layoutTemplate: "${base.alias}" },
    },
    junk: { type: "postmark:index:InboundRule", properties: { serverId, rule: "junk.example.com" } },
    mirror: { type: "postmark:index:Server", properties: { name: "Plugin Mirror", color: "Grey" }, options: { provider: "${otherAccount}" } },
  };
}
/** The Postmark objects the environment declares (all but the explicit provider). */
const postmarkObjects = Object.values(environment()).filter((r) => r.type.startsWith("postmark:")).length;

const declare = (resources: Resources) =>
  test.setYaml(
    `config:\n  otherUrl: { type: string }\n  otherToken: { type: string, secret: true }\n  hookPassword: { type: string, secret: true }\n  headerValue: { type: string, secret: true }\n` +
      `resources: ${JSON.stringify(resources)}\noutputs:\n  serverId: \${billing.serverId}\n  tokens: \${billing.apiTokens}\n`,
  );

const calls = async (of: EmulatorAdmin = admin) => (await of.requests()).map((r) => `${r.method} ${r.path.split("?")[0]}`);
/** A phase's calls to compare with another stack's: IDs made alike, order left out (independent resources run in parallel). */
const comparable = (log: string[]) => log.map((call) => call.replace(/\/\d+/g, "/#")).sort();
/** The calls of each phase through the plugin, to compare with the dynamic resources'. */
const pluginCalls: Record<string, string[]> = {};
const clear = async () => Promise.all([admin.clearRequests(), otherAdmin.clearRequests()]);
const billing = async () => (await admin.servers()).find((s) => s.Name === "Plugin Billing")!;

/** The engine's operations per resource name, leaving out those it leaves as they are. */
function recorder(): { operations: Record<string, string[]>; onEvent: (event: EngineEvent) => void } {
  const operations: Record<string, string[]> = {};
  return {
    operations,
    onEvent: (event) => {
      const step = event.resourcePreEvent?.metadata;
      if (!step || step.op === "same" || !step.type.startsWith("postmark:")) return;
      const name = step.urn.split("::").pop()!;
      operations[name] = [...new Set([...(operations[name] ?? []), step.op])].sort();
    },
  };
}

async function expectNoPlaintextSecrets(): Promise<void> {
  const values = [accountToken, otherToken, ...Object.values(secrets)];
  for (const server of [...(await admin.servers()), ...(await otherAdmin.servers())]) {
    values.push(...(server.ApiTokens as string[]), String(server.InboundAddress), String(server.InboundHash));
  }
  await expectNotInState(test, values);
}

beforeAll(async () => {
  [emulator, other] = await Promise.all([startEmulator({ token: accountToken, seed: 41 }), startEmulator({ token: otherToken, seed: 42 })]);
  admin = new EmulatorAdmin(emulator.url);
  otherAdmin = new EmulatorAdmin(other.url);
  test = await createTestStack({
    yaml: "",
    config: { "postmark:apiUrl": emulator.url, "postmark:retryBaseDelayMs": "10", "postmark:maxAttempts": "8", otherUrl: other.url },
    secretConfig: { "postmark:accountToken": accountToken, otherToken, ...secrets },
  });
});
afterAll(async () => {
  await test?.cleanup();
  await Promise.all([emulator?.stop(), other?.stop()]);
});

describe("a YAML program through the postmark plugin", () => {
  it("up creates the environment, in two accounts (its calls are compared with the dynamic resources' below)", async () => {
    declare(environment());
    const up = await test.stack.up();
    pluginCalls.create = comparable(await calls());
    expect(up.summary.resourceChanges).toEqual({ create: postmarkObjects + 2 }); // the stack and the explicit provider
    const server = await billing();
    expect((await admin.webhooks(server.ID)).find((w) => w.Url.endsWith("/opens"))).toMatchObject({
      MessageStream: "newsletters",
      HttpAuth: { Username: "postmark", Password: secrets.hookPassword },
      Triggers: { Open: { Enabled: true, PostFirstOpenOnly: true } },
    });
    expect((await admin.templates(server.ID)).find((t) => t.Alias === "welcome")).toMatchObject({ LayoutTemplate: "base" });
    expect((await otherAdmin.servers()).map((s) => s.Name)).toEqual(["Plugin Mirror"]);
    expect((await admin.servers()).map((s) => s.Name)).toEqual(["Plugin Billing"]);
    expect(up.outputs.serverId.value).toBe(server.ID);
    expect(up.outputs.tokens.secret).toBe(true);
    await expectNoPlaintextSecrets();
  });

  it("secret inputs and outputs are encrypted in state, and shown as [secret]", async () => {
    const state = JSON.parse(await test.exportState()).deployment;
    const resource = (name: string) => state.resources.find((r: { urn: string }) => r.urn.endsWith(`::${name}`));
    expect(resource("opens").inputs.httpAuth).toHaveProperty("ciphertext");
    expect(resource("opens").outputs.httpAuth).toHaveProperty("ciphertext");
    expect(resource("bounces").outputs.httpHeaders).toHaveProperty("ciphertext");
    for (const key of ["apiTokens", "inboundAddress", "inboundHash"]) expect(resource("billing").outputs[key]).toHaveProperty("ciphertext");
    expect(resource("otherAccount").inputs.accountToken).toHaveProperty("ciphertext");
    expect(test.cli(["stack", "output", "tokens"]).trim()).toBe("[secret]");
  });

  it("a preview of the unchanged stack shows no changes and makes no API call", async () => {
    await clear();
    const preview = await test.stack.preview();
    expect(preview.changeSummary).toEqual({ same: postmarkObjects + 2 });
    expect([...(await calls()), ...(await calls(otherAdmin))]).toEqual([]);
  });

  it("changes made by hand are shown by refresh and put back by up, with one edit each", async () => {
    const server = await billing();
    await admin.editByHand(server.ID, { Color: "red" });
    await admin.editStreamByHand(server.ID, "newsletters", { Name: "Renamed by hand" });
    const refresh = await test.stack.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ update: 2 });
    await clear();
    const preview = await test.stack.preview({ diff: true });
    expect(preview.changeSummary).toMatchObject({ update: 2 });
    expect(preview.stdout).toMatch(/color\s*:\s*"Red" => "Blue"/);
    await test.stack.up();
    pluginCalls.handEdits = comparable(await calls());
    expect((await calls()).filter((c) => !c.startsWith("GET")).sort()).toEqual([`PUT /servers/${server.ID}`, "PATCH /message-streams/newsletters"].sort());
    expect((await billing()).Color).toBe("blue"); // Postmark keeps colors in lower case
    expect((await admin.streams(server.ID)).find((s) => s.ID === "newsletters")!.Name).toBe("Newsletters");
    expect((await test.stack.preview()).changeSummary).toEqual({ same: postmarkObjects + 2 });
  });

  it("bad input fails the preview with the core's message naming the field, and Postmark sees no request", async () => {
    const spoiled = environment();
    spoiled.opens.properties.url = "ftp://hooks.example.com/opens";
    declare(spoiled);
    await clear();
    const text = await failureText(test.stack.preview());
    declare(environment());
    expect(text).toContain('url is "ftp://hooks.example.com/opens"; it must be an absolute http:// or https:// URL');
    expectNoInternals(text);
    expect(await calls()).toEqual([]);
  });

  it("under 429s, 500s, resets and lost create answers, new objects are made once each", async () => {
    const more = environment();
    more.clicks = { type: "postmark:index:Webhook", properties: { serverId: "${billing.serverId}", url: "https://hooks.example.com/clicks", triggers: { click: { enabled: true } } } };
    more.spam = { type: "postmark:index:InboundRule", properties: { serverId: "${billing.serverId}", rule: "spam.example.com" } };
    declare(more);
    await admin.settings({ faults: "429:0.15,500:0.05,reset:0.05,lost-create:0.5", seed: 7 });
    try {
      await test.stack.up();
    } finally {
      await admin.settings({ faults: "" });
    }
    const server = await billing();
    expect((await admin.webhooks(server.ID)).filter((w) => w.Url.endsWith("/clicks"))).toHaveLength(1);
    expect((await admin.inboundRules(server.ID)).map((r) => r.Rule).sort()).toEqual(["junk.example.com", "spam.example.com"]);
    expect((await test.stack.preview()).changeSummary).toEqual({ same: postmarkObjects + 4 });
    declare(environment());
    await test.stack.up();
  });

  it("a replacement of the server (deliveryType, same name) previews and makes the replacement of all it holds, the old server deleted first", async () => {
    const before = await billing();
    const replaced = environment();
    replaced.billing.properties.deliveryType = "Sandbox";
    declare(replaced);
    const announced = recorder();
    await test.stack.preview({ onEvent: announced.onEvent });
    await clear();
    const done = recorder();
    await test.stack.up({ onEvent: done.onEvent });
    const replacement = ["create-replacement", "delete-replaced", "replace"];
    expect(announced.operations).toEqual(Object.fromEntries(["billing", "news", "opens", "bounces", "base", "welcome", "junk"].map((name) => [name, replacement])));
    expect(done.operations).toEqual(announced.operations);
    const log = await calls();
    expect(log.indexOf(`DELETE /servers/${before.ID}`)).toBeLessThan(log.indexOf("POST /servers"));
    const after = await billing();
    expect(after.ID).not.toBe(before.ID);
    expect(after.DeliveryType).toBe("Sandbox");
    expect(await admin.webhooks(after.ID)).toHaveLength(2);
    expect((await test.stack.preview()).changeSummary).toEqual({ same: postmarkObjects + 2 });
  });

  it("destroy removes everything from both accounts", async () => {
    await clear();
    const destroy = await test.stack.destroy();
    pluginCalls.destroy = comparable(await calls());
    expect(destroy.summary.resourceChanges).toEqual({ delete: postmarkObjects + 2 });
    expect(destroy.stdout).toMatch(/Message stream "newsletters" of server \d+ archived/);
    expect(await admin.servers()).toEqual([]);
    expect(await otherAdmin.servers()).toEqual([]);
    await expectNoPlaintextSecrets();
  });
});

describe("the same environment through the dynamic resources", () => {
  /** The environment above, but for the second account's server (dynamic resources have no explicit providers). */
  const program = `
const pulumi = require("@pulumi/pulumi");
const p = require("pulumi-postmark");
const config = new pulumi.Config();
const billing = new p.PostmarkServer("billing", { name: "Plugin Billing", color: "Blue", deliveryType: "Live", trackOpens: true });
const serverId = billing.serverId;
const news = new p.PostmarkMessageStream("news", { serverId, streamId: "newsletters", name: "Newsletters", messageStreamType: "Broadcasts" });
new p.PostmarkWebhook("opens", {
  serverId,
  messageStream: news.streamId,
  url: "https://hooks.example.com/opens",
  triggers: { open: { enabled: true, postFirstOpenOnly: true } },
  httpAuth: { username: "postmark", password: config.requireSecret("hookPassword") },
});
new p.PostmarkWebhook("bounces", {
  serverId,
  url: "https://hooks.example.com/bounces",
  triggers: { bounce: { enabled: true } },
  httpHeaders: [{ name: "X-Hook", value: config.requireSecret("headerValue") }],
});
const base = new p.PostmarkTemplate("base", { serverId, name: "Base", alias: "base", templateType: "Layout", htmlBody: "<main>{{{@content}}}</main>" });
new p.PostmarkTemplate("welcome", { serverId, name: "Welcome", alias: "welcome", subject: "Hi {{name}}", textBody: "Hello {{name}}", layoutTemplate: base.alias });
new p.PostmarkInboundRule("junk", { serverId, rule: "junk.example.com" });
`;

  it("makes the same API calls in each phase as the plugin", async () => {
    const twin = await startEmulator({ token: accountToken, seed: 41 });
    const twinAdmin = new EmulatorAdmin(twin.url);
    const dynamic = await createTestStack({ program, env: { POSTMARK_API_URL: twin.url }, secretConfig: { "postmark:accountToken": accountToken, ...secrets } });
    try {
      await dynamic.stack.up();
      expect(comparable(await calls(twinAdmin))).toEqual(pluginCalls.create);
      const server = (await twinAdmin.servers())[0];
      await twinAdmin.editByHand(server.ID, { Color: "red" });
      await twinAdmin.editStreamByHand(server.ID, "newsletters", { Name: "Renamed by hand" });
      await dynamic.stack.refresh();
      await twinAdmin.clearRequests();
      await dynamic.stack.up();
      expect(comparable(await calls(twinAdmin))).toEqual(pluginCalls.handEdits);
      await twinAdmin.clearRequests();
      await dynamic.stack.destroy();
      expect(comparable(await calls(twinAdmin))).toEqual(pluginCalls.destroy);
    } finally {
      await dynamic.cleanup();
      await twin.stop();
    }
  });
});

describe("pulumi import through the plugin: objects made by hand come under code", () => {
  /** What `pulumi import --out` wrote, without its `resources:` line, to paste under the program's own. */
  const importedResources = (file: string) => fs.readFileSync(path.join(test.workDir, file), "utf8").replace(/^resources:\n/, "");
  const importCli = async (args: string[]) => {
    const run = await test.runCli(["import", ...args, "--yes", "--protect=false", "--non-interactive"]);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
  };

  it("one object of every kind, imported alone and from a file, previews with no changes; the next up makes no call", async () => {
    const server = await admin.createByHand({ Name: "Imported by hand", Color: "Purple", TrackOpens: true, TrackLinks: "HtmlOnly" });
    await admin.createStreamByHand(server.ID, { ID: "news", Name: "News", MessageStreamType: "Broadcasts" });
    const hook = await admin.createWebhookByHand(server.ID, {
      Url: "https://hooks.example.com/imported",
      MessageStream: "outbound",
      HttpAuth: { Username: "postmark", Password: secrets.hookPassword },
      Triggers: { Open: { Enabled: true } },
    });
    const layout = await admin.createTemplateByHand(server.ID, { Name: "Base", Alias: "base", TemplateType: "Layout", HtmlBody: "<b>{{{@content}}}</b>" });
    const template = await admin.createTemplateByHand(server.ID, { Name: "Welcome", Alias: "welcome", Subject: "Hi", TextBody: "Hello", LayoutTemplate: "base" });
    const rule = await admin.createInboundRuleByHand(server.ID, "junk.example.com");
    const domain = await admin.createDomainByHand({ Name: "example.com", ReturnPathDomain: "pm-bounces.example.com" });
    await admin.verifyDomainAsOwner(domain.ID, accountToken);
    const sender = await admin.createSenderByHand({ EmailAddress: "billing@example.com", Name: "Billing" });
    test.setYaml("resources: {}\n");
    await test.stack.up();

    await importCli(["postmark:index:Server", "legacy", String(server.ID), "--out", "server.yaml"]);
    const inServer = (id: string | number) => `${server.ID}/${id}`;
    const file = {
      resources: [
        { type: "postmark:index:MessageStream", name: "news", id: inServer("news") },
        { type: "postmark:index:Webhook", name: "hook", id: inServer(hook.ID) },
        { type: "postmark:index:Template", name: "base", id: inServer(layout.TemplateId) },
        { type: "postmark:index:Template", name: "welcome", id: inServer(template.TemplateId) },
        { type: "postmark:index:InboundRule", name: "junk", id: inServer(rule.ID) },
        { type: "postmark:index:Domain", name: "example", id: String(domain.ID) },
        { type: "postmark:index:DomainVerification", name: "exampleCheck", id: String(domain.ID) },
        { type: "postmark:index:SenderSignature", name: "billing", id: String(sender.ID) },
      ],
    };
    fs.writeFileSync(path.join(test.workDir, "import.json"), JSON.stringify(file));
    await importCli(["--file", "import.json", "--out", "rest.yaml"]);

    test.setYaml(`resources:\n${importedResources("server.yaml")}${importedResources("rest.yaml")}`);
    await clear();
    const preview = await test.stack.preview();
    expect(preview.changeSummary).toEqual({ same: 1 + 9 }); // the stack and the objects
    await test.stack.up();
    expect(await calls()).toEqual([]);

    // The `import` resource option takes one more, declared as Postmark holds it, with reads only.
    const spam = await admin.createInboundRuleByHand(server.ID, "spam.example.com");
    const spamRule = `  spam:\n    type: postmark:index:InboundRule\n    properties: { serverId: ${server.ID}, rule: spam.example.com }\n    options: { import: "${inServer(spam.ID)}" }\n`;
    test.setYaml(`resources:\n${importedResources("server.yaml")}${importedResources("rest.yaml")}${spamRule}`);
    const imported = await test.stack.up();
    expect(imported.summary.resourceChanges).toMatchObject({ import: 1 });
    expect((await calls()).filter((call) => !call.startsWith("GET"))).toEqual([]);
    await expectNotInState(test, [secrets.hookPassword, accountToken, ...(server.ApiTokens as string[])]);
  });
});
