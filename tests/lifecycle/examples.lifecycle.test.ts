/**
 * The root project (one stack per environment, servers from stack config) and every example, run as
 * users run them: TypeScript programs through the real Pulumi CLI, against the emulator.
 */
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { EmulatorAdmin } from "../support/emulatorAdmin";
import { expectNotInState } from "./expectations";
import { createTestStack, failureText, repoRoot, TestStack, TestStackOptions } from "./pulumiHarness";

jest.setTimeout(600_000);

const accountToken = "examples-account-token-77ab";
let emulator: RunningEmulator;
let admin: EmulatorAdmin;
const stacks: TestStack[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ token: accountToken });
  admin = new EmulatorAdmin(emulator.url);
});
afterAll(async () => {
  for (const s of stacks) await s.cleanup();
  await emulator?.stop();
});
beforeEach(async () => admin.reset());

async function stackOf(options: TestStackOptions): Promise<TestStack> {
  const stack = await createTestStack({
    ...options,
    secretConfig: { "postmark:accountToken": accountToken, ...options.secretConfig },
    env: { POSTMARK_API_URL: emulator.url },
  });
  stacks.push(stack);
  return stack;
}

const rootProjectFiles = ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.staging.yaml", "Pulumi.prod.yaml", "infra"];
const example = (name: string) => path.join(repoRoot, "examples", name);
const names = async () => (await admin.servers()).map((s) => s.Name).sort();

describe("the root project: each environment's servers from its own stack config", () => {
  it("dev makes Sandbox servers and prod Live ones (prod's transactional server with its streams and webhooks); destroying dev leaves prod alone", async () => {
    const dev = await stackOf({ projectDir: repoRoot, projectFiles: rootProjectFiles, stackName: "dev" });
    const prod = await stackOf({ projectDir: repoRoot, projectFiles: rootProjectFiles, stackName: "prod" });
    const devUp = await dev.stack.up();
    const prodUp = await prod.stack.up();
    expect(await names()).toEqual(["Billing (dev)", "Billing (prod)", "Transactional (dev)", "Transactional (prod)"]);
    const servers = await admin.servers();
    expect(servers.filter((s) => s.Name.includes("(dev)")).every((s) => s.DeliveryType === "Sandbox")).toBe(true);
    expect(servers.filter((s) => s.Name.includes("(prod)")).every((s) => s.DeliveryType === "Live")).toBe(true);
    expect(devUp.outputs.serverIds.value.billing).toBe(servers.find((s) => s.Name === "Billing (dev)")!.ID);
    const stackOutputs = JSON.parse(await dev.exportState()).deployment.resources[0].outputs;
    expect(stackOutputs.apiTokens.billing).toHaveProperty("ciphertext");

    expect((await dev.stack.preview()).changeSummary).toEqual({ same: 3 });
    await dev.stack.destroy();
    expect(await names()).toEqual(["Billing (prod)", "Transactional (prod)"]);

    // Prod's streams and webhooks per server in stack config, wired in dependency order; preview is then clean.
    expect(prodUp.summary.resourceChanges).toEqual({ create: 1 + 2 + 2 + 2 });
    const transactional = (await admin.servers()).find((s) => s.Name === "Transactional (prod)")!;
    const streams = await admin.streams(transactional.ID);
    expect(streams.find((s) => s.ID === "outbound")).toMatchObject({ Name: "Transactional", Description: "Receipts and password resets" });
    expect(streams.find((s) => s.ID === "newsletters")).toMatchObject({ MessageStreamType: "Broadcasts" });
    const hooks = await admin.webhooks(transactional.ID);
    expect(hooks.map((w) => [w.Url, w.MessageStream]).sort()).toEqual([
      ["https://hooks.example.com/postmark/delivery", "outbound"],
      ["https://hooks.example.com/postmark/engagement", "newsletters"],
    ]);
    expect((await prod.stack.preview()).changeSummary).toEqual({ same: 7 });
    await prod.stack.destroy();
    expect(await admin.servers()).toEqual([]);
  });

  it("preview --refresh reports a change made by hand, and up restores the declared values", async () => {
    const dev = await stackOf({ projectDir: repoRoot, projectFiles: rootProjectFiles, stackName: "dev" });
    await dev.stack.up();
    const billing = (await admin.servers()).find((s) => s.Name === "Billing (dev)")!;
    await admin.editByHand(billing.ID, { InboundSpamThreshold: 25 });
    const preview = await dev.stack.preview({ refresh: true, diff: true });
    expect(preview.changeSummary).toMatchObject({ update: 1 });
    expect(preview.stdout).toMatch(/inboundSpamThreshold\s*:\s*25 => 10/);
    await dev.stack.up({ refresh: true });
    expect((await admin.servers()).find((s) => s.ID === billing.ID)).toMatchObject({ InboundSpamThreshold: 10 });
    await dev.stack.destroy();
  });

  it("an invalid definition in stack config fails preview naming the entry, before any API call", async () => {
    const dev = await stackOf({ projectDir: repoRoot, projectFiles: rootProjectFiles, stackName: "dev" });
    await dev.stack.setConfig("servers", { value: JSON.stringify({ billing: { name: "Billing", colour: "Red" }, broken: "oops" }) });
    await admin.clearRequests();
    const text = await failureText(dev.stack.preview());
    expect(text).toContain('postmark-servers:servers.broken must be an object of PostmarkServer inputs, not "oops"');
    await dev.stack.setConfig("servers", { value: JSON.stringify({ billing: { name: "Billing", colour: "Red" } }) });
    const typo = await failureText(dev.stack.preview());
    expect(typo).toMatch(/PostmarkServer resource 'billing'[\s\S]*colour is not a PostmarkServer input/);
    expect(await admin.requests()).toEqual([]);
  });
});

