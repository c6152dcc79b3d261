/** The admin API's hand edits of message streams and webhooks, and the Message Streams API's own settings. */
import { useEmulator } from "./emulatorHarness";

/** Admin calls need none of Postmark's headers. */
const bare = { Accept: undefined, "Content-Type": undefined, "X-Postmark-Account-Token": undefined };

describe("admin API for streams and webhooks", () => {
  const pm = useEmulator();
  let serverId: number;
  let serverToken: string;
  const admin = (method: string, path: string, body?: unknown) => pm.call(method, `/__emulator${path}`, body, bare);
  const api = (method: string, path: string, body?: unknown) => pm.serverCall(serverToken, method, path, body);

  beforeEach(async () => {
    ({ id: serverId, token: serverToken } = await pm.server("Admin"));
    await pm.call("DELETE", "/__emulator/requests");
  });

  describe("streams", () => {
    test("GET lists a server's streams, archived ones included; a missing server answers 404", async () => {
      await api("POST", "/message-streams", { ID: "old", Name: "Old", MessageStreamType: "Transactional" });
      await api("POST", "/message-streams/old/archive", {});
      const res = await admin("GET", `/servers/${serverId}/message-streams`);
      expect(res.status).toBe(200);
      expect(res.json.map((s: { ID: string }) => s.ID)).toEqual(["outbound", "inbound", "broadcast", "old"]);
      expect((await admin("GET", "/servers/99/message-streams")).status).toBe(404);
    });

    test("POST creates a stream by hand, past the limits and ID rules", async () => {
      for (let i = 0; i < 7; i++) await admin("POST", `/servers/${serverId}/message-streams`, { ID: `s${i}`, Name: "S", MessageStreamType: "Transactional" });
      const res = await admin("POST", `/servers/${serverId}/message-streams`, { ID: "PM-Odd", Name: "Odd", MessageStreamType: "Inbound" });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ ID: "PM-Odd", ServerID: serverId, MessageStreamType: "Inbound", ArchivedAt: null });
      expect((await api("GET", "/message-streams/PM-Odd")).json).toEqual(res.json);
    });

    test("POST without ID, Name and MessageStreamType, or with a taken ID, answers 400", async () => {
      expect((await admin("POST", `/servers/${serverId}/message-streams`, { ID: "x" })).status).toBe(400);
      expect((await admin("POST", `/servers/${serverId}/message-streams`, { ID: "outbound", Name: "x", MessageStreamType: "Transactional" })).status).toBe(400);
    });

    test("PATCH edits by hand, bypassing validation, and the API returns the drift", async () => {
      const res = await admin("PATCH", `/servers/${serverId}/message-streams/outbound`, { Name: "<Drifted>", SubscriptionManagementConfiguration: { UnsubscribeHandlingType: "Custom" } });
      expect(res.status).toBe(200);
      expect((await api("GET", "/message-streams/outbound")).json).toEqual(res.json);
      expect(res.json).toMatchObject({ Name: "<Drifted>", UpdatedAt: null });
    });

    test("PATCH of the ID or ServerID answers 400; of a missing stream 404", async () => {
      expect((await admin("PATCH", `/servers/${serverId}/message-streams/outbound`, { ID: "other" })).status).toBe(400);
      expect((await admin("PATCH", `/servers/${serverId}/message-streams/outbound`, { ServerID: 5 })).status).toBe(400);
      expect((await admin("PATCH", `/servers/${serverId}/message-streams/none`, { Name: "x" })).status).toBe(404);
    });

    test("archive by hand works even on outbound, which the API refuses", async () => {
      const res = await admin("POST", `/servers/${serverId}/message-streams/outbound/archive`);
      expect(res.status).toBe(200);
      expect(res.json.ArchivedAt).toEqual(expect.any(String));
      expect((await api("GET", "/message-streams/outbound")).json.ArchivedAt).toBe(res.json.ArchivedAt);
    });

    test("DELETE purges a stream; outbound and inbound are permanent (400)", async () => {
      expect((await admin("DELETE", `/servers/${serverId}/message-streams/broadcast`)).status).toBe(200);
      expect((await api("GET", "/message-streams/broadcast")).json.ErrorCode).toBe(1226);
      expect((await admin("DELETE", `/servers/${serverId}/message-streams/outbound`)).status).toBe(400);
      expect((await admin("DELETE", `/servers/${serverId}/message-streams/inbound`)).status).toBe(400);
    });
  });

  describe("webhooks", () => {
    test("POST creates a webhook by hand with an ID, defaults and no validation; GET lists the stored records", async () => {
      const res = await admin("POST", `/servers/${serverId}/webhooks`, { Url: "not even a url", MessageStream: "inbound", Triggers: { Bounce: { Enabled: true } } });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ ID: expect.any(Number), ServerID: serverId, Url: "not even a url", MessageStream: "inbound" });
      expect(res.json.Triggers.Bounce).toEqual({ Enabled: true, IncludeContent: false });
      expect((await admin("GET", "/webhooks")).json).toEqual([res.json]);
      expect((await admin("GET", `/webhooks?serverId=${serverId + 1}`)).json).toEqual([]);
      const { ServerID, ...asPostmark } = res.json;
      expect(ServerID).toBe(serverId);
      expect((await api("GET", `/webhooks/${res.json.ID}`)).json).toEqual(asPostmark);
    });

    test("POST for a missing server answers 404; with an ID answers 400", async () => {
      expect((await admin("POST", "/servers/99/webhooks", { Url: "https://example.com" })).status).toBe(404);
      expect((await admin("POST", `/servers/${serverId}/webhooks`, { ID: 3 })).status).toBe(400);
    });

    test("PATCH edits by hand and the API returns the drift; DELETE removes; a missing webhook answers 404", async () => {
      const hook = (await api("POST", "/webhooks", { Url: "https://example.com" })).json;
      const edited = await admin("PATCH", `/webhooks/${hook.ID}`, { Url: "http://10.0.0.1/drift" });
      expect(edited.json).toMatchObject({ ID: hook.ID, ServerID: serverId, Url: "http://10.0.0.1/drift" });
      expect((await api("GET", `/webhooks/${hook.ID}`)).json.Url).toBe("http://10.0.0.1/drift");
      expect((await admin("PATCH", `/webhooks/${hook.ID}`, { ServerID: 2 })).status).toBe(400);
      expect((await admin("DELETE", `/webhooks/${hook.ID}`)).status).toBe(200);
      expect((await api("GET", `/webhooks/${hook.ID}`)).json.ErrorCode).toBe(1352);
      expect((await admin("DELETE", `/webhooks/${hook.ID}`)).status).toBe(404);
      expect((await admin("PATCH", `/webhooks/${hook.ID}`, { Url: "x" })).status).toBe(404);
    });
  });

  describe("the Message Streams API's settings", () => {
    test("GET shows them, PUT changes them", async () => {
      expect((await admin("GET", "/settings/message-streams")).json).toEqual({ customUnsubscribeHandling: false, archiveUnavailable: false });
      const res = await admin("PUT", "/settings/message-streams", { customUnsubscribeHandling: true });
      expect(res.json).toEqual({ customUnsubscribeHandling: true, archiveUnavailable: false });
    });

    test.each([
      [{ customUnsubscribeHandling: "yes" }, /customUnsubscribeHandling must be true or false/],
      [{ archiveUnavailable: true, nonsense: 1 }, /unknown setting nonsense/],
    ])("PUT %j answers 400 and changes nothing", async (body, message) => {
      const res = await admin("PUT", "/settings/message-streams", body);
      expect(res.status).toBe(400);
      expect(res.json.Message).toMatch(message);
      expect((await admin("GET", "/settings/message-streams")).json).toEqual({ customUnsubscribeHandling: false, archiveUnavailable: false });
    });

    test("each emulator has its own settings", async () => {
      await admin("PUT", "/settings/message-streams", { archiveUnavailable: true });
      const { startEmulator } = await import("../../emulator/server");
      const other = await startEmulator();
      try {
        expect(await (await fetch(`${other.url}/__emulator/settings/message-streams`)).json()).toEqual({ customUnsubscribeHandling: false, archiveUnavailable: false });
      } finally {
        await other.stop();
      }
    });
  });

  test("the EmulatorAdmin helpers that lifecycle tests use reach these routes", async () => {
    const admin = pm.admin();
    const stream = await admin.createStreamByHand(serverId, { ID: "by-hand", Name: "By hand", MessageStreamType: "Transactional" });
    expect(stream).toMatchObject({ ID: "by-hand", ServerID: serverId });
    expect((await admin.editStreamByHand(serverId, "by-hand", { Name: "Edited" })).Name).toBe("Edited");
    expect((await admin.archiveStreamByHand(serverId, "by-hand")).ArchivedAt).toEqual(expect.any(String));
    const hook = await admin.createWebhookByHand(serverId, { Url: "https://example.com", MessageStream: "by-hand" });
    expect((await admin.editWebhookByHand(hook.ID, { Url: "https://example.com/2" })).Url).toBe("https://example.com/2");
    expect((await admin.webhooks(serverId)).map((w) => w.ID)).toEqual([hook.ID]);
    await admin.deleteWebhookByHand(hook.ID);
    await admin.purgeStreamByHand(serverId, "by-hand");
    expect(await admin.webhooks()).toEqual([]);
    expect((await admin.streams(serverId)).map((s) => s.ID)).toEqual(["outbound", "inbound", "broadcast"]);
    await expect(admin.editWebhookByHand(hook.ID, { Url: "x" })).rejects.toThrow(/HTTP 404/);
  });

  test("admin calls are not logged and ignore faults", async () => {
    await pm.settings({ faults: "reset:1" });
    expect((await admin("GET", `/servers/${serverId}/message-streams`)).status).toBe(200);
    expect((await admin("GET", "/webhooks")).status).toBe(200);
    expect((await admin("GET", "/requests")).json).toEqual([]);
  });
});
