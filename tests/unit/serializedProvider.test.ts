/**
 * The provider text every resource stores in state (twice), as the dynamic-provider host loads it: small, code-free
 * beyond a `require` of the installed runtime, and working. Also the serialized provider earlier builds wrote
 * (Pulumi's closure serializer around a `configure`), which stacks they made still hold.
 */
import { providerModuleText } from "../../provider/core/dynamicProvider";
import * as runtime from "../../provider/providerRuntime";
import { declarations } from "../../provider/resources";
import { startEmulator } from "../../emulator/server";
import { EmulatorAdmin } from "../support/emulatorAdmin";

const runtimeModule = "pulumi-postmark/dist/provider/providerRuntime";

/** The text earlier builds stored, as Pulumi's closure serializer wrote it (copied from such a stack's state). */
const earlierBuildText = (kind: string) =>
  `exports.handler = __f0;\n\nvar __provider = {configure: __f1};\n\nfunction __f1(__0) {\n  return (function() {\n    with({ runtimeModule: "${runtimeModule}", kind: "${kind}", this: undefined, arguments: undefined }) {\n\nreturn async function (request) { Object.assign(this, require(runtimeModule).operationMethods(kind, request.config)); };\n\n    }\n  }).apply(undefined, undefined).apply(this, arguments);\n}\n\nfunction __f0() {\n  return (function() {\n    with({ provider: __provider, this: undefined, arguments: undefined }) {\n\nreturn () => provider;\n\n    }\n  }).apply(undefined, undefined).apply(this, arguments);\n}\n`;

/**
 * Loads serialized text the way the host does (a module whose `handler` returns the provider), with `require`
 * answering the runtime's path with this checkout's runtime, then configures it as the host does, once.
 */
async function loadAsTheHostDoes(text: string, stackConfig: Record<string, string> = {}) {
  const required: string[] = [];
  const fakeRequire = (name: string) => {
    required.push(name);
    if (name !== runtimeModule) throw new Error(`the serialized provider required ${name}`);
    return runtime;
  };
  const module = { exports: {} as { handler: () => Record<string, (...args: unknown[]) => Promise<unknown>> } };
  new Function("exports", "require", "module", text)(module.exports, fakeRequire, module);
  const provider = module.exports.handler();
  const before = Object.keys(provider).sort();
  await provider.configure({ config: { get: (key: string) => stackConfig[key] } });
  return { provider, before, required };
}

describe("the provider text stored in state", () => {
  it.each(declarations.map((d) => [d.kind]))("%s: under 200 bytes, and only requires the installed runtime", async (kind) => {
    const text = providerModuleText(kind);
    // Stored twice per resource (inputs and outputs), as a JSON string.
    expect(JSON.stringify(text).length).toBeLessThan(200);
    expect(text).toContain("require(runtimeModule)");
    expect(text).toContain(JSON.stringify(runtimeModule));
    expect(text).toContain(JSON.stringify(kind));
    // No settings and no code of the operations: only names.
    expect(text).not.toMatch(/postmarkapp\.com|accountToken|fetch|axios|checkInputs/i);
  });

  it("is one text per kind, so the host loads and configures each kind once per process", () => {
    expect(providerModuleText("PostmarkServer")).toBe(providerModuleText("PostmarkServer"));
    expect(providerModuleText("PostmarkServer")).not.toBe(providerModuleText("PostmarkWebhook"));
  });

  it("loaded as the host loads it, it has the kind's operations, configured with the stack's config, and they run", async () => {
    const { provider, before, required } = await loadAsTheHostDoes(providerModuleText("PostmarkServer"));
    expect(before).toEqual(["check", "configure", "create", "delete", "diff", "read", "update"]);
    expect(required).toEqual([runtimeModule]);
    for (const method of ["check", "diff", "create", "read", "update", "delete"]) expect(typeof provider[method]).toBe("function");
    // check and diff make no API call: they run here without a token or an emulator.
    const checked = (await provider.check({}, { name: "Billing", color: "red" })) as { inputs: object; failures: unknown[] };
    expect(checked.failures).toEqual([]);
    const diff = await provider.diff("7", { name: "Billing", color: "Red", managedFields: ["name", "color"] }, { name: "Billing", color: "RED" });
    expect(diff).toMatchObject({ changes: false });
    const bad = (await provider.check({}, { name: "Billing", color: "Pink" })) as { failures: { property: string }[] };
    expect(bad.failures.map((f) => f.property)).toEqual(["color"]);
  });

  it("a kind this version does not have fails clearly when the host loads it", async () => {
    await expect(loadAsTheHostDoes(providerModuleText("PostmarkGadget"))).rejects.toThrow(
      "This version of pulumi-postmark has no resource kind PostmarkGadget: upgrade the package.",
    );
  });

  it("the serialized provider of earlier builds, still in their stacks' state, installs the kind's operations on configure", async () => {
    const { provider, before, required } = await loadAsTheHostDoes(earlierBuildText("PostmarkWebhook"));
    expect(before).toEqual(["configure"]);
    expect(required).toEqual([runtimeModule]);
    const checked = (await provider.check({}, { serverId: 1, url: "not a url" })) as { failures: { property: string }[] };
    expect(checked.failures.map((f) => f.property)).toEqual(["url"]);
  });

  it("each kind's provider runs that kind's operations", async () => {
    const { provider } = await loadAsTheHostDoes(providerModuleText("PostmarkWebhook"));
    const checked = (await provider.check({}, { serverId: 1, url: "not a url" })) as { failures: { property: string }[] };
    expect(checked.failures.map((f) => f.property)).toEqual(["url"]);
  });
});

describe("one provider process serving several kinds", () => {
  it("configuring each kind's provider keeps one client: a server's token is looked up once for its stream and its webhook", async () => {
    const accountToken = "unit-test-account-token-serialized-7c1";
    const emulator = await startEmulator({ token: accountToken });
    try {
      const admin = new EmulatorAdmin(emulator.url);
      const server = await admin.createByHand({ Name: "Mail" });
      await admin.createStreamByHand(server.ID, { ID: "newsletters", Name: "Newsletters", MessageStreamType: "Broadcasts" });
      const webhook = await admin.createWebhookByHand(server.ID, { Url: "https://hooks.example.com/postmark" });
      const stackConfig = { "postmark:accountToken": accountToken, "postmark:apiUrl": emulator.url };
      // As in a refresh: the host loads and configures each kind's provider as its first resource comes, then reads.
      const streams = (await loadAsTheHostDoes(providerModuleText("PostmarkMessageStream"), stackConfig)).provider;
      const streamRead = streams.read(`${server.ID}/newsletters`, { serverId: server.ID, managedFields: ["name"] });
      const webhooks = (await loadAsTheHostDoes(providerModuleText("PostmarkWebhook"), stackConfig)).provider;
      const webhookRead = webhooks.read(`${server.ID}/${webhook.ID}`, { serverId: server.ID, managedFields: ["url"] });
      await Promise.all([streamRead, webhookRead]);
      const calls = (await admin.requests()).map((r) => `${r.method} ${r.path.split("?")[0]}`);
      expect(calls.sort()).toEqual([`GET /message-streams/newsletters`, `GET /servers/${server.ID}`, `GET /webhooks/${webhook.ID}`]);
    } finally {
      await emulator.stop();
    }
  });
});