describe("examples/full-environment: a server, its broadcast stream and webhooks", () => {
  it("creates them all, keeps the hook password encrypted, previews clean and destroys in order", async () => {
    const full = await stackOf({ projectDir: example("full-environment"), stackName: "staging", secretConfig: { hookPassword: "full-env-hook-password-9d" } });
    const up = await full.stack.up();
    expect(up.summary.resourceChanges).toEqual({ create: 6 });
    const [server] = await admin.servers();
    expect(server).toMatchObject({ Name: "App (staging)", DeliveryType: "Sandbox" });
    expect((await admin.streams(server.ID)).map((s) => [s.ID, s.Name])).toEqual(
      expect.arrayContaining([["outbound", "Transactional"], ["newsletters", "Newsletters"]]),
    );
    const delivery = (await admin.webhooks(server.ID)).find((w) => w.Url.endsWith("/delivery"))!;
    expect(delivery).toMatchObject({ HttpAuth: { Username: "postmark", Password: "full-env-hook-password-9d" }, HttpHeaders: [{ Name: "X-Environment", Value: "staging" }] });
    await expectNotInState(full, ["full-env-hook-password-9d"]);
    expect((await full.stack.preview()).changeSummary).toEqual({ same: 6 });
    await full.stack.destroy();
    expect(await admin.servers()).toEqual([]);
  });
});

describe("examples/basic: one server, every field", () => {
  it("creates the server with every field as declared, then previews with no changes", async () => {
    const basic = await stackOf({ projectDir: example("basic") });
    const up = await basic.stack.up();
    const [server] = await admin.servers();
    expect(server).toMatchObject({
      Name: "Transactional (basic example)",
      Color: "turquoise",
      DeliveryType: "Sandbox",
      SmtpApiActivated: true,
      InboundSpamThreshold: 15,
      TrackLinks: "HtmlAndText",
      ClickHookUrl: "https://hooks.example.com/postmark/click",
      EnableSmtpApiErrorHooks: true,
    });
    expect(up.outputs.serverId.value).toBe(server.ID);
    expect(up.outputs.apiTokens.secret).toBe(true);
    expect((await basic.stack.preview()).changeSummary).toEqual({ same: 2 });
    await basic.stack.destroy();
    expect(await admin.servers()).toEqual([]);
  });
});

describe("examples/per-environment: one stack per environment", () => {
  it("dev, staging and prod each make their own servers; only prod's are Live", async () => {
    for (const env of ["dev", "staging", "prod"]) {
      const stack = await stackOf({ projectDir: example("per-environment"), stackName: env });
      await stack.stack.up();
    }
    const servers = await admin.servers();
    expect(servers).toHaveLength(6);
    for (const s of servers) expect(s.DeliveryType).toBe(s.Name.includes("(prod)") ? "Live" : "Sandbox");
    expect(servers.find((s) => s.Name === "Billing (staging)")).toMatchObject({ Color: "yellow", SmtpApiActivated: false });
    for (const stack of stacks.slice(-3)) await stack.stack.destroy();
    expect(await admin.servers()).toEqual([]);
  });
});

describe("examples/adopt-existing: a server made by hand comes under management", () => {
  it("the first up reads and edits it (no POST); then preview shows no changes", async () => {
    const byHand = await admin.createByHand({ Name: "Legacy (made by hand)", Color: "grey", TrackOpens: false, InboundHookUrl: "https://keep.example.com" });
    const adopt = await stackOf({ projectDir: example("adopt-existing"), stackName: "dev" });
    await adopt.stack.setConfig("serverId", { value: String(byHand.ID) });
    await admin.clearRequests();
    const up = await adopt.stack.up();
    expect(up.outputs.serverId.value).toBe(byHand.ID);
    expect((await admin.requests()).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /servers/${byHand.ID}`, `PUT /servers/${byHand.ID}`]);
    expect(await admin.servers()).toEqual([expect.objectContaining({ ID: byHand.ID, TrackOpens: true, InboundHookUrl: "https://keep.example.com" })]);
    expect((await adopt.stack.preview()).changeSummary).toEqual({ same: 2 });
    await adopt.stack.destroy();
  });
});
