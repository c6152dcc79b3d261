/** The unauthenticated admin API under /__emulator/, for setting up and inspecting tests and demos. */
import { useEmulator } from "./emulatorHarness";

/** Admin calls need none of Postmark's headers. */
const bare = { Accept: undefined, "Content-Type": undefined, "X-Postmark-Account-Token": undefined };

describe("admin API", () => {
  const pm = useEmulator({ deleteDisabled: true });

  test("POST /__emulator/servers creates a server by hand with an ID, token, hash, defaults and a lower-case colour", async () => {
    const res = await pm.call("POST", "/__emulator/servers", { Name: "Made by hand", Color: "Orange", TrackOpens: true }, bare);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      ID: 1,
      Name: "Made by hand",
      Color: "orange",
      TrackOpens: true,
      DeliveryType: "Live",
      ServerLink: "https://postmarkapp.com/servers/1/streams",
      ApiTokens: [expect.any(String)],
      InboundHash: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(Object.keys(res.json)).toHaveLength(22);
    expect((await pm.call("GET", "/servers/1")).json).toEqual(res.json);
  });

  test("POST /__emulator/servers without a Name answers 400", async () => {
    const res = await pm.call("POST", "/__emulator/servers", { Color: "red" }, bare);
    expect(res.status).toBe(400);
    expect(res.json.Message).toMatch(/Name/);
  });

  test("GET /__emulator/servers lists the raw stored servers", async () => {
    const created = await pm.create({ Name: "Listed" });
    const res = await pm.call("GET", "/__emulator/servers", undefined, bare);
    expect(res.status).toBe(200);
    expect(res.json).toEqual([created]);
  });

  test("PATCH /__emulator/servers/{id} edits by hand, bypassing validation, and the API then returns the drift", async () => {
    const created = await pm.create({ Name: "Drifting" });
    const res = await pm.call("PATCH", `/__emulator/servers/${created.ID}`, { TrackLinks: "HtmlOnly", Color: "Pink", DeliveryType: "Sandbox" }, bare);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ...created, TrackLinks: "HtmlOnly", Color: "Pink", DeliveryType: "Sandbox" });
    expect((await pm.call("GET", `/servers/${created.ID}`)).json).toEqual(res.json);
  });

  test("PATCH or DELETE of a missing server by hand answers 404", async () => {
    expect((await pm.call("PATCH", "/__emulator/servers/77", { Name: "x" }, bare)).status).toBe(404);
    expect((await pm.call("DELETE", "/__emulator/servers/77", undefined, bare)).status).toBe(404);
  });

  test("DELETE /__emulator/servers/{id} deletes by hand even when the API refuses deletes", async () => {
    const created = await pm.create({ Name: "Doomed" });
    expect((await pm.call("DELETE", `/servers/${created.ID}`)).status).toBe(422);
    const res = await pm.call("DELETE", `/__emulator/servers/${created.ID}`, undefined, bare);
    expect(res.status).toBe(200);
    expect(res.json).toEqual(created);
    expect(await pm.stored()).toEqual([]);
  });

  test("POST /__emulator/reset removes servers and the log but keeps settings and never reuses IDs", async () => {
    const before = await pm.create({ Name: "Old" });
    await pm.settings({ latencyMs: 5, faults: "500:0.1" });
    const settings = (await pm.call("GET", "/__emulator/settings")).json;
    expect((await pm.call("POST", "/__emulator/reset", undefined, bare)).status).toBe(200);
    expect(await pm.stored()).toEqual([]);
    expect((await pm.call("GET", "/__emulator/requests")).json).toEqual([]);
    expect((await pm.call("GET", "/__emulator/settings")).json).toEqual(settings);
    await pm.settings({ faults: "" });
    expect((await pm.create({ Name: "New" })).ID).toBe(before.ID + 1);
  });

  test("GET /__emulator/settings returns the running settings, and PUT changes only the ones sent", async () => {
    expect((await pm.call("GET", "/__emulator/settings", undefined, bare)).json).toEqual({
      faults: {},
      latencyMs: 0,
      answerDelayMs: 0,
      deleteDisabled: true,
      seed: 1,
      retryAfterRate: 0.5,
      retryAfterSeconds: 1,
      missingServer: "404",
      faultQueue: [],
      createFaultQueue: [],
    });
    const res = await pm.call("PUT", "/__emulator/settings", { faults: "429:0.5", deleteDisabled: false, missingServer: "422" }, bare);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ faults: { "429": 0.5 }, deleteDisabled: false, missingServer: "422", latencyMs: 0 });
  });

  test("settings changed at run time take effect at once", async () => {
    const created = await pm.create({ Name: "Deletable later" });
    await pm.settings({ deleteDisabled: false, missingServer: "422" });
    expect((await pm.call("DELETE", `/servers/${created.ID}`)).status).toBe(200);
    const missing = await pm.call("GET", `/servers/${created.ID}`);
    expect(missing.status).toBe(422);
    expect(missing.json.ErrorCode).toBe(601);
  });

  test.each([
    [{ latencyMs: -1 }, /latencyMs/],
    [{ faults: "boom:1" }, /faults.*unknown fault "boom"/],
    [{ missingServer: "410" }, /missingServer/],
    [{ retryAfterRate: 2 }, /retryAfterRate/],
    [{ seed: "x" }, /seed/],
    [{ deleteDisabled: "yes" }, /deleteDisabled/],
  ])("PUT /__emulator/settings with %j answers 400 naming the setting and changes nothing", async (body, message) => {
    const before = (await pm.call("GET", "/__emulator/settings")).json;
    const res = await pm.call("PUT", "/__emulator/settings", body, bare);
    expect(res.status).toBe(400);
    expect(res.json.Message).toMatch(message);
    expect((await pm.call("GET", "/__emulator/settings")).json).toEqual(before);
  });

  test("an unknown admin route answers 404", async () => {
    expect((await pm.call("GET", "/__emulator/nothing", undefined, bare)).status).toBe(404);
  });
});
