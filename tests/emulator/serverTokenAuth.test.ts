/** Server-level APIs take a server token that says whose resources they touch; the wrong kind of token is 401 ErrorCode 10. */
import { postmarkError, serverTokenHeaders, token, useEmulator } from "./emulatorHarness";

/** One request of each server-level route; `{hook}` is replaced by an existing webhook's ID. */
const serverRoutes: [string, string, unknown][] = [
  ["GET", "/message-streams", undefined],
  ["GET", "/message-streams/outbound", undefined],
  ["POST", "/message-streams", { ID: "new", Name: "New", MessageStreamType: "Transactional" }],
  ["PATCH", "/message-streams/outbound", { Name: "Renamed" }],
  ["POST", "/message-streams/broadcast/archive", {}],
  ["POST", "/message-streams/broadcast/unarchive", {}],
  ["GET", "/webhooks", undefined],
  ["GET", "/webhooks/{hook}", undefined],
  ["POST", "/webhooks", { Url: "https://example.com" }],
  ["PUT", "/webhooks/{hook}", { Url: "https://example.com/2" }],
  ["DELETE", "/webhooks/{hook}", undefined],
];

describe("server-token authentication", () => {
  const pm = useEmulator();
  let serverToken: string;
  let hookId: number;
  let storedBefore: unknown;
  const path = (template: string) => template.replace("{hook}", String(hookId));
  const snapshot = async () => [await pm.admin().servers(), await pm.admin().webhooks(), await pm.admin().streams(1)];

  beforeEach(async () => {
    ({ token: serverToken } = await pm.server("Authed"));
    hookId = (await pm.serverCall(serverToken, "POST", "/webhooks", { Url: "https://example.com/existing" })).json.ID;
    storedBefore = await snapshot();
  });

  test.each(serverRoutes)("%s %s with the account token answers 401 ErrorCode 10 and changes nothing", async (method, route, body) => {
    const res = await pm.call(method, path(route), body);
    expect(res.status).toBe(401);
    expect(res.json).toEqual(postmarkError(10, "Please do not include Account API Token for Server API Token calls."));
    expect(await snapshot()).toEqual(storedBefore);
  });

  test.each(serverRoutes)("%s %s without any token answers 401 ErrorCode 10", async (method, route, body) => {
    const res = await pm.call(method, path(route), body, { "X-Postmark-Account-Token": undefined });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(postmarkError(10, /No Account or Server API tokens were supplied/));
  });

  test.each(serverRoutes)("%s %s with a token no server has answers 401 ErrorCode 10", async (method, route, body) => {
    const res = await pm.serverCall(`${serverToken.slice(0, -1)}x`, method, path(route), body);
    expect(res.status).toBe(401);
    expect(res.json).toEqual(postmarkError(10, "Request does not contain a valid Server token."));
    expect(await snapshot()).toEqual(storedBefore);
  });

  test("the account token beside a valid server token is still refused", async () => {
    const res = await pm.call("GET", "/message-streams", undefined, { "X-Postmark-Server-Token": serverToken });
    expect(res.status).toBe(401);
    expect(res.json.ErrorCode).toBe(10);
  });

  test("a server token is not an account token on the Servers API", async () => {
    const res = await pm.call("GET", "/servers?count=1&offset=0", undefined, serverTokenHeaders(serverToken));
    expect(res.status).toBe(401);
    expect(res.json).toEqual(postmarkError(10, /X-Postmark-Account-Token/));
  });

  test("any of a server's tokens works, and a deleted server's token no longer does", async () => {
    const [server] = await pm.admin().servers();
    await pm.admin().editByHand(server.ID, { ApiTokens: ["first-token", serverToken] });
    expect((await pm.serverCall("first-token", "GET", "/message-streams/outbound")).status).toBe(200);
    expect((await pm.serverCall(serverToken, "GET", "/message-streams/outbound")).status).toBe(200);
    await pm.call("DELETE", `/servers/${server.ID}`);
    expect((await pm.serverCall(serverToken, "GET", "/message-streams/outbound")).status).toBe(401);
  });

  test("an unknown path under a server-level API asks for the server token, then answers a bare 404", async () => {
    expect((await pm.call("GET", "/webhooks/1/statistics")).status).toBe(401);
    const res = await pm.serverCall(serverToken, "GET", "/webhooks/1/statistics");
    expect(res.status).toBe(404);
    expect(res.text).toBe("");
  });

  test("server-level calls need Accept: application/json (415 ErrorCode 409)", async () => {
    const res = await pm.serverCall(serverToken, "GET", "/webhooks", undefined, { Accept: undefined });
    expect(res.status).toBe(415);
    expect(res.json.ErrorCode).toBe(409);
  });

  test("tokens appear neither in error answers nor in the request log", async () => {
    const wrong = `${serverToken}-wrong`;
    const answers = [
      await pm.serverCall(wrong, "GET", "/message-streams"),
      await pm.call("GET", "/message-streams"),
      await pm.serverCall(serverToken, "GET", "/message-streams/missing"),
      await pm.serverCall(serverToken, "GET", "/webhooks/999"),
    ];
    const log = await pm.call("GET", "/__emulator/requests");
    for (const text of [...answers.map((a) => a.text), log.text]) {
      expect(text).not.toContain(serverToken);
      expect(text).not.toContain(token);
    }
  });
});
