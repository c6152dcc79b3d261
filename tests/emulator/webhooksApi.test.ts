/** The Webhooks API (server token): create, get, list, partial edit, delete, and every refusal. */
import { okJson, postmarkError, useEmulator } from "./emulatorHarness";

const allOff = {
  Open: { Enabled: false, PostFirstOpenOnly: false },
  Click: { Enabled: false },
  Delivery: { Enabled: false },
  Bounce: { Enabled: false, IncludeContent: false },
  SpamComplaint: { Enabled: false, IncludeContent: false },
  SubscriptionChange: { Enabled: false },
};

describe("Webhooks API", () => {
  const pm = useEmulator();
  let serverId: number;
  let serverToken: string;
  const hooks = (method: string, path: string, body?: unknown, headers?: Record<string, string | undefined>) => pm.serverCall(serverToken, method, path, body, headers);
  const create = (body: Record<string, unknown>) => okJson("create", hooks("POST", "/webhooks", body));
  const streamOf = async (body: Record<string, unknown>) => {
    await okJson("stream create", hooks("POST", "/message-streams", body));
  };

  beforeEach(async () => {
    ({ id: serverId, token: serverToken } = await pm.server("Hooks"));
  });

  describe("create", () => {
    test("with only a Url: an integer ID, the outbound stream, all six triggers off, no auth or headers", async () => {
      const created = await create({ Url: "https://example.com/hook" });
      expect(created).toEqual({ ID: expect.any(Number), Url: "https://example.com/hook", MessageStream: "outbound", Triggers: allOff });
      expect(Number.isInteger(created.ID)).toBe(true);
      expect(Object.keys(created)).toEqual(["ID", "Url", "MessageStream", "Triggers"]);
    });

    test("with everything: auth, headers and the triggers named (the others off); GET returns the password in clear", async () => {
      const created = await create({
        Url: "http://hooks.example.com/postmark",
        MessageStream: "outbound",
        HttpAuth: { Username: "user", Password: "s3cret" },
        HttpHeaders: [{ Name: "X-Token", Value: "abc" }],
        Triggers: { Open: { Enabled: true, PostFirstOpenOnly: true }, Bounce: { Enabled: true } },
      });
      expect(created).toEqual({
        ID: expect.any(Number),
        Url: "http://hooks.example.com/postmark",
        MessageStream: "outbound",
        HttpAuth: { Username: "user", Password: "s3cret" },
        HttpHeaders: [{ Name: "X-Token", Value: "abc" }],
        Triggers: { ...allOff, Open: { Enabled: true, PostFirstOpenOnly: true }, Bounce: { Enabled: true, IncludeContent: false } },
      });
      const fetched = await hooks("GET", `/webhooks/${created.ID}`);
      expect(fetched.status).toBe(200);
      expect(fetched.json).toEqual(created);
    });

    test("on a stream of its own, and Open, Click, Delivery and SubscriptionChange on a broadcast stream", async () => {
      await streamOf({ ID: "alerts", Name: "Alerts", MessageStreamType: "Transactional" });
      expect((await create({ Url: "https://example.com/a", MessageStream: "alerts" })).MessageStream).toBe("alerts");
      const broadcastTriggers = { Open: { Enabled: true }, Click: { Enabled: true }, Delivery: { Enabled: true }, SubscriptionChange: { Enabled: true } };
      expect((await create({ Url: "https://example.com/b", MessageStream: "broadcast", Triggers: broadcastTriggers })).MessageStream).toBe("broadcast");
    });

    test("IDs are integers that grow and are never reused, even after a delete", async () => {
      const first = await create({ Url: "https://example.com/1" });
      const second = await create({ Url: "https://example.com/2" });
      await hooks("DELETE", `/webhooks/${second.ID}`);
      const third = await create({ Url: "https://example.com/3" });
      expect(second.ID).toBeGreaterThan(first.ID);
      expect(third.ID).toBeGreaterThan(second.ID);
    });

    test("30 custom headers are accepted", async () => {
      const headers = Array.from({ length: 30 }, (_, i) => ({ Name: `X-H${i}`, Value: `${i}` }));
      expect((await create({ Url: "https://example.com", HttpHeaders: headers })).HttpHeaders).toHaveLength(30);
    });

    test.each([
      ["an empty body", 1355, ""],
      ["a null body", 1355, "null"],
      ["an ID", 1356, { ID: 5, Url: "https://example.com" }],
      ["no Url", 1354, {}],
      ["an empty Url", 1354, { Url: "" }],
      ["a Url that is not a URL", 1354, { Url: "example.com/hook" }],
      ["an ftp Url", 1354, { Url: "ftp://example.com/hook" }],
      ["a Url into a private network", 1354, { Url: "http://192.168.1.10/hook" }],
      ["a localhost Url", 1354, { Url: "http://localhost:8080/hook" }],
      ["a header name with a space", 1358, { Url: "https://example.com", HttpHeaders: [{ Name: "X Token", Value: "v" }] }],
      ["an empty header name", 1358, { Url: "https://example.com", HttpHeaders: [{ Name: "", Value: "v" }] }],
      ["31 headers", 1361, { Url: "https://example.com", HttpHeaders: Array.from({ length: 31 }, (_, i) => ({ Name: `X-H${i}`, Value: "v" })) }],
      ["an unknown field", 403, { Url: "https://example.com", Secret: "x" }],
      ["a trigger flag that is not a boolean", 403, { Url: "https://example.com", Triggers: { Open: { Enabled: "yes" } } }],
      ["an unknown trigger", 403, { Url: "https://example.com", Triggers: { Unsubscribe: { Enabled: true } } }],
      ["a flag another trigger has", 403, { Url: "https://example.com", Triggers: { Click: { IncludeContent: true } } }],
      ["a header without a Value", 403, { Url: "https://example.com", HttpHeaders: [{ Name: "X-A" }] }],
      ["a body that is not an object", 403, [{ Url: "https://example.com" }]],
      ["an unknown stream", 1226, { Url: "https://example.com", MessageStream: "nowhere" }],
      ["the inbound stream", 1351, { Url: "https://example.com", MessageStream: "inbound" }],
      ["Bounce on a broadcast stream", 1353, { Url: "https://example.com", MessageStream: "broadcast", Triggers: { Bounce: { Enabled: true } } }],
      ["SpamComplaint on a broadcast stream", 1353, { Url: "https://example.com", MessageStream: "broadcast", Triggers: { SpamComplaint: { Enabled: true } } }],
    ])("%s answers ErrorCode %i and creates nothing", async (_, errorCode, body) => {
      const res = await hooks("POST", "/webhooks", body);
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(errorCode));
      expect((await hooks("GET", "/webhooks")).json).toEqual({ Webhooks: [] });
    });

    test("an archived stream takes no new webhook (1350)", async () => {
      await streamOf({ ID: "old", Name: "Old", MessageStreamType: "Transactional" });
      await hooks("POST", "/message-streams/old/archive");
      const res = await hooks("POST", "/webhooks", { Url: "https://example.com", MessageStream: "old" });
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(1350, /archived/));
    });

    test("a stream holds at most 10 webhooks (1359); another stream still takes more", async () => {
      for (let i = 0; i < 10; i++) await create({ Url: `https://example.com/${i}` });
      const res = await hooks("POST", "/webhooks", { Url: "https://example.com/11" });
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(1359, /10/));
      expect((await hooks("POST", "/webhooks", { Url: "https://example.com/b", MessageStream: "broadcast" })).status).toBe(200);
    });
  });

  describe("get and list", () => {
    test("a missing webhook answers 422 ErrorCode 1352", async () => {
      const res = await hooks("GET", "/webhooks/999");
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(1352, /999/));
    });

    test("the list holds every webhook of the server, in ID order, without TotalCount", async () => {
      const a = await create({ Url: "https://example.com/a" });
      const b = await create({ Url: "https://example.com/b", MessageStream: "broadcast" });
      expect((await hooks("GET", "/webhooks")).json).toEqual({ Webhooks: [a, b] });
    });

    test("MessageStream filters the list, matched without case in the parameter name as the official client sends it", async () => {
      await create({ Url: "https://example.com/a" });
      const b = await create({ Url: "https://example.com/b", MessageStream: "broadcast" });
      expect((await hooks("GET", "/webhooks?MessageStream=broadcast")).json).toEqual({ Webhooks: [b] });
      expect((await hooks("GET", "/webhooks?messageStream=broadcast")).json).toEqual({ Webhooks: [b] });
      expect((await hooks("GET", "/webhooks?MessageStream=inbound")).json).toEqual({ Webhooks: [] });
    });

    test("an unknown stream in the filter is an error, not an empty list", async () => {
      const res = await hooks("GET", "/webhooks?MessageStream=nowhere");
      expect(res.status).toBe(422);
      expect(res.json.ErrorCode).toBe(1226);
    });

    test("webhooks belong to their server: another server's token neither lists, reads, edits nor deletes them", async () => {
      const mine = await create({ Url: "https://example.com/mine" });
      const other = await pm.server("Other");
      expect((await pm.serverCall(other.token, "GET", "/webhooks")).json).toEqual({ Webhooks: [] });
      for (const [method, body] of [["GET"], ["PUT", { Url: "https://evil.example.com" }], ["DELETE"]] as const) {
        const res = await pm.serverCall(other.token, method, `/webhooks/${mine.ID}`, body);
        expect(res.status).toBe(422);
        expect(res.json.ErrorCode).toBe(1352);
      }
      expect((await hooks("GET", `/webhooks/${mine.ID}`)).json).toEqual(mine);
    });
  });

  describe("edit (PUT)", () => {
    let created: { ID: number; Triggers: typeof allOff } & Record<string, unknown>;
    beforeEach(async () => {
      created = await create({
        Url: "https://example.com/before",
        HttpAuth: { Username: "u", Password: "p" },
        HttpHeaders: [{ Name: "X-A", Value: "1" }],
        Triggers: { Open: { Enabled: true, PostFirstOpenOnly: true }, Delivery: { Enabled: true } },
      });
    });
    const edit = (body: unknown) => hooks("PUT", `/webhooks/${created.ID}`, body);

    test("changes only the fields sent", async () => {
      const res = await edit({ Url: "https://example.com/after" });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ...created, Url: "https://example.com/after" });
      expect((await hooks("GET", `/webhooks/${created.ID}`)).json).toEqual(res.json);
    });

    test("a partial Triggers object changes only the triggers it names", async () => {
      const res = await edit({ Triggers: { Click: { Enabled: true } } });
      expect(res.json.Triggers).toEqual({ ...created.Triggers, Click: { Enabled: true } });
    });

    test("a named trigger is replaced whole: a flag it leaves out becomes false", async () => {
      const res = await edit({ Triggers: { Open: { Enabled: true } } });
      expect(res.json.Triggers.Open).toEqual({ Enabled: true, PostFirstOpenOnly: false });
    });

    test("HttpHeaders: [] clears the headers; HttpAuth: null removes the auth", async () => {
      const res = await edit({ HttpHeaders: [], HttpAuth: null });
      expect(res.json).not.toHaveProperty("HttpHeaders");
      expect(res.json).not.toHaveProperty("HttpAuth");
      expect(res.json.Url).toBe("https://example.com/before");
    });

    test("new headers replace the old ones", async () => {
      const res = await edit({ HttpHeaders: [{ Name: "X-B", Value: "2" }] });
      expect(res.json.HttpHeaders).toEqual([{ Name: "X-B", Value: "2" }]);
    });

    test.each([
      ["the MessageStream", 1357, { MessageStream: "broadcast" }],
      ["the same MessageStream", 1357, { MessageStream: "outbound" }],
      ["an ID", 1357, { ID: 1 }],
      ["an empty object", 1355, {}],
      ["an empty body", 1355, ""],
      ["a bad Url", 1354, { Url: "nope" }],
      ["a bad header name", 1358, { HttpHeaders: [{ Name: "Bad:Name", Value: "v" }] }],
      ["an unknown field", 403, { Enabled: true }],
    ])("an edit of %s answers ErrorCode %i and changes nothing", async (_, errorCode, body) => {
      const res = await edit(body);
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(errorCode));
      expect((await hooks("GET", `/webhooks/${created.ID}`)).json).toEqual(created);
    });

    test("enabling Bounce on a broadcast stream's webhook answers 1353", async () => {
      const broadcast = await create({ Url: "https://example.com/b", MessageStream: "broadcast" });
      const res = await hooks("PUT", `/webhooks/${broadcast.ID}`, { Triggers: { Bounce: { Enabled: true } } });
      expect(res.json).toEqual(postmarkError(1353, /Bounce/));
    });

    test("a missing webhook answers 1352", async () => {
      expect((await hooks("PUT", "/webhooks/4242", { Url: "https://example.com" })).json.ErrorCode).toBe(1352);
    });
  });

  describe("delete", () => {
    test("answers ErrorCode 0 and 'Webhook <id> removed.'; the webhook is gone", async () => {
      const created = await create({ Url: "https://example.com" });
      const res = await hooks("DELETE", `/webhooks/${created.ID}`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ErrorCode: 0, Message: `Webhook ${created.ID} removed.` });
      expect((await hooks("GET", `/webhooks/${created.ID}`)).json.ErrorCode).toBe(1352);
      expect((await hooks("DELETE", `/webhooks/${created.ID}`)).json.ErrorCode).toBe(1352);
    });

    test("a webhook ID that is not a number is not served: bare 404", async () => {
      const res = await hooks("DELETE", "/webhooks/abc");
      expect(res.status).toBe(404);
      expect(res.text).toBe("");
    });
  });

  describe("what goes with a server or a stream", () => {
    test("deleting a server removes its streams and webhooks, and no one else's", async () => {
      await create({ Url: "https://example.com/mine" });
      const other = await pm.server("Other");
      const kept = (await pm.serverCall(other.token, "POST", "/webhooks", { Url: "https://example.com/theirs" })).json;
      expect((await pm.call("DELETE", `/servers/${serverId}`)).status).toBe(200);
      expect(await pm.admin().webhooks()).toEqual([{ ...kept, ServerID: other.id }]);
      expect((await pm.call("GET", `/__emulator/servers/${serverId}/message-streams`)).status).toBe(404);
      expect((await pm.admin().streams(other.id)).map((s) => s.ID)).toEqual(["outbound", "inbound", "broadcast"]);
    });

    test("a purged stream takes its webhooks with it; an archived one keeps them", async () => {
      await streamOf({ ID: "temp", Name: "Temp", MessageStreamType: "Transactional" });
      const onTemp = await create({ Url: "https://example.com/t", MessageStream: "temp" });
      const onOutbound = await create({ Url: "https://example.com/o" });
      await hooks("POST", "/message-streams/temp/archive");
      expect((await hooks("GET", `/webhooks/${onTemp.ID}`)).status).toBe(200);
      await pm.admin().purgeStreamByHand(serverId, "temp");
      expect((await hooks("GET", "/webhooks")).json).toEqual({ Webhooks: [onOutbound] });
    });
  });
});
