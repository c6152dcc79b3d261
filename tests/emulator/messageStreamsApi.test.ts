/** The Message Streams API (server token): defaults, list filters, create/edit/archive/unarchive and every refusal. */
import { okJson, postmarkError, useEmulator } from "./emulatorHarness";

const isoTime = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
const dayMs = 86_400_000;

describe("Message Streams API", () => {
  const pm = useEmulator();
  let serverId: number;
  let serverToken: string;
  /** A call with the test server's token. */
  const streams = (method: string, path: string, body?: unknown, headers?: Record<string, string | undefined>) => pm.serverCall(serverToken, method, path, body, headers);
  const create = (body: Record<string, unknown>) => okJson("create", streams("POST", "/message-streams", body));
  const transactional = (ID: string, extra: Record<string, unknown> = {}) => ({ ID, Name: `Stream ${ID}`, MessageStreamType: "Transactional", ...extra });

  beforeEach(async () => {
    ({ id: serverId, token: serverToken } = await pm.server("Streams"));
  });

  describe("default streams", () => {
    test("a new server has outbound, inbound and broadcast with Postmark's fields", async () => {
      const res = await streams("GET", "/message-streams");
      expect(res.status).toBe(200);
      const stream = (ID: string, Name: string, MessageStreamType: string, UnsubscribeHandlingType: string) => ({
        ID,
        ServerID: serverId,
        Name,
        Description: null,
        MessageStreamType,
        CreatedAt: isoTime,
        UpdatedAt: null,
        ArchivedAt: null,
        ExpectedPurgeDate: null,
        SubscriptionManagementConfiguration: { UnsubscribeHandlingType },
      });
      expect(res.json).toEqual({
        MessageStreams: [
          stream("outbound", "Default Transactional Stream", "Transactional", "None"),
          stream("inbound", "Default Inbound Stream", "Inbound", "None"),
          stream("broadcast", "Default Broadcast Stream", "Broadcasts", "Postmark"),
        ],
        TotalCount: 3,
      });
      expect(Object.keys(res.json.MessageStreams[0])).toEqual([
        "ID",
        "ServerID",
        "Name",
        "Description",
        "MessageStreamType",
        "CreatedAt",
        "UpdatedAt",
        "ArchivedAt",
        "ExpectedPurgeDate",
        "SubscriptionManagementConfiguration",
      ]);
    });

    test("a server created by hand has the default streams too", async () => {
      const byHand = await pm.admin().createByHand({ Name: "By hand" });
      const res = await pm.serverCall((byHand.ApiTokens as string[])[0], "GET", "/message-streams/outbound");
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ ID: "outbound", ServerID: byHand.ID });
    });

    test("the defaults keep their CreatedAt from one read to the next", async () => {
      const first = (await streams("GET", "/message-streams/inbound")).json;
      expect((await streams("GET", "/message-streams/inbound")).json).toEqual(first);
    });
  });

  describe("list", () => {
    test("MessageStreamType filters by type, without case in the name or the value, as the official client sends it", async () => {
      expect((await streams("GET", "/message-streams?MessageStreamType=Inbound")).json.MessageStreams.map((s: { ID: string }) => s.ID)).toEqual(["inbound"]);
      expect((await streams("GET", "/message-streams?messageStreamType=broadcasts")).json.MessageStreams.map((s: { ID: string }) => s.ID)).toEqual(["broadcast"]);
      expect((await streams("GET", "/message-streams?MessageStreamType=all")).json.TotalCount).toBe(3);
    });

    test("an unknown MessageStreamType answers 1221", async () => {
      const res = await streams("GET", "/message-streams?MessageStreamType=Outbound");
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(1221, /MessageStreamType/));
    });

    test("archived streams are left out unless IncludeArchivedStreams=true", async () => {
      await create(transactional("old"));
      await streams("POST", "/message-streams/old/archive");
      expect((await streams("GET", "/message-streams")).json.TotalCount).toBe(3);
      expect((await streams("GET", "/message-streams?IncludeArchivedStreams=false")).json.TotalCount).toBe(3);
      const all = (await streams("GET", "/message-streams?includeArchivedStreams=true")).json;
      expect(all.TotalCount).toBe(4);
      expect(all.MessageStreams[3]).toMatchObject({ ID: "old", ArchivedAt: isoTime });
    });

    test("IncludeArchivedStreams must be true or false (403)", async () => {
      const res = await streams("GET", "/message-streams?IncludeArchivedStreams=yes");
      expect(res.status).toBe(422);
      expect(res.json.ErrorCode).toBe(403);
    });

    test("streams belong to their server: another server's token neither lists nor reads them", async () => {
      await create(transactional("mine"));
      const other = await pm.server("Other");
      const listed = (await pm.serverCall(other.token, "GET", "/message-streams")).json;
      expect(listed.MessageStreams.map((s: { ID: string; ServerID: number }) => [s.ID, s.ServerID])).toEqual([
        ["outbound", other.id],
        ["inbound", other.id],
        ["broadcast", other.id],
      ]);
      const res = await pm.serverCall(other.token, "GET", "/message-streams/mine");
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(1226, /mine/));
      expect((await pm.serverCall(other.token, "PATCH", "/message-streams/mine", { Name: "Stolen" })).json.ErrorCode).toBe(1226);
    });
  });

  describe("get", () => {
    test("a missing stream answers 422 ErrorCode 1226", async () => {
      const res = await streams("GET", "/message-streams/nothing-here");
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(1226, /nothing-here/));
    });

    test("stream IDs are matched exactly (case included)", async () => {
      expect((await streams("GET", "/message-streams/Outbound")).json.ErrorCode).toBe(1226);
    });
  });

  describe("create", () => {
    test("returns the new stream, and GET and the list return the same", async () => {
      const created = await create({ ID: "news_2", Name: "News", MessageStreamType: "Broadcasts", Description: "Monthly news" });
      expect(created).toEqual({
        ID: "news_2",
        ServerID: serverId,
        Name: "News",
        Description: "Monthly news",
        MessageStreamType: "Broadcasts",
        CreatedAt: isoTime,
        UpdatedAt: null,
        ArchivedAt: null,
        ExpectedPurgeDate: null,
        SubscriptionManagementConfiguration: { UnsubscribeHandlingType: "Postmark" },
      });
      expect((await streams("GET", "/message-streams/news_2")).json).toEqual(created);
      expect((await streams("GET", "/message-streams")).json).toMatchObject({ TotalCount: 4 });
    });

    test("a Transactional stream handles no unsubscribes unless asked; Postmark handling may be asked", async () => {
      expect((await create(transactional("plain"))).SubscriptionManagementConfiguration).toEqual({ UnsubscribeHandlingType: "None" });
      const handled = await create(transactional("handled", { SubscriptionManagementConfiguration: { UnsubscribeHandlingType: "Postmark" } }));
      expect(handled.SubscriptionManagementConfiguration).toEqual({ UnsubscribeHandlingType: "Postmark" });
    });

    test("an ID of 30 characters, a Name of 100 and a Description of 1000 are accepted", async () => {
      const id = "a".repeat(30);
      const created = await create({ ID: id, Name: "n".repeat(100), MessageStreamType: "Transactional", Description: "d".repeat(1000) });
      expect(created.ID).toBe(id);
    });

    test.each([
      ["no ID", 1222, { Name: "x", MessageStreamType: "Transactional" }],
      ["an empty ID", 1222, { ID: "", Name: "x", MessageStreamType: "Transactional" }],
      ["an ID starting with a digit", 1227, { ID: "1st", Name: "x", MessageStreamType: "Transactional" }],
      ["an ID with upper case", 1227, { ID: "News", Name: "x", MessageStreamType: "Transactional" }],
      ["an ID with a space", 1227, { ID: "my stream", Name: "x", MessageStreamType: "Transactional" }],
      ["an ID with a dot", 1227, { ID: "my.stream", Name: "x", MessageStreamType: "Transactional" }],
      ["an ID of 31 characters", 1227, { ID: "a".repeat(31), Name: "x", MessageStreamType: "Transactional" }],
      ["an ID starting with pm-", 1233, { ID: "pm-mine", Name: "x", MessageStreamType: "Transactional" }],
      ["the reserved ID all", 1237, { ID: "all", Name: "x", MessageStreamType: "Transactional" }],
      ["no Name", 1223, { ID: "s", MessageStreamType: "Transactional" }],
      ["a blank Name", 1223, { ID: "s", Name: "  ", MessageStreamType: "Transactional" }],
      ["a Name of 101 characters", 1224, { ID: "s", Name: "n".repeat(101), MessageStreamType: "Transactional" }],
      ["no MessageStreamType", 1221, { ID: "s", Name: "x" }],
      ["a MessageStreamType in another case", 1221, { ID: "s", Name: "x", MessageStreamType: "transactional" }],
      ["an unknown MessageStreamType", 1221, { ID: "s", Name: "x", MessageStreamType: "Outbound" }],
      ["a Description of 1001 characters", 1231, transactional("s", { Description: "d".repeat(1001) })],
      ["HTML in the Description", 1234, transactional("s", { Description: "<b>bold</b>" })],
      ["a > in the Description", 1234, transactional("s", { Description: "a > b" })],
      ["an unknown unsubscribe handling", 1240, transactional("s", { SubscriptionManagementConfiguration: { UnsubscribeHandlingType: "Sometimes" } })],
      ["no unsubscribe handling on a broadcast stream", 1239, { ID: "s", Name: "x", MessageStreamType: "Broadcasts", SubscriptionManagementConfiguration: { UnsubscribeHandlingType: "None" } }],
      ["unsubscribe handling on an inbound stream", 1239, { ID: "s", Name: "x", MessageStreamType: "Inbound", SubscriptionManagementConfiguration: { UnsubscribeHandlingType: "Postmark" } }],
      ["Custom handling while the account does not have it", 1238, transactional("s", { SubscriptionManagementConfiguration: { UnsubscribeHandlingType: "Custom" } })],
      ["an unknown field", 403, transactional("s", { Color: "red" })],
      ["a read-only field", 403, transactional("s", { ServerID: 1 })],
      ["a Name that is not a string", 403, { ID: "s", Name: 5, MessageStreamType: "Transactional" }],
      ["a SubscriptionManagementConfiguration that is not an object", 403, transactional("s", { SubscriptionManagementConfiguration: "Postmark" })],
      ["a body that is not an object", 403, ["s"]],
    ])("%s answers ErrorCode %i and creates nothing", async (_, errorCode, body) => {
      const res = await streams("POST", "/message-streams", body);
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(errorCode));
      expect((await streams("GET", "/message-streams?IncludeArchivedStreams=true")).json.TotalCount).toBe(3);
    });

    test("a body that is not JSON answers 402", async () => {
      const res = await streams("POST", "/message-streams", "{ID: nope");
      expect(res.status).toBe(422);
      expect(res.json.ErrorCode).toBe(402);
    });

    test("an ID the server already has answers 1230, a default's included", async () => {
      await create(transactional("twice"));
      expect((await streams("POST", "/message-streams", transactional("twice"))).json).toEqual(postmarkError(1230, /twice/));
      expect((await streams("POST", "/message-streams", transactional("outbound"))).json.ErrorCode).toBe(1230);
    });

    test("an archived stream keeps its ID until it is purged: reusing it answers 1230", async () => {
      await create(transactional("archived"));
      await streams("POST", "/message-streams/archived/archive");
      expect((await streams("POST", "/message-streams", transactional("archived"))).json.ErrorCode).toBe(1230);
      await pm.admin().purgeStreamByHand(serverId, "archived");
      expect((await streams("POST", "/message-streams", transactional("archived"))).status).toBe(200);
    });

    test("another server may use the same ID", async () => {
      await create(transactional("shared"));
      const other = await pm.server("Other");
      expect((await pm.serverCall(other.token, "POST", "/message-streams", transactional("shared"))).status).toBe(200);
    });

    test("a second Inbound stream answers 1228", async () => {
      const res = await streams("POST", "/message-streams", { ID: "inbound-2", Name: "More inbound", MessageStreamType: "Inbound" });
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(1228, /Inbound/));
    });

    test("a server holds at most 10 streams, the 3 defaults and archived ones included: the 11th answers 1225", async () => {
      for (let i = 1; i <= 7; i++) await create(transactional(`s${i}`));
      await streams("POST", "/message-streams/s1/archive");
      const res = await streams("POST", "/message-streams", transactional("s8"));
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(1225, /10/));
    });

    test("Custom unsubscribe handling works once the account has it (admin setting)", async () => {
      await pm.admin().messageStreamSettings({ customUnsubscribeHandling: true });
      const custom = { SubscriptionManagementConfiguration: { UnsubscribeHandlingType: "Custom" } };
      expect((await create(transactional("custom-t", custom))).SubscriptionManagementConfiguration.UnsubscribeHandlingType).toBe("Custom");
      expect((await create({ ID: "custom-b", Name: "B", MessageStreamType: "Broadcasts", ...custom })).SubscriptionManagementConfiguration.UnsubscribeHandlingType).toBe("Custom");
    });
  });

  describe("edit (PATCH)", () => {
    test("changes only the fields sent, sets UpdatedAt and keeps CreatedAt", async () => {
      const created = await create(transactional("edited", { Description: "before" }));
      const res = await streams("PATCH", "/message-streams/edited", { Name: "After" });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ...created, Name: "After", UpdatedAt: isoTime });
      const again = await streams("PATCH", "/message-streams/edited", { Description: null, SubscriptionManagementConfiguration: { UnsubscribeHandlingType: "Postmark" } });
      expect(again.json).toEqual({ ...res.json, Description: null, SubscriptionManagementConfiguration: { UnsubscribeHandlingType: "Postmark" }, UpdatedAt: isoTime });
      expect((await streams("GET", "/message-streams/edited")).json).toEqual(again.json);
    });

    test("the default streams can be renamed", async () => {
      const res = await streams("PATCH", "/message-streams/outbound", { Name: "Transactional mail" });
      expect(res.json).toMatchObject({ ID: "outbound", Name: "Transactional mail", UpdatedAt: isoTime });
    });

    test("an empty edit changes nothing, UpdatedAt included", async () => {
      const created = await create(transactional("same"));
      expect((await streams("PATCH", "/message-streams/same", {})).json).toEqual(created);
    });

    test.each([
      ["the ID", 403, { ID: "other" }],
      ["the MessageStreamType", 403, { MessageStreamType: "Broadcasts" }],
      ["a blank Name", 1223, { Name: "" }],
      ["a Name of 101 characters", 1224, { Name: "n".repeat(101) }],
      ["a Description of 1001 characters", 1231, { Description: "d".repeat(1001) }],
      ["HTML in the Description", 1234, { Description: "<script>" }],
      ["an unknown handling", 1240, { SubscriptionManagementConfiguration: { UnsubscribeHandlingType: "All" } }],
      ["Custom handling while the account does not have it", 1238, { SubscriptionManagementConfiguration: { UnsubscribeHandlingType: "Custom" } }],
    ])("an edit of %s answers ErrorCode %i and changes nothing", async (_, errorCode, body) => {
      const created = await create(transactional("kept"));
      const res = await streams("PATCH", "/message-streams/kept", body);
      expect(res.status).toBe(422);
      expect(res.json.ErrorCode).toBe(errorCode);
      expect((await streams("GET", "/message-streams/kept")).json).toEqual(created);
    });

    test("removing a broadcast stream's unsubscribe handling answers 1239", async () => {
      const res = await streams("PATCH", "/message-streams/broadcast", { SubscriptionManagementConfiguration: { UnsubscribeHandlingType: "None" } });
      expect(res.json).toEqual(postmarkError(1239, /Broadcasts/));
    });

    test("a missing stream answers 1226", async () => {
      expect((await streams("PATCH", "/message-streams/ghost", { Name: "x" })).json.ErrorCode).toBe(1226);
    });

    test("an archived stream cannot be edited until it is unarchived (1226)", async () => {
      await create(transactional("frozen"));
      await streams("POST", "/message-streams/frozen/archive");
      const res = await streams("PATCH", "/message-streams/frozen", { Name: "Thawed" });
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(1226, /archived/));
      await streams("POST", "/message-streams/frozen/unarchive");
      expect((await streams("PATCH", "/message-streams/frozen", { Name: "Thawed" })).json.Name).toBe("Thawed");
    });

    test("PUT is not how a stream is edited: bare 404", async () => {
      const res = await streams("PUT", "/message-streams/outbound", { Name: "x" });
      expect(res.status).toBe(404);
      expect(res.text).toBe("");
    });
  });

  describe("archive and unarchive", () => {
    test("archive answers {ID, ServerID, ExpectedPurgeDate} 45 days on; GET still answers 200 with ArchivedAt set", async () => {
      await create(transactional("gone"));
      const res = await streams("POST", "/message-streams/gone/archive");
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ID: "gone", ServerID: serverId, ExpectedPurgeDate: isoTime });
      const stream = (await streams("GET", "/message-streams/gone")).json;
      expect(stream).toMatchObject({ ID: "gone", ArchivedAt: isoTime, ExpectedPurgeDate: res.json.ExpectedPurgeDate });
      expect(Date.parse(stream.ExpectedPurgeDate) - Date.parse(stream.ArchivedAt)).toBe(45 * dayMs);
      expect(Math.abs(Date.parse(stream.ArchivedAt) - Date.now())).toBeLessThan(60_000);
    });

    test("the official client's archive call (a {} body) works, and archiving again keeps the first dates", async () => {
      await create(transactional("twice"));
      const first = (await streams("POST", "/message-streams/twice/archive", {})).json;
      const second = (await streams("POST", "/message-streams/twice/archive", {})).json;
      expect(second).toEqual(first);
    });

    test("the default broadcast stream can be archived", async () => {
      expect((await streams("POST", "/message-streams/broadcast/archive")).status).toBe(200);
    });

    test.each(["outbound", "inbound"])("%s can never be archived (1229)", async (id) => {
      const res = await streams("POST", `/message-streams/${id}/archive`);
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(1229, new RegExp(id)));
      expect((await streams("GET", `/message-streams/${id}`)).json.ArchivedAt).toBeNull();
    });

    test("archiving a missing stream answers 1226", async () => {
      expect((await streams("POST", "/message-streams/ghost/archive")).json.ErrorCode).toBe(1226);
    });

    test("while Postmark cannot archive (admin setting), archive answers 1241 and the stream stays", async () => {
      await create(transactional("busy"));
      await pm.admin().messageStreamSettings({ archiveUnavailable: true });
      const res = await streams("POST", "/message-streams/busy/archive");
      expect(res.json).toEqual(postmarkError(1241));
      expect((await streams("GET", "/message-streams/busy")).json.ArchivedAt).toBeNull();
    });

    test("unarchive answers the whole stream with ArchivedAt and ExpectedPurgeDate null, back in the list", async () => {
      const created = await create(transactional("back"));
      await streams("POST", "/message-streams/back/archive");
      const res = await streams("POST", "/message-streams/back/unarchive");
      expect(res.status).toBe(200);
      expect(res.json).toEqual(created);
      expect((await streams("GET", "/message-streams")).json.TotalCount).toBe(4);
    });

    test("unarchiving a stream that is not archived answers it unchanged", async () => {
      const created = await create(transactional("live"));
      expect((await streams("POST", "/message-streams/live/unarchive")).json).toEqual(created);
    });

    test("a stream past its purge date cannot be unarchived (1232)", async () => {
      await create(transactional("late"));
      await streams("POST", "/message-streams/late/archive");
      await pm.admin().editStreamByHand(serverId, "late", { ExpectedPurgeDate: new Date(Date.now() - 1000).toISOString() });
      const res = await streams("POST", "/message-streams/late/unarchive");
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(1232, /purged/));
    });

    test("a purged stream is gone: GET and unarchive answer 1226", async () => {
      await create(transactional("purged"));
      await streams("POST", "/message-streams/purged/archive");
      await pm.admin().purgeStreamByHand(serverId, "purged");
      expect((await streams("GET", "/message-streams/purged")).json.ErrorCode).toBe(1226);
      expect((await streams("POST", "/message-streams/purged/unarchive")).json.ErrorCode).toBe(1226);
    });
  });

  describe("routes", () => {
    test.each([
      ["GET", "/message-streams/outbound/extra"],
      ["DELETE", "/message-streams/outbound"],
      ["POST", "/message-streams/outbound/purge"],
    ])("%s %s is not served: bare 404", async (method, path) => {
      const res = await streams(method, path, method === "POST" ? {} : undefined);
      expect(res.status).toBe(404);
      expect(res.text).toBe("");
    });

    test("PATCH needs Content-Type: application/json (415 ErrorCode 409)", async () => {
      const res = await streams("PATCH", "/message-streams/outbound", { Name: "x" }, { "Content-Type": "text/plain" });
      expect(res.status).toBe(415);
      expect(res.json.ErrorCode).toBe(409);
    });
  });
});
