/**
 * PostmarkServer through the real Pulumi CLI against the emulator: what users do with `pulumi up`,
 * `preview`, `refresh` and `destroy`, asserted on the engine's results, the state and the emulator.
 */
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { EmulatorAdmin, StoredServer } from "../support/emulatorAdmin";
import { expectNoInternals, expectNotInState } from "./expectations";
import { createTestStack, failureText, TestStack } from "./pulumiHarness";

jest.setTimeout(300_000);

const accountToken = "lifecycle-account-token-9c2e77";

/** A program shaped like an infra repo's: server definitions (and per-server options) from stack config. */
const program = `
const pulumi = require("@pulumi/pulumi");
const { PostmarkServer } = require("pulumi-postmark");
const config = new pulumi.Config();
const options = config.getObject("options") || {};
const servers = {};
for (const [key, args] of Object.entries(config.requireObject("servers"))) {
  const server = new PostmarkServer(key, args, options[key]);
  servers[key] = { id: server.serverId, link: server.serverLink, apiTokens: server.apiTokens,
                   inboundAddress: server.inboundAddress, inboundHash: server.inboundHash };
}
exports.servers = servers;
// Servers read with PostmarkServer.get: looked at, never managed.
for (const [key, id] of Object.entries(config.getObject("reads") || {})) {
  exports["read_" + key] = PostmarkServer.get(key, String(id)).name;
}
`;

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let test: TestStack;

const setServers = (servers: Record<string, Record<string, unknown>>) =>
  test.stack.setConfig("servers", { value: JSON.stringify(servers) });
const setOptions = (options: Record<string, Record<string, unknown>>) =>
  test.stack.setConfig("options", { value: JSON.stringify(options) });
const apiCalls = async () => (await admin.requests()).map((r) => `${r.method} ${r.path.split("?")[0]}`);
const storedByName = async (name: string): Promise<StoredServer | undefined> =>
  (await admin.servers()).find((s) => s.Name === name);

/** Every secret the emulator holds, and the account token: none may appear in state in plaintext. */
async function expectNoPlaintextSecrets(): Promise<void> {
  const secrets = [accountToken];
  for (const s of await admin.servers()) secrets.push(...(s.ApiTokens as string[]), s.InboundAddress as string, s.InboundHash as string);
  await expectNotInState(test, secrets);
}

beforeAll(async () => {
  emulator = await startEmulator({ token: accountToken });
  admin = new EmulatorAdmin(emulator.url);
  test = await createTestStack({
    program,
    secretConfig: { "postmark:accountToken": accountToken },
    env: { POSTMARK_API_URL: emulator.url, POSTMARK_RETRY_BASE_DELAY_MS: "10" },
  });
  await setOptions({});
});
afterAll(async () => {
  await test?.cleanup();
  await emulator?.stop();
});

const billing = { name: "Billing", color: "Red", deliveryType: "Live", trackOpens: true };
const alerts = { name: "Alerts", color: "blue", deliveryType: "Sandbox", bounceHookUrl: "https://hooks.example.com/bounce" };

