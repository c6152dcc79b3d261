/**
 * The Inbound Rules Triggers API (server token): list, create, delete, every refusal, auth, faults, admin hand
 * edits, the state file and the official client.
 */
import { Errors, Models, ServerClient } from "postmark";
import { droppedConnection, okJson, postmarkError, useEmulator, useStateFileEmulator } from "./emulatorHarness";

describe("Inbound Rules API", () => {
  const pm = useEmulator();
  let serverId: number;
  let serverToken: string;
  const api = (method: string, route: string, body?: unknown, headers?: Record<string, string | undefined>) => pm.serverCall(serverToken, method, route, body, headers);
  const create = (rule: string) => okJson("create", api("POST", "/triggers/inboundrules", { Rule: rule }));
  const list = async (query = "count=100&offset=0") => (await api("GET", `/triggers/inboundrules?${query}`)).json;

  beforeEach(async () => {
    ({ id: serverId, token: serverToken } = await pm.server("Inbound"));
  });

  describe("create", () => {
    test("an address or a domain: answers {ID, Rule}, and the list holds it", async () => {
      const address = await create("spammer@example.com");
      const domain = await create("spam.example.org");
      expect(address).toEqual({ ID: expect.any(Number), Rule: "spammer@example.com" });
      expect(Object.keys(address)).toEqual(["ID", "Rule"]);
      expect(domain.ID).toBeGreaterThan(address.ID);
      expect(await list()).toEqual({ TotalCount: 2, InboundRules: [address, domain] });
    });

    test.each(["first.last+tag@mail.example.co.uk", "o'neil@example.com", "x@sub-domain.example", "example.com", "a.b.c.example.museum"])("%s is a valid rule", async (rule) => {
      expect((await create(rule)).Rule).toBe(rule);
    });

    test("IDs are never reused, even after a delete", async () => {
      const first = await create("a@example.com");
      await api("DELETE", `/triggers/inboundrules/${first.ID}`);
      expect((await create("b@example.com")).ID).toBeGreaterThan(first.ID);
    });

    test.each([
      ["an empty body", 809, ""],
      ["a null body", 809, "null"],
      ["an empty object", 809, {}],
      ["a null Rule", 809, { Rule: null }],
      ["a body that is not JSON", 402, "{Rule"],
      ["a body that is not an object", 403, ["a@example.com"]],
      ["a Rule that is not a string", 403, { Rule: 5 }],
      ["an unknown field", 403, { Rule: "a@example.com", ID: 3 }],
      ["an empty Rule", 813, { Rule: "" }],
      ["a bare word", 813, { Rule: "localhost" }],
      ["an address without a domain", 813, { Rule: "someone@" }],
      ["an address without a local part", 813, { Rule: "@example.com" }],
      ["two @", 813, { Rule: "a@b@example.com" }],
      ["spaces around it", 813, { Rule: " spam@example.com " }],
      ["a space inside", 813, { Rule: "spam me@example.com" }],
      ["a wildcard", 813, { Rule: "*.example.com" }],
      ["a domain ending in a dot", 813, { Rule: "example.com." }],
      ["a label starting with a hyphen", 813, { Rule: "-bad.example.com" }],
      ["a numeric top-level domain", 813, { Rule: "10.0.0.1" }],
    ])("%s answers ErrorCode %i and creates nothing", async (_, errorCode, body) => {
      const res = await api("POST", "/triggers/inboundrules", body);
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(errorCode));
      expect(await pm.admin().inboundRules(serverId)).toEqual([]);
    });

    test("a rule the server already has, in any case, answers 810; another server may have it", async () => {
      await create("Spam@Example.com");
      for (const rule of ["Spam@Example.com", "spam@example.com"]) {
        const res = await api("POST", "/triggers/inboundrules", { Rule: rule });
        expect(res.status).toBe(422);
        expect(res.json).toEqual(postmarkError(810, /already exists/));
      }
      const other = await pm.server("Other");
      expect((await pm.serverCall(other.token, "POST", "/triggers/inboundrules", { Rule: "spam@example.com" })).status).toBe(200);
    });
  });

  describe("list", () => {
    test("count and offset page the list in ID order; TotalCount counts every rule; the names are matched without case", async () => {
      const rules = [];
      for (const rule of ["a.example.com", "b.example.com", "c.example.com", "d.example.com"]) rules.push(await create(rule));
      expect(await list("count=2&offset=1")).toEqual({ TotalCount: 4, InboundRules: rules.slice(1, 3) });
      expect(await list("Count=500&Offset=4")).toEqual({ TotalCount: 4, InboundRules: [] });
    });

    test.each([
      ["no count", "offset=0"],
      ["no offset", "count=10"],
      ["count 0", "count=0&offset=0"],
      ["count 501", "count=501&offset=0"],
      ["a negative offset", "count=10&offset=-1"],
      ["a count that is not a number", "count=ten&offset=0"],
    ])("%s answers ErrorCode 800", async (_, query) => {
      const res = await api("GET", `/triggers/inboundrules?${query}`);
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(800));
    });

    test("there is no GET by ID and no edit: bare 404", async () => {
      const rule = await create("a@example.com");
      for (const [method, body] of [["GET"], ["PUT", { Rule: "b@example.com" }], ["PATCH", { Rule: "b@example.com" }]] as const) {
        const res = await api(method, `/triggers/inboundrules/${rule.ID}`, body);
        expect([method, res.status, res.text]).toEqual([method, 404, ""]);
      }
    });
  });

  describe("delete", () => {
    test("answers ErrorCode 0 and 'Rule <rule> removed.'; the rule is gone", async () => {
      const rule = await create("a@example.com");
      const kept = await create("b@example.com");
      const res = await api("DELETE", `/triggers/inboundrules/${rule.ID}`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ErrorCode: 0, Message: "Rule a@example.com removed." });
      expect(await list()).toEqual({ TotalCount: 1, InboundRules: [kept] });
    });

    test("a missing rule, or another server's, answers 812 and nothing changes", async () => {
      const mine = await create("a@example.com");
      expect((await api("DELETE", "/triggers/inboundrules/4242")).json).toEqual(postmarkError(812, /4242/));
      const other = await pm.server("Other");
      const res = await pm.serverCall(other.token, "DELETE", `/triggers/inboundrules/${mine.ID}`);
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(812));
      expect((await pm.serverCall(other.token, "GET", "/triggers/inboundrules?count=10&offset=0")).json).toEqual({ TotalCount: 0, InboundRules: [] });
      expect((await list()).InboundRules).toEqual([mine]);
    });

    test("with the removalUnavailable setting on, a delete answers 811 and keeps the rule", async () => {
      const rule = await create("a@example.com");
      await pm.admin().inboundRuleSettings({ removalUnavailable: true });
      expect((await api("DELETE", `/triggers/inboundrules/${rule.ID}`)).json).toEqual(postmarkError(811));
      expect((await list()).InboundRules).toEqual([rule]);
      await pm.admin().inboundRuleSettings({ removalUnavailable: false });
      expect((await api("DELETE", `/triggers/inboundrules/${rule.ID}`)).status).toBe(200);
    });
  });

  describe("auth, faults and the request log", () => {
    test.each([
      ["GET", "/triggers/inboundrules?count=10&offset=0"],
      ["POST", "/triggers/inboundrules"],
      ["DELETE", "/triggers/inboundrules/{id}"],
    ])("%s %s with the account token answers 401 ErrorCode 10 and changes nothing", async (method, route) => {
      const rule = await create("kept@example.com");
      const res = await pm.call(method, route.replace("{id}", String(rule.ID)), method === "POST" ? { Rule: "new@example.com" } : undefined);
      expect(res.status).toBe(401);
      expect(res.json).toEqual(postmarkError(10, "Please do not include Account API Token for Server API Token calls."));
      expect(await pm.admin().inboundRules(serverId)).toEqual([{ ...rule, ServerID: serverId }]);
    });

    test("with no server's token answers 401 ErrorCode 10", async () => {
      expect((await pm.serverCall("nope", "GET", "/triggers/inboundrules?count=1&offset=0")).json).toEqual(postmarkError(10, "Request does not contain a valid Server token."));
    });

    test("lost-create on POST creates the rule, then drops the connection; a delete is never struck", async () => {
      await pm.settings({ faults: "lost-create:1" });
      await expect(api("POST", "/triggers/inboundrules", { Rule: "ghost@example.com" })).rejects.toThrow(droppedConnection);
      const [ghost] = await pm.admin().inboundRules(serverId);
      expect(ghost.Rule).toBe("ghost@example.com");
      expect((await api("DELETE", `/triggers/inboundrules/${ghost.ID}`)).status).toBe(200);
    });

    test("the fault queue and the request log apply: a 503 creates nothing, and the log has the path", async () => {
      await pm.call("DELETE", "/__emulator/requests");
      await pm.settings({ faultQueue: ["503"] });
      expect((await api("POST", "/triggers/inboundrules", { Rule: "a@example.com" })).status).toBe(503);
      expect(await pm.admin().inboundRules(serverId)).toEqual([]);
      const log = await pm.admin().requests();
      expect(log.map(({ method, path: loggedPath, status, fault }) => [method, loggedPath, status, fault])).toEqual([["POST", "/triggers/inboundrules", 503, "503"]]);
      expect(JSON.stringify(log)).not.toContain(serverToken);
    });
  });

  describe("admin hand edits", () => {
    test("create (unchecked) and delete by hand; the API sees each change", async () => {
      const admin = pm.admin();
      const byHand = await admin.createInboundRuleByHand(serverId, "not even a domain");
      expect(byHand).toEqual({ ID: expect.any(Number), ServerID: serverId, Rule: "not even a domain" });
      expect(await list()).toEqual({ TotalCount: 1, InboundRules: [{ ID: byHand.ID, Rule: "not even a domain" }] });
      await admin.deleteInboundRuleByHand(serverId, byHand.ID);
      expect(await admin.inboundRules(serverId)).toEqual([]);
    });

    test("refusals: no server (404), no Rule (400), another server's rule (404)", async () => {
      const admin = pm.admin();
      const rule = await create("a@example.com");
      const other = await pm.server("Other");
      await expect(admin.inboundRules(4242)).rejects.toThrow(/404/);
      await expect(pm.call("POST", `/__emulator/servers/${serverId}/inbound-rules`, {}).then((r) => r.status)).resolves.toBe(400);
      await expect(admin.deleteInboundRuleByHand(other.id, rule.ID)).rejects.toThrow(/404/);
      await expect(pm.call("PUT", "/__emulator/settings/inbound-rules", { removalUnavailable: 1 }).then((r) => r.status)).resolves.toBe(400);
    });

    test("deleting a server removes its rules, and no one else's", async () => {
      await create("a@example.com");
      const other = await pm.server("Other");
      await pm.serverCall(other.token, "POST", "/triggers/inboundrules", { Rule: "b@example.com" });
      await pm.call("DELETE", `/servers/${serverId}`);
      expect((await pm.admin().inboundRules(other.id)).map((r) => r.Rule)).toEqual(["b@example.com"]);
      await expect(pm.admin().inboundRules(serverId)).rejects.toThrow(/404/);
    });
  });

  describe("the official postmark ServerClient (path spelled /triggers/inboundRules)", () => {
    const client = (tokenToUse = serverToken) => new ServerClient(tokenToUse, pm.officialClientOptions());

    test("creates, lists and deletes inbound rules", async () => {
      const created = await client().createInboundRuleTrigger(new Models.CreateInboundRuleRequest("spam@example.com"));
      expect(created).toEqual({ ID: expect.any(Number), Rule: "spam@example.com" });
      expect(await client().getInboundRuleTriggers()).toEqual({ TotalCount: 1, InboundRules: [created] });
      expect(await client().getInboundRuleTriggers({ count: 1, offset: 1 })).toEqual({ TotalCount: 1, InboundRules: [] });
      expect(await client().deleteInboundRuleTrigger(created.ID)).toEqual({ ErrorCode: 0, Message: "Rule spam@example.com removed." });
      expect((await client().getInboundRuleTriggers()).TotalCount).toBe(0);
    });

    test("Postmark's refusals surface as the client's errors with their ErrorCodes", async () => {
      await client().createInboundRuleTrigger({ Rule: "example.com" });
      expect(await client().createInboundRuleTrigger({ Rule: "EXAMPLE.com" }).catch((e: unknown) => e)).toMatchObject({ statusCode: 422, code: 810 });
      expect(await client().createInboundRuleTrigger({ Rule: "not valid" }).catch((e: unknown) => e)).toMatchObject({ statusCode: 422, code: 813 });
      const missing = await client().deleteInboundRuleTrigger(4242).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(Errors.ApiInputError);
      expect(missing).toMatchObject({ statusCode: 422, code: 812 });
    });
  });
});

