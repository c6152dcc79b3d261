/** The HTTP client's parallel safety, against the emulator: bounded requests in flight, shared rate-limit pauses. */
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { defaultClientSettings, PostmarkClient } from "../../provider/core/postmarkClient";
import { EmulatorAdmin, mostInFlight } from "../support/emulatorAdmin";

const token = "client-test-token-8e21";
let emulator: RunningEmulator;
let admin: EmulatorAdmin;

beforeAll(async () => {
  emulator = await startEmulator({ token, latencyMs: 30 });
  admin = new EmulatorAdmin(emulator.url);
});
afterAll(async () => emulator?.stop());

const client = (maxConcurrentRequests: number) =>
  new PostmarkClient({ ...defaultClientSettings, apiUrl: emulator.url, accountToken: token, retryBaseDelayMs: 1, maxConcurrentRequests });

describe("parallel safety", () => {
  beforeEach(async () => {
    await admin.reset();
    await admin.settings({ faults: "", faultQueue: [] });
  });

  it("keeps the requests in flight within maxConcurrentRequests", async () => {
    const server = await admin.createByHand({ Name: "Busy" });
    const c = client(3);
    await Promise.all(Array.from({ length: 12 }, () => c.getServer(String(server.ID))));
    expect(await admin.requests()).toHaveLength(12);
    expect(mostInFlight(await admin.requests())).toBe(3);
  });

  it("a 429 with Retry-After holds back every request that starts after it, not just its own retry", async () => {
    const server = await admin.createByHand({ Name: "Limited" });
    await admin.settings({ faultQueue: ["429"], retryAfterRate: 1, retryAfterSeconds: 1 });
    const c = client(2);
    await Promise.all(Array.from({ length: 6 }, () => c.getServer(String(server.ID))));
    const log = await admin.requests();
    const limited = log.find((r) => r.status === 429)!;
    const answeredAt = Date.parse(limited.time) + limited.durationMs;
    const startedAfter = log.filter((r) => Date.parse(r.time) > answeredAt);
    expect(startedAfter.length).toBeGreaterThanOrEqual(5); // the retry and the requests still waiting
    for (const r of startedAfter) expect(Date.parse(r.time) - answeredAt).toBeGreaterThanOrEqual(950);
  });
});
