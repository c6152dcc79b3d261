/** Seeded fault injection, latency and the request log. */
import { startEmulator } from "../../emulator/server";
import { drawFault, parseFaults, seededRandom } from "../../emulator/faults";
import { droppedConnection, postmarkError, request, token, useEmulator } from "./emulatorHarness";

/** The statuses of `n` sequential GETs: the visible trace of the fault sequence. */
async function statuses(url: string, n: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < n; i++) seen.push((await request(url, "/servers?count=10&offset=0", { headers: { "X-Postmark-Account-Token": token } })).status);
  return seen;
}

describe("fault rates", () => {
  test("a fault list parses into rates per fault", () => {
    expect(parseFaults("429:0.2, 500:0.05,503:0.05,reset:0.05,lost-create:0.1")).toEqual({ "429": 0.2, "500": 0.05, "503": 0.05, reset: 0.05, "lost-create": 0.1 });
    expect(parseFaults("")).toEqual({});
  });

  test.each([
    ["404:0.1", /unknown fault "404"/],
    ["429:1.5", /"429".*from 0 to 1/],
    ["429:abc", /"429".*from 0 to 1/],
    ["429", /not NAME:RATE/],
    ["429:0.6,500:0.6", /more than 1/],
  ])("a bad fault list %j is refused with a reason", (spec, reason) => {
    expect(() => parseFaults(spec)).toThrow(reason);
  });

  test("one draw per request: lost-create takes its share of every draw but strikes only a create", () => {
    const draws = (isCreate: boolean) => {
      const random = seededRandom(9);
      return Array.from({ length: 200 }, () => drawFault({ "lost-create": 0.5 }, random, isCreate));
    };
    const creates = draws(true);
    expect(creates.filter((f) => f === "lost-create").length).toBeGreaterThan(60);
    expect(draws(false).every((f) => f === null)).toBe(true);
  });
});

