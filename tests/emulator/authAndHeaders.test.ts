/** The account token and JSON headers Postmark requires on every Servers API call. */
import { postmarkError, useEmulator } from "./emulatorHarness";

const operations: [string, string, unknown][] = [
  ["GET", "/servers/1", undefined],
  ["POST", "/servers", { Name: "Another" }],
  ["PUT", "/servers/1", { Name: "Renamed" }],
  ["GET", "/servers?count=10&offset=0", undefined],
  ["DELETE", "/servers/1", undefined],
];

describe("authentication and JSON headers", () => {
  const pm = useEmulator();
  beforeEach(async () => {
    await pm.create({ Name: "Existing" });
  });

  test.each(operations)("%s %s without an account token answers 401 ErrorCode 10 and changes nothing", async (method, path, body) => {
    const before = await pm.stored();
    const res = await pm.call(method, path, body, { "X-Postmark-Account-Token": undefined });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(postmarkError(10, /X-Postmark-Account-Token/));
    expect(await pm.stored()).toEqual(before);
  });

  test.each(operations)("%s %s with a wrong account token answers 401 ErrorCode 10", async (method, path, body) => {
    const res = await pm.call(method, path, body, { "X-Postmark-Account-Token": "test-account-tokeN" });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(postmarkError(10, /not valid/));
  });

  test("a server token is not an account token: 401", async () => {
    const [server] = await pm.stored();
    const res = await pm.call("GET", "/servers/1", undefined, { "X-Postmark-Account-Token": undefined, "X-Postmark-Server-Token": server.ApiTokens[0] });
    expect(res.status).toBe(401);
    expect(res.json.ErrorCode).toBe(10);
  });

  test.each(operations)("%s %s without Accept: application/json answers 415 ErrorCode 409", async (method, path, body) => {
    const before = await pm.stored();
    const res = await pm.call(method, path, body, { Accept: undefined });
    expect(res.status).toBe(415);
    expect(res.json).toEqual(postmarkError(409, /'Accept'/));
    expect(await pm.stored()).toEqual(before);
  });

  test("Accept: */* alone is not Accept: application/json", async () => {
    const res = await pm.call("GET", "/servers/1", undefined, { Accept: "*/*" });
    expect(res.status).toBe(415);
    expect(res.json.ErrorCode).toBe(409);
  });

  test("an Accept header listing application/json among others is accepted", async () => {
    const res = await pm.call("GET", "/servers/1", undefined, { Accept: "text/html, application/json;q=0.9" });
    expect(res.status).toBe(200);
  });

  test.each([
    ["POST", "/servers", undefined],
    ["POST", "/servers", "text/plain"],
    ["PUT", "/servers/1", undefined],
    ["PUT", "/servers/1", "application/x-www-form-urlencoded"],
  ])("%s %s with Content-Type %s answers 415 ErrorCode 409 and changes nothing", async (method, path, contentType) => {
    const before = await pm.stored();
    const res = await pm.call(method, path, { Name: "Changed" }, { "Content-Type": contentType });
    expect(res.status).toBe(415);
    expect(res.json).toEqual(postmarkError(409, /'Content-Type'/));
    expect(await pm.stored()).toEqual(before);
  });

  test("Content-Type: application/json; charset=utf-8 is accepted", async () => {
    const res = await pm.call("POST", "/servers", { Name: "With charset" }, { "Content-Type": "application/json; charset=utf-8" });
    expect(res.status).toBe(200);
    expect(res.json.Name).toBe("With charset");
  });

  test.each([
    ["POST", "/email/withTemplate", {}],
    ["GET", "/bounces?count=10&offset=0", undefined],
    ["GET", "/", undefined],
  ])("%s %s, of an API the emulator does not cover, answers 404 saying so, before any token or header check", async (method, path, body) => {
    for (const headers of [{}, { "X-Postmark-Account-Token": undefined, Accept: undefined, "Content-Type": undefined }]) {
      const res = await pm.call(method, path, body, headers);
      expect(res.status).toBe(404);
      expect(res.json.Message).toContain(`The Postmark emulator does not cover ${method} ${path.split("?")[0]}`);
      expect(res.json.Message).toMatch(/\/servers.*\/domains/);
    }
  });

  test("a path of a covered API that no route serves stays a bare 404, after the token check", async () => {
    expect((await pm.call("GET", "/servers/abc", undefined, { "X-Postmark-Account-Token": undefined })).status).toBe(401);
    const res = await pm.call("GET", "/servers/abc");
    expect([res.status, res.text]).toEqual([404, ""]);
  });

  test("GET and DELETE need no Content-Type", async () => {
    expect((await pm.call("GET", "/servers/1", undefined, { "Content-Type": undefined })).status).toBe(200);
    expect((await pm.call("DELETE", "/servers/1", undefined, { "Content-Type": undefined })).status).toBe(200);
  });
});
