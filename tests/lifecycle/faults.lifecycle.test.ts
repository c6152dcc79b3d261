/**
 * 50 servers created, updated and destroyed through the real CLI while the emulator injects 429s (with
 * and without Retry-After), 500s, 503s, connection resets and lost create responses, with fixed seeds.
 * After each run Postmark holds exactly the declared servers (no twins, none missing), the state matches
 * them, and a following preview shows no changes.
 */
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { EmulatorAdmin, mostInFlight } from "../support/emulatorAdmin";
import { createTestStack, TestStack } from "./pulumiHarness";

jest.setTimeout(900_000);

const accountToken = "faults-account-token-0d4f";
const serverCount = 50;
const faults = "429:0.1,500:0.04,503:0.04,reset:0.04,lost-create:0.1";

const program = `
const pulumi = require("@pulumi/pulumi");
const { PostmarkServer } = require("pulumi-postmark");
const config = new pulumi.Config();
const count = config.requireNumber("count");
const trackOpens = config.requireBoolean("trackOpens");
for (let i = 1; i <= count; i++) {
  new PostmarkServer("server-" + i, { name: "Server " + String(i).padStart(2, "0"), color: "Green", trackOpens });
}
`;

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let test: TestStack;

beforeAll(async () => {
  emulator = await startEmulator({ token: accountToken, seed: 20261127, retryAfterRate: 0.5, retryAfterSeconds: 1 });
  admin = new EmulatorAdmin(emulator.url);
  test = await createTestStack({
    program,
    config: { count: String(serverCount), trackOpens: "false" },
    secretConfig: { "postmark:accountToken": accountToken },
    env: {
      POSTMARK_API_URL: emulator.url,
      POSTMARK_RETRY_BASE_DELAY_MS: "20",
      POSTMARK_MAX_ATTEMPTS: "8",
      POSTMARK_MAX_CONCURRENT_REQUESTS: "4",
    },
  });
});
afterAll(async () => {
  await test?.cleanup();
  await emulator?.stop();
});

/** Runs `pulumi up` until it succeeds (at most 3 times): a run whose retries ran out must fail clearly, and a re-run converge. */
async function upUntilConverged(): Promise<void> {
  for (let run = 1; ; run++) {
    try {
      await test.stack.up();
      return;
    } catch (e) {
      const text = String((e as Error).message);
      expect(text).toMatch(/Postmark \w+ server \(.+\) failed after \d+ attempts: (HTTP \d+|no answer)/);
      if (run === 3) throw e;
    }
  }
}

/** Postmark holds exactly the declared servers, once each, and the state holds exactly those IDs. */
async function expectPostmarkMatchesState(expected: { trackOpens: boolean } | "none"): Promise<void> {
  const servers = await admin.servers();
  const state = JSON.parse(await test.exportState()).deployment;
  const inState = (state.resources ?? []).filter((r: { type: string }) => r.type.endsWith("PostmarkServer"));
  if (expected === "none") {
    expect(servers).toEqual([]);
    expect(inState).toEqual([]);
    return;
  }
  const names = servers.map((s) => s.Name).sort();
  expect(names).toEqual(Array.from({ length: serverCount }, (_, i) => `Server ${String(i + 1).padStart(2, "0")}`));
  expect(servers.every((s) => s.TrackOpens === expected.trackOpens)).toBe(true);
  expect(inState.map((r: { id: string }) => Number(r.id)).sort((a: number, b: number) => a - b)).toEqual(
    servers.map((s) => s.ID).sort((a, b) => a - b),
  );
}

describe(`${serverCount} servers under injected faults (${faults})`, () => {
  it("up creates exactly the declared servers: no twin, none missing, none untracked", async () => {
    await admin.settings({ faults });
    await upUntilConverged();
    await admin.settings({ faults: "" });
    const log = await admin.requests();
    // The faults really happened, lost creates included.
    for (const fault of ["429", "500", "503", "reset", "lost-create"]) expect(log.some((r) => r.fault === fault)).toBe(true);
    await expectPostmarkMatchesState({ trackOpens: false });
    expect((await test.stack.preview()).changeSummary).toEqual({ same: serverCount + 1 });
  });

  it("up updates every server through the faults, then preview shows no changes", async () => {
    await test.stack.setConfig("trackOpens", { value: "true" });
    await admin.clearRequests();
    await admin.settings({ faults });
    await upUntilConverged();
    await admin.settings({ faults: "" });
    await expectPostmarkMatchesState({ trackOpens: true });
    expect((await test.stack.preview()).changeSummary).toEqual({ same: serverCount + 1 });
  });

  it("requests in flight never exceed the configured limit", async () => {
    expect(mostInFlight(await admin.requests())).toBeLessThanOrEqual(4);
  });

  it("when retries run out the run fails with a clear message, and a re-run converges", async () => {
    await test.stack.setConfig("trackOpens", { value: "false" });
    await admin.settings({ faults: "503:1" });
    const failed = await test.stack.up().then(
      () => "succeeded",
      (e: Error) => e.message,
    );
    expect(failed).toMatch(/Postmark edit server \(\d+\) failed after 8 attempts: HTTP 503, ErrorCode 100/);
    await admin.settings({ faults: "" });
    await upUntilConverged();
    await expectPostmarkMatchesState({ trackOpens: false });
    expect((await test.stack.preview()).changeSummary).toEqual({ same: serverCount + 1 });
  });

  it("destroy removes every server through the faults", async () => {
    await admin.settings({ faults });
    for (let run = 1; run <= 3; run++) {
      const ok = await test.stack.destroy().then(
        () => true,
        () => false,
      );
      if (ok) break;
    }
    await admin.settings({ faults: "" });
    await expectPostmarkMatchesState("none");
  });
});