describe("PostmarkServer through pulumi up, preview, refresh and destroy", () => {
  it("up creates the servers with one POST each; outputs are secret where they must be", async () => {
    await setServers({ billing, alerts });
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ create: 3 });
    // One listing before the first create (to know which servers existed before this run), then one POST each.
    expect(await apiCalls()).toEqual(["GET /servers", "POST /servers", "POST /servers"]);
    const stored = await storedByName("Billing");
    expect(stored).toMatchObject({ Color: "red", DeliveryType: "Live", TrackOpens: true });
    expect(up.outputs.servers.value.billing).toMatchObject({ id: stored!.ID, apiTokens: stored!.ApiTokens });
    // The stack's own outputs keep the secret parts encrypted; the rest stays readable.
    const stackOutputs = JSON.parse(await test.exportState()).deployment.resources[0].outputs.servers.billing;
    expect(stackOutputs.id).toBe(stored!.ID);
    for (const name of ["apiTokens", "inboundAddress", "inboundHash"]) expect(stackOutputs[name]).toHaveProperty("ciphertext");
    await expectNoPlaintextSecrets();
  });

  it("the three secret outputs are stored encrypted in the resource's state", async () => {
    const state = JSON.parse(await test.exportState()).deployment;
    const resource = state.resources.find((r: { urn: string }) => r.urn.endsWith("PostmarkServer::billing"));
    for (const name of ["apiTokens", "inboundAddress", "inboundHash"]) expect(resource.outputs[name]).toHaveProperty("ciphertext");
    // The serialized provider is small: it only requires the installed package (about 2.7 kB).
    expect(resource.inputs.__provider.length).toBeLessThan(3000);
    expect(resource.inputs.__provider).toContain('require(runtimeModule)');
  });

  it("a second preview reports no changes and makes no API call", async () => {
    await admin.clearRequests();
    const preview = await test.stack.preview();
    expect(preview.changeSummary).toEqual({ same: 3 });
    expect(await admin.requests()).toEqual([]);
  });

  it("a color written in another case changes nothing", async () => {
    await setServers({ billing: { ...billing, color: "RED" }, alerts });
    await admin.clearRequests();
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 3 });
    expect(await admin.requests()).toEqual([]);
  });

  it("editing a field updates in place with one PUT of that field only", async () => {
    await setServers({ billing: { ...billing, trackOpens: false }, alerts });
    await admin.clearRequests();
    const preview = await test.stack.preview();
    expect(preview.changeSummary).toEqual({ same: 2, update: 1 });
    expect(preview.stdout).toMatch(/billing.*\[diff: ~trackOpens\]/);
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 2, update: 1 });
    expect(await apiCalls()).toEqual([`PUT /servers/${(await storedByName("Billing"))!.ID}`]);
    expect(await storedByName("Billing")).toMatchObject({ TrackOpens: false });
    await expectNoPlaintextSecrets();
  });

  it("a change made by hand is reported by refresh, and the next up puts it back", async () => {
    const stored = (await storedByName("Billing"))!;
    await admin.editByHand(stored.ID, { Color: "green", TrackOpens: true, InboundHookUrl: "https://by-hand.example.com" });
    const refresh = await test.stack.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ update: 1 });
    const preview = await test.stack.preview();
    expect(preview.changeSummary).toEqual({ same: 2, update: 1 });
    await admin.clearRequests();
    await test.stack.up();
    expect(await apiCalls()).toEqual([`PUT /servers/${stored.ID}`]);
    // Declared fields are restored; the hook the program never declared is left alone.
    expect(await storedByName("Billing")).toMatchObject({ Color: "red", TrackOpens: false, InboundHookUrl: "https://by-hand.example.com" });
    expect((await test.stack.preview()).changeSummary).toEqual({ same: 3 });
    await expectNoPlaintextSecrets();
  });

  it("changing deliveryType replaces the server, deleting the old one first since the name stays", async () => {
    const old = (await storedByName("Billing"))!;
    await setServers({ billing: { ...billing, trackOpens: false, deliveryType: "Sandbox" }, alerts });
    const preview = await test.stack.preview();
    expect(preview.changeSummary).toMatchObject({ replace: 1 });
    await admin.clearRequests();
    await test.stack.up();
    expect(await apiCalls()).toEqual([`DELETE /servers/${old.ID}`, "GET /servers", "POST /servers"]);
    const now = (await admin.servers()).filter((s) => s.Name === "Billing");
    expect(now).toHaveLength(1);
    expect(now[0]).toMatchObject({ DeliveryType: "Sandbox" });
    expect(now[0].ID).not.toBe(old.ID);
    await expectNoPlaintextSecrets();
  });

  it("a server deleted by hand is dropped by refresh, and the next up creates it again", async () => {
    const gone = (await storedByName("Alerts"))!;
    await admin.deleteByHand(gone.ID);
    const refresh = await test.stack.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ delete: 1 });
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ create: 1 });
    expect(await storedByName("Alerts")).toBeDefined();
  });

  it("adoptServerId brings a server made by hand under management without recreating it", async () => {
    const byHand = await admin.createByHand({ Name: "Legacy", Color: "grey", TrackOpens: false });
    await setServers({
      billing: { ...billing, trackOpens: false, deliveryType: "Sandbox" },
      alerts,
      legacy: { name: "Legacy", color: "Grey", trackOpens: true, adoptServerId: byHand.ID },
    });
    await admin.clearRequests();
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ create: 1 });
    expect(await apiCalls()).toEqual([`GET /servers/${byHand.ID}`, `PUT /servers/${byHand.ID}`]);
    expect(await admin.servers()).toHaveLength(3);
    expect((await test.stack.preview()).changeSummary).toEqual({ same: 4 });
    await expectNoPlaintextSecrets();
  });

  it("refresh with no change by hand shows no changes and keeps the secrets encrypted", async () => {
    const refresh = await test.stack.refresh();
    expect(refresh.summary.resourceChanges).toEqual({ same: 4 });
    await expectNoPlaintextSecrets();
  });

  it("a change that replaces an adopted server waits for adoptServerId to go, then makes a new server", async () => {
    const adopted = (await storedByName("Legacy"))!;
    const replacing = { name: "Legacy", color: "Grey", trackOpens: true, deliveryType: "Sandbox" };
    await setServers({ billing: { ...billing, trackOpens: false, deliveryType: "Sandbox" }, alerts, legacy: { ...replacing, adoptServerId: adopted.ID } });
    await admin.clearRequests();
    const text = await failureText(test.stack.preview());
    expect(text).toContain(`adoptServerId (${adopted.ID}) is still set, so the replacement would adopt the old server again`);
    expect(await apiCalls()).toEqual([]);
    await setServers({ billing: { ...billing, trackOpens: false, deliveryType: "Sandbox" }, alerts, legacy: replacing });
    await test.stack.up();
    expect(await apiCalls()).toEqual([`DELETE /servers/${adopted.ID}`, "GET /servers", "POST /servers"]);
    const now = (await storedByName("Legacy"))!;
    expect(now.ID).not.toBe(adopted.ID);
    expect(now).toMatchObject({ DeliveryType: "Sandbox", TrackOpens: true });
    expect((await test.stack.preview()).changeSummary).toEqual({ same: 4 });
  });

  it("PostmarkServer.get reads a server without managing it: dropping it never deletes the server", async () => {
    const outside = await admin.createByHand({ Name: "Outside" });
    await test.stack.setConfig("reads", { value: JSON.stringify({ outside: outside.ID }) });
    const up = await test.stack.up();
    expect(up.outputs.read_outside.value).toBe("Outside");
    await test.stack.removeConfig("reads");
    await admin.clearRequests();
    await test.stack.up();
    expect((await admin.requests()).filter((r) => r.method === "DELETE")).toEqual([]);
    await admin.deleteByHand(outside.ID);
  });

  describe("a same-named server that existed before is never taken over, whatever the faults", () => {
    let acme: StoredServer;
    const declared = { billing: { ...billing, trackOpens: false, deliveryType: "Sandbox" }, alerts };

    beforeAll(async () => {
      acme = await admin.createByHand({ Name: "Acme" }); // Postmark's defaults, as a fresh server has
      await setServers({ ...declared, acme: { name: "Acme" } });
    });
    afterAll(async () => {
      await setServers(declared);
      await admin.deleteByHand(acme.ID);
    });

    it.each([
      ["answered 500 without acting", ["500", "500", "500"]],
      ["whose answer is lost", ["lost-create"]],
    ])("a create %s fails with the adoption advice and takes nothing", async (_, createFaultQueue) => {
      await admin.settings({ createFaultQueue });
      const text = await failureText(test.stack.up()).finally(() => admin.settings({ createFaultQueue: [] }));
      expect(text).toContain(`A Postmark server named "Acme" already exists (ID ${acme.ID})`);
      expect(text).toContain(`adoptServerId: ${acme.ID}`);
      const state = JSON.parse(await test.exportState()).deployment;
      expect(state.resources.map((r: { id?: string }) => r.id)).not.toContain(String(acme.ID));
      expect((await admin.servers()).filter((s) => s.Name === "Acme")).toEqual([acme]);
    });
  });

  it("PostmarkServer.get of an ID that does not exist fails preview with a clear message", async () => {
    await test.stack.setConfig("reads", { value: JSON.stringify({ ghost: 987654321 }) });
    const text = await failureText(test.stack.preview());
    await test.stack.removeConfig("reads");
    expect(text).toContain("PostmarkServer.get: no Postmark server with ID 987654321 in this account.");
  });

  it("renaming a server to a name another server has says to choose another name, not to adopt", async () => {
    const alertsServer = (await storedByName("Alerts"))!;
    await setServers({ billing: { ...billing, trackOpens: false, deliveryType: "Sandbox", name: "alerts" }, alerts });
    const text = await failureText(test.stack.up());
    await setServers({ billing: { ...billing, trackOpens: false, deliveryType: "Sandbox" }, alerts });
    expect(text).toContain(`to "alerts": another server already has that name (ID ${alertsServer.ID})`);
    expect(text).toContain("Choose another name, or rename or delete that server first. Nothing was changed.");
    expect(text).not.toContain("adoptServerId");
    expect(await storedByName("Billing")).toBeDefined();
  });

  it("a refresh that Postmark keeps failing shows its answer and what to do, without stack frames", async () => {
    // Refresh runs with the provider configuration stored by the last up, so a failing Postmark is simulated.
    await admin.settings({ faults: "503:1" });
    const text = await failureText(test.stack.refresh()).finally(() => admin.settings({ faults: "" }));
    expect(text).toMatch(/Postmark read server \(\d+\) failed after 6 attempts: HTTP 503, ErrorCode 100/);
    expect(text).toContain("Postmark did not complete the request: run the command again (it is safe to repeat)");
    expectNoInternals(text);
  });

  it("bad input fails preview with the field named, and Postmark sees no request", async () => {
    await setServers({ billing: { ...billing, color: "Pink", inboundSpamThreshold: 7 }, alerts });
    await admin.clearRequests();
    const text = await failureText(test.stack.preview());
    expect(text).toContain('color is "Pink"; allowed values: Purple, Blue, Turquoise, Green, Red, Yellow, Grey, Orange');
    expect(text).toContain("inboundSpamThreshold is 7; allowed values: 0, 5, 10, 15, 20, 25, 30");
    expect(await admin.requests()).toEqual([]);
  });

  it("with delete disabled (604) destroy fails with the reason, and the state keeps the servers", async () => {
    await setServers({ billing: { ...billing, trackOpens: false, deliveryType: "Sandbox" }, alerts });
    await test.stack.up(); // legacy leaves the program and is deleted while delete still works
    await admin.settings({ deleteDisabled: true });
    const text = await failureText(test.stack.destroy());
    expect(text).toContain("ErrorCode 604");
    expect(text).toContain("retainOnDelete");
    const state = JSON.parse(await test.exportState()).deployment;
    const kept = state.resources.filter((r: { type: string }) => r.type.endsWith("PostmarkServer"));
    expect(kept.length).toBeGreaterThan(0);
    expect(await admin.servers()).toHaveLength(kept.length);
  });

  it("a refused delete prints Postmark's answer and what to do once per server, without stack frames", async () => {
    const text = await failureText(test.stack.destroy());
    expect(text).toContain("retainOnDelete");
    expectNoInternals(text);
    const diagnostics = text.slice(text.indexOf("Diagnostics:"), text.indexOf("Resources:"));
    for (const server of await admin.servers()) {
      expect(diagnostics.split(`Postmark refused to delete server ${server.ID} `).length - 1).toBe(1);
    }
  });

  it("retainOnDelete lets the stack go while the servers stay in Postmark", async () => {
    await setOptions({ billing: { retainOnDelete: true }, alerts: { retainOnDelete: true } });
    await test.stack.up();
    const destroy = await test.stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect((await admin.servers()).map((s) => s.Name).sort()).toEqual(["Alerts", "Billing"]);
    await admin.settings({ deleteDisabled: false });
    await expectNoPlaintextSecrets();
  });
});
