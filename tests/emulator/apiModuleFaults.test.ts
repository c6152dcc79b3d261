/** Faults, latency, the fault queue and the request log apply to every API module, not only the Servers API. */
import { droppedConnection, postmarkError, useEmulator } from "./emulatorHarness";

describe("faults on the Message Streams and Webhooks APIs", () => {
  const pm = useEmulator();
  let serverId: number;
  let serverToken: string;
  const call = (method: string, path: string, body?: unknown) => pm.serverCall(serverToken, method, path, body);
  const log = async () => (await pm.call("GET", "/__emulator/requests")).json as { method: string; path: string; status: number; fault: string | null }[];

  beforeEach(async () => {
    ({ id: serverId, token: serverToken } = await pm.server("Faulty"));
    await pm.call("DELETE", "/__emulator/requests");
  });

  test("lost-create on POST /message-streams creates the stream, then drops the connection unanswered", async () => {
    await pm.settings({ faults: "lost-create:1" });
    await expect(call("POST", "/message-streams", { ID: "ghost", Name: "Ghost", MessageStreamType: "Transactional" })).rejects.toThrow(droppedConnection);
    expect((await pm.admin().streams(serverId)).map((s) => s.ID)).toContain("ghost");
    expect(await log()).toEqual([expect.objectContaining({ method: "POST", path: "/message-streams", status: 0, fault: "lost-create" })]);
  });

  test("lost-create on POST /webhooks creates the webhook, then drops the connection unanswered", async () => {
    await pm.settings({ faults: "lost-create:1" });
    await expect(call("POST", "/webhooks", { Url: "https://example.com/ghost" })).rejects.toThrow(droppedConnection);
    expect((await pm.admin().webhooks(serverId)).map((w) => w.Url)).toEqual(["https://example.com/ghost"]);
  });

  test("lost-create never strikes a request that is not a create: edits, archive, unarchive, reads, deletes", async () => {
    const hook = (await call("POST", "/webhooks", { Url: "https://example.com" })).json;
    await pm.settings({ faults: "lost-create:1" });
    const requests: [string, string, unknown?][] = [
      ["GET", "/message-streams"],
      ["GET", "/message-streams/outbound"],
      ["PATCH", "/message-streams/outbound", { Name: "Renamed" }],
      ["POST", "/message-streams/broadcast/archive", {}],
      ["POST", "/message-streams/broadcast/unarchive", {}],
      ["GET", "/webhooks"],
      ["GET", `/webhooks/${hook.ID}`],
      ["PUT", `/webhooks/${hook.ID}`, { Url: "https://example.com/2" }],
      ["DELETE", `/webhooks/${hook.ID}`],
    ];
    for (const [method, path, body] of requests) expect([method, path, (await call(method, path, body)).status]).toEqual([method, path, 200]);
  });

  test("reset drops a create before it is processed: nothing is created", async () => {
    await pm.settings({ faults: "reset:1" });
    await expect(call("POST", "/webhooks", { Url: "https://example.com" })).rejects.toThrow(droppedConnection);
    await expect(call("POST", "/message-streams", { ID: "never", Name: "Never", MessageStreamType: "Transactional" })).rejects.toThrow(droppedConnection);
    await pm.settings({ faults: "" });
    expect(await pm.admin().webhooks()).toEqual([]);
    expect((await call("GET", "/message-streams/never")).json.ErrorCode).toBe(1226);
  });

  test("429, 500 and 503 answer server-level routes before authentication, and nothing is created", async () => {
    for (const [fault, status, errorCode] of [
      ["429", 429, 429],
      ["500", 500, 0],
      ["503", 503, 100],
    ] as const) {
      await pm.settings({ faults: `${fault}:1` });
      const res = await pm.call("POST", "/webhooks", { Url: "https://example.com" }, { "X-Postmark-Account-Token": undefined });
      expect(res.status).toBe(status);
      expect(res.json).toEqual(postmarkError(errorCode));
    }
    await pm.settings({ faults: "" });
    expect(await pm.admin().webhooks()).toEqual([]);
  });

  test("the fault queue strikes the new routes in order", async () => {
    await pm.settings({ faultQueue: ["503", "none", "lost-create", "429"] });
    expect((await call("GET", "/webhooks")).status).toBe(503);
    expect((await call("GET", "/message-streams")).status).toBe(200);
    // lost-create in the queue spares a request that is not a create
    expect((await call("PATCH", "/message-streams/outbound", { Name: "Spared" })).status).toBe(200);
    expect((await call("GET", "/webhooks")).status).toBe(429);
    expect((await log()).map((e) => e.fault)).toEqual(["503", null, null, "429"]);
  });

  test("latency is added to server-level requests", async () => {
    await pm.settings({ latencyMs: 200 });
    const started = Date.now();
    await call("GET", "/message-streams");
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  test("answerDelayMs: a write is done, and seen by other requests, before it is answered; reads are answered at once", async () => {
    await pm.settings({ answerDelayMs: 400 });
    const started = Date.now();
    const creating = call("POST", "/webhooks", { Url: "https://example.com/slow-answer" });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await call("GET", "/webhooks")).json.Webhooks.map((w: { Url: string }) => w.Url)).toEqual(["https://example.com/slow-answer"]);
    expect(Date.now() - started).toBeLessThan(390);
    expect((await creating).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    await pm.settings({ answerDelayMs: 0 });
  });

  test("every server-level request is logged with its path and query, status and fault, never the token", async () => {
    await call("GET", "/message-streams?MessageStreamType=Inbound");
    await call("POST", "/webhooks", { Url: "https://example.com" });
    await call("GET", "/webhooks/999");
    await pm.call("GET", "/webhooks");
    const res = await pm.call("GET", "/__emulator/requests");
    expect(res.json).toEqual([
      expect.objectContaining({ method: "GET", path: "/message-streams?MessageStreamType=Inbound", status: 200, fault: null }),
      expect.objectContaining({ method: "POST", path: "/webhooks", status: 200, fault: null }),
      expect.objectContaining({ method: "GET", path: "/webhooks/999", status: 422, fault: null }),
      expect.objectContaining({ method: "GET", path: "/webhooks", status: 401, fault: null }),
    ]);
    expect(res.text).not.toContain(serverToken);
  });
});
