/**
 * Stacks made by pulumi-postmark 0.1.0 keep working after an upgrade: tests/fixtures/stack-0.1.0 is a real
 * stack (file:// backend, project, encrypted config) that 0.1.0 created against the emulator, whose servers
 * are in emulator-state.json. Its state holds 0.1.0's serialized provider, which refresh and delete run.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { EmulatorAdmin } from "../support/emulatorAdmin";
import { createTestStack, TestStack } from "./pulumiHarness";

jest.setTimeout(300_000);

const fixture = path.join(__dirname, "..", "fixtures", "stack-0.1.0");
let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let test: TestStack;
let emulatorDir: string;

const apiCalls = async () => (await admin.requests()).map((r) => `${r.method} ${r.path.split("?")[0]}`);

beforeAll(async () => {
  emulatorDir = fs.mkdtempSync(path.join(os.tmpdir(), "compat-emulator-"));
  fs.copyFileSync(path.join(fixture, "emulator-state.json"), path.join(emulatorDir, "state.json"));
  emulator = await startEmulator({ token: "compat-account-token", stateFile: path.join(emulatorDir, "state.json") });
  admin = new EmulatorAdmin(emulator.url);
  test = await createTestStack({
    projectDir: fixture,
    projectFiles: ["Pulumi.yaml", "Pulumi.compat.yaml", "package.json", "index.js"],
    existingBackend: path.join(fixture, "backend"),
    stackName: "compat",
    env: { POSTMARK_API_URL: emulator.url },
  });
});
afterAll(async () => {
  await test?.cleanup();
  await emulator?.stop();
  fs.rmSync(emulatorDir, { recursive: true, force: true });
});

describe("a stack made by 0.1.0, after upgrading the package", () => {
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
