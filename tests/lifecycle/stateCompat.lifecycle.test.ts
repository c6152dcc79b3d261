/**
 * Stacks made by earlier versions keep working after an upgrade. Each fixture is a real stack (file:// backend,
 * project, encrypted config) that version created against the emulator, whose objects are in emulator-state.json:
 * tests/fixtures/stack-0.1.0 (servers, holding 0.1.0's serialized provider) and
 * tests/fixtures/stack-serialized-configure (one resource of seven kinds, holding the serialized `configure` of
 * the builds before the provider text of core/dynamicProvider.ts). Refresh, update and delete run what they hold.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { EmulatorAdmin } from "../support/emulatorAdmin";
import { providerModuleText } from "../../provider/core/dynamicProvider";
import { createTestStack, TestStack } from "./pulumiHarness";

jest.setTimeout(300_000);

interface OpenFixture {
  admin: EmulatorAdmin;
  test: TestStack;
  apiCalls(): Promise<string[]>;
}

/** Opens a copy of tests/fixtures/<name> (its backend, project and emulator state) for the tests of one describe. */
function useFixture(name: string): OpenFixture {
  const fixture = path.join(__dirname, "..", "fixtures", name);
  const open = {} as OpenFixture;
  let emulator: RunningEmulator;
  let emulatorDir: string;
  beforeAll(async () => {
    emulatorDir = fs.mkdtempSync(path.join(os.tmpdir(), "compat-emulator-"));
    fs.copyFileSync(path.join(fixture, "emulator-state.json"), path.join(emulatorDir, "state.json"));
    emulator = await startEmulator({ token: "compat-account-token", stateFile: path.join(emulatorDir, "state.json") });
    open.admin = new EmulatorAdmin(emulator.url);
    open.apiCalls = async () => (await open.admin.requests()).map((r) => `${r.method} ${r.path.split("?")[0]}`);
    open.test = await createTestStack({
      projectDir: fixture,
      projectFiles: ["Pulumi.yaml", "Pulumi.compat.yaml", "package.json", "index.js"],
      existingBackend: path.join(fixture, "backend"),
      stackName: "compat",
      env: { POSTMARK_API_URL: emulator.url },
    });
  });
  afterAll(async () => {
    await open.test?.cleanup();
    await emulator?.stop();
    fs.rmSync(emulatorDir, { recursive: true, force: true });
  });
  return open;
}

describe("a stack made by 0.1.0, after upgrading the package", () => {
  const fixture = path.join(__dirname, "..", "fixtures", "stack-0.1.0");
  const compat = useFixture("stack-0.1.0");
  const apiCalls = () => compat.apiCalls();
  let admin: EmulatorAdmin;
  let test: TestStack;
  beforeAll(() => ({ admin, test } = compat));

  it("refresh reads each server once and finds no change", async () => {
    const refresh = await test.stack.refresh();
    expect(refresh.summary.resourceChanges).toEqual({ same: 4 });
    expect((await apiCalls()).sort()).toEqual(["GET /servers/1", "GET /servers/2", "GET /servers/3"]);
  });

  it("preview shows no diff and makes no API call", async () => {
    await admin.clearRequests();
    const preview = await test.stack.preview({ diff: true });
    expect(preview.changeSummary).toEqual({ same: 4 });
    expect(await apiCalls()).toEqual([]);
  });

  it("an edit updates in place with one PUT of that field, and nothing else changes", async () => {
    const servers = JSON.parse(fs.readFileSync(path.join(fixture, "Pulumi.compat.yaml"), "utf8").match(/lifecycle:servers: '(.*)'/)![1]);
    servers.billing.trackOpens = false;
    await test.stack.setConfig("servers", { value: JSON.stringify(servers) });
    await admin.clearRequests();
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 3, update: 1 });
    const billing = (await admin.servers()).find((s) => s.Name === "Billing")!;
    expect(await apiCalls()).toEqual([`PUT /servers/${billing.ID}`]);
    expect(billing.TrackOpens).toBe(false);
    expect((await test.stack.preview()).changeSummary).toEqual({ same: 4 });
  });

  it("destroy deletes the three servers", async () => {
    await test.stack.destroy();
    expect(await admin.servers()).toEqual([]);
  });
});

describe("a stack made by an earlier build whose state holds a serialized configure, after upgrading", () => {
  // tests/fixtures/stack-serialized-configure: made by main at 24efab1 (its index.js says what it declares). Each
  // resource's state holds that build's provider: Pulumi's closure serializer around a `configure` that calls
  // the runtime's operationMethods.
  const compat = useFixture("stack-serialized-configure");
  const stateOf = async () => JSON.parse(await compat.test.exportState()).deployment.resources as { type: string; inputs: { __provider?: string }; outputs: { __provider?: string } }[];

  it("holds the earlier provider text (what this describe is about)", async () => {
    const dynamic = (await stateOf()).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/postmark:"));
    expect(dynamic).toHaveLength(7);
    for (const resource of dynamic) expect(resource.outputs.__provider).toContain("operationMethods(kind, request.config)");
  });

  it("refresh reads each resource once (and the server's token once) and finds no change", async () => {
    const refresh = await compat.test.stack.refresh();
    expect(refresh.summary.resourceChanges).toEqual({ same: 8 });
    expect((await compat.apiCalls()).sort()).toEqual([
      "GET /domains/2",
      "GET /message-streams/newsletters",
      "GET /senders/1",
      "GET /servers/1",
      "GET /servers/1",
      "GET /templates/1",
      "GET /triggers/inboundrules",
      "GET /webhooks/1",
    ]);
  });

  it("preview shows no diff and makes no API call", async () => {
    await compat.admin.clearRequests();
    const preview = await compat.test.stack.preview({ diff: true });
    expect(preview.changeSummary).toEqual({ same: 8 });
    expect(await compat.apiCalls()).toEqual([]);
  });

  it("an edit updates in place with one PUT of that field, and the updated resource holds the new provider text", async () => {
    await compat.test.stack.setConfig("trackOpens", { value: "false" });
    await compat.admin.clearRequests();
    const up = await compat.test.stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 7, update: 1 });
    const [server] = await compat.admin.servers();
    expect(await compat.apiCalls()).toEqual([`PUT /servers/${server.ID}`]);
    expect(server.TrackOpens).toBe(false);
    const updated = (await stateOf()).find((r) => r.type.endsWith(":PostmarkServer"))!;
    expect(updated.outputs.__provider).toBe(providerModuleText("PostmarkServer"));
    expect((await compat.test.stack.preview()).changeSummary).toEqual({ same: 8 });
  });

  it("destroy deletes what it declared", async () => {
    await compat.admin.clearRequests();
    await compat.test.stack.destroy();
    expect(await compat.admin.servers()).toEqual([]);
    const deletes = (await compat.apiCalls()).filter((call) => !call.startsWith("GET "));
    // The stream is archived (as destroy does for streams) before its server goes.
    expect(deletes.sort()).toEqual([
      "DELETE /domains/2",
      "DELETE /senders/1",
      "DELETE /servers/1",
      "DELETE /templates/1",
      "DELETE /triggers/inboundrules/1",
      "DELETE /webhooks/1",
      "POST /message-streams/newsletters/archive",
    ]);
  });
});