describe("state file with inbound rules", () => {
  const { start, stop, api, asServer, readState } = useStateFileEmulator("postmark-emulator-rules-");

  test("rules survive a restart, rule IDs are not reused, and the file holds them with their ServerID", async () => {
    await start();
    const server = (await api("POST", "/servers", { Name: "Persisted" })).json;
    const serverToken = server.ApiTokens[0];
    const kept = (await asServer(serverToken, "POST", "/triggers/inboundrules", { Rule: "kept@example.com" })).json;
    const dropped = (await asServer(serverToken, "POST", "/triggers/inboundrules", { Rule: "dropped.example.com" })).json;
    await asServer(serverToken, "DELETE", `/triggers/inboundrules/${dropped.ID}`);
    const state = readState();
    expect(state.inboundRules).toEqual([{ ID: kept.ID, ServerID: server.ID, Rule: "kept@example.com" }]);
    expect(state.nextInboundRuleId).toBe(dropped.ID + 1);
    await stop();

    await start();
    expect((await asServer(serverToken, "GET", "/triggers/inboundrules?count=10&offset=0")).json).toEqual({ TotalCount: 1, InboundRules: [kept] });
    expect((await asServer(serverToken, "POST", "/triggers/inboundrules", { Rule: "next@example.com" })).json.ID).toBe(dropped.ID + 1);
  });
});