describe("fault injection", () => {
  const mixed = { faults: "429:0.25,500:0.25,503:0.25", retryAfterRate: 0.5 };

  test("the same seed replays the same sequence of faults, and another seed gives another", async () => {
    const runs: number[][] = [];
    for (const seed of [42, 42, 43]) {
      const emulator = await startEmulator({ token, seed, ...mixed });
      runs.push(await statuses(emulator.url, 40));
      await emulator.stop();
    }
    expect(new Set(runs[0])).toEqual(new Set([200, 429, 500, 503]));
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).not.toEqual(runs[0]);
  });

  describe("on a running emulator", () => {
    const pm = useEmulator();

    test("a new seed through the settings API restarts the sequence", async () => {
      await pm.settings({ ...mixed, seed: 7 });
      const first = await statuses(pm.emulator.url, 20);
      await pm.settings({ seed: 7 });
      expect(await statuses(pm.emulator.url, 20)).toEqual(first);
    });

    test("a fault queue strikes the next requests in order, one each, before any random draw", async () => {
      await pm.settings({ faults: "", faultQueue: ["503", "none", "lost-create", "429"] });
      expect((await pm.call("GET", "/servers?count=1&offset=0")).status).toBe(503);
      expect((await pm.call("GET", "/servers?count=1&offset=0")).status).toBe(200);
      // lost-create in the queue spares a request that is not a create
      expect((await pm.call("GET", "/servers?count=1&offset=0")).status).toBe(200);
      expect((await pm.call("GET", "/servers?count=1&offset=0")).status).toBe(429);
      expect((await pm.call("GET", "/servers?count=1&offset=0")).status).toBe(200);
      const log = (await pm.call("GET", "/__emulator/requests")).json.slice(-5);
      expect(log.map((e: { fault: string | null }) => e.fault)).toEqual(["503", null, null, "429", null]);
    });

    test("a create fault queue strikes only the next creates, whatever requests come first", async () => {
      await pm.settings({ faults: "", createFaultQueue: ["500", "lost-create"] });
      expect((await pm.call("GET", "/servers?count=1&offset=0")).status).toBe(200);
      expect((await pm.call("POST", "/servers", { Name: "Struck by 500" })).status).toBe(500);
      expect((await pm.call("GET", "/servers?count=1&offset=0")).status).toBe(200);
      await expect(pm.call("POST", "/servers", { Name: "Made, answer lost" })).rejects.toThrow();
      expect((await pm.call("POST", "/servers", { Name: "Answered" })).status).toBe(200);
      const names = (await pm.call("GET", "/__emulator/servers")).json.map((s: { Name: string }) => s.Name);
      expect(names).toEqual(expect.arrayContaining(["Made, answer lost", "Answered"]));
      expect(names).not.toContain("Struck by 500");
    });

    test("an unknown name in the fault queue is refused, naming the allowed ones", async () => {
      const res = await pm.call("PUT", "/__emulator/settings", { faultQueue: ["boom"] });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.json)).toContain("faultQueue must be a list of fault names (429, 500, 503, reset, lost-create)");
    });

    test("reset destroys the connection without creating the server", async () => {
      await pm.settings({ faults: "reset:1" });
      await expect(pm.call("POST", "/servers", { Name: "Never" })).rejects.toThrow(droppedConnection);
      expect(await pm.stored()).toEqual([]);
      const [entry] = (await pm.call("GET", "/__emulator/requests")).json;
      expect(entry).toMatchObject({ method: "POST", path: "/servers", status: 0, fault: "reset" });
    });

    test("lost-create creates the server, then destroys the connection before answering", async () => {
      await pm.settings({ faults: "lost-create:1" });
      await expect(pm.call("POST", "/servers", { Name: "Ghost" })).rejects.toThrow(droppedConnection);
      expect((await pm.stored()).map((s) => s.Name)).toEqual(["Ghost"]);
      const [entry] = (await pm.call("GET", "/__emulator/requests")).json;
      expect(entry).toMatchObject({ method: "POST", path: "/servers", status: 0, fault: "lost-create" });
    });

    test("lost-create never strikes a request that is not a create", async () => {
      const server = await pm.create({ Name: "Present" });
      await pm.settings({ faults: "lost-create:1" });
      expect((await pm.call("GET", `/servers/${server.ID}`)).status).toBe(200);
      expect((await pm.call("PUT", `/servers/${server.ID}`, { Color: "Blue" })).status).toBe(200);
      expect((await pm.call("GET", "/servers?count=1&offset=0")).status).toBe(200);
    });

    test("429 carries Retry-After with the configured seconds when every 429 is set to carry it", async () => {
      await pm.settings({ faults: "429:1", retryAfterRate: 1, retryAfterSeconds: 3 });
      const res = await pm.call("GET", "/servers?count=10&offset=0");
      expect(res.status).toBe(429);
      expect(res.headers["retry-after"]).toBe("3");
      expect(res.json).toEqual(postmarkError(429, /Rate limit exceeded/));
    });

    test("429 has no Retry-After when none is set to carry it", async () => {
      await pm.settings({ faults: "429:1", retryAfterRate: 0 });
      const res = await pm.call("GET", "/servers?count=10&offset=0");
      expect(res.status).toBe(429);
      expect(res.headers["retry-after"]).toBeUndefined();
      expect(res.json).toEqual(postmarkError(429, /Rate limit exceeded/));
    });

    test("with the default share, some 429s carry Retry-After and some do not", async () => {
      await pm.settings({ faults: "429:1" });
      const headers = [];
      for (let i = 0; i < 20; i++) headers.push((await pm.call("GET", "/servers?count=10&offset=0")).headers["retry-after"]);
      expect(headers).toContain("1");
      expect(headers).toContain(undefined);
    });

    test("an injected 429 comes before processing: a create is not stored", async () => {
      await pm.settings({ faults: "429:1" });
      expect((await pm.call("POST", "/servers", { Name: "Limited" })).status).toBe(429);
      expect(await pm.stored()).toEqual([]);
    });

    test("an injected fault comes even before authentication", async () => {
      await pm.settings({ faults: "503:1" });
      const res = await pm.call("GET", "/servers/1", undefined, { "X-Postmark-Account-Token": undefined });
      expect(res.status).toBe(503);
    });

    test("500 answers a Postmark-side error and 503 answers ErrorCode 100 maintenance", async () => {
      await pm.settings({ faults: "500:1" });
      const error = await pm.call("POST", "/servers", { Name: "Broken" });
      expect(error.status).toBe(500);
      expect(error.json).toEqual(postmarkError(0, /Internal server error/));
      await pm.settings({ faults: "503:1" });
      const outage = await pm.call("POST", "/servers", { Name: "Broken" });
      expect(outage.status).toBe(503);
      expect(outage.json).toEqual(postmarkError(100, /maintenance/));
      expect(await pm.stored()).toEqual([]);
    });

    test("faults and latency never touch the admin API", async () => {
      await pm.settings({ faults: "reset:1", latencyMs: 300 });
      const started = Date.now();
      const res = await pm.call("GET", "/__emulator/servers");
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(250);
    });

    test("latency is added to every Servers API request, faulted or not", async () => {
      await pm.settings({ latencyMs: 200 });
      for (const faults of ["", "429:1"]) {
        await pm.settings({ faults });
        const started = Date.now();
        await pm.call("GET", "/servers?count=10&offset=0");
        expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      }
      const log = (await pm.call("GET", "/__emulator/requests")).json;
      expect(log.map((e: { durationMs: number }) => e.durationMs >= 190)).toEqual([true, true]);
    });
  });
});

describe("request log", () => {
  const pm = useEmulator();

  test("every Servers API request is logged with method, path and query, status, fault, time and duration, never the token", async () => {
    await pm.create({ Name: "Logged" });
    await pm.call("GET", "/servers?count=5&offset=0&name=Log");
    await pm.call("GET", "/servers/99", undefined, { "X-Postmark-Account-Token": "wrong-token" });
    const res = await pm.call("GET", "/__emulator/requests");
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { method: "POST", path: "/servers", status: 200, fault: null, time: expect.any(String), durationMs: expect.any(Number) },
      { method: "GET", path: "/servers?count=5&offset=0&name=Log", status: 200, fault: null, time: expect.any(String), durationMs: expect.any(Number) },
      { method: "GET", path: "/servers/99", status: 401, fault: null, time: expect.any(String), durationMs: expect.any(Number) },
    ]);
    expect(new Date(res.json[0].time).toISOString()).toBe(res.json[0].time);
    expect(res.text).not.toContain(token);
    expect(res.text).not.toContain("wrong-token");
  });

  test("admin requests are not logged, and DELETE /__emulator/requests clears the log", async () => {
    await pm.call("GET", "/__emulator/servers");
    await pm.call("GET", "/servers/1");
    expect((await pm.call("GET", "/__emulator/requests")).json).toHaveLength(1);
    expect((await pm.call("DELETE", "/__emulator/requests")).status).toBe(200);
    expect((await pm.call("GET", "/__emulator/requests")).json).toEqual([]);
  });
});
