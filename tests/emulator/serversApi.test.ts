/** The five Servers API operations, answered as Postmark answers them. */
import { postmarkError, useEmulator } from "./emulatorHarness";

const allFields = [
  "ID", "Name", "ApiTokens", "Color", "SmtpApiActivated", "RawEmailEnabled", "DeliveryType", "ServerLink",
  "InboundAddress", "InboundHookUrl", "BounceHookUrl", "OpenHookUrl", "DeliveryHookUrl", "PostFirstOpenOnly",
  "InboundDomain", "InboundHash", "InboundSpamThreshold", "TrackOpens", "TrackLinks", "IncludeBounceContentInHook",
  "ClickHookUrl", "EnableSmtpApiErrorHooks",
];

const everyWritableField = {
  Name: "Staging Testing",
  Color: "Red",
  SmtpApiActivated: true,
  RawEmailEnabled: true,
  DeliveryType: "Sandbox",
  InboundHookUrl: "http://hooks.example.com/inbound",
  BounceHookUrl: "http://hooks.example.com/bounce",
  OpenHookUrl: "http://hooks.example.com/open",
  DeliveryHookUrl: "http://hooks.example.com/delivery",
  PostFirstOpenOnly: true,
  InboundDomain: "inbound.example.com",
  InboundSpamThreshold: 5,
  TrackOpens: true,
  TrackLinks: "HtmlAndText",
  IncludeBounceContentInHook: false,
  ClickHookUrl: "https://hooks.example.com/click",
  EnableSmtpApiErrorHooks: true,
};

/** The three calls that name a server by ID, with the body each needs. */
const missingServerCalls: [string, unknown][] = [
  ["GET", undefined],
  ["PUT", { Name: "New name" }],
  ["DELETE", undefined],
];

describe("Servers API", () => {
  const pm = useEmulator();

  test("a new server gets Postmark's defaults, one UUID-like token, a 32-hex inbound hash and links derived from its ID", async () => {
    const res = await pm.call("POST", "/servers", { Name: "Production" });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    const server = res.json;
    expect(Object.keys(server).sort()).toEqual([...allFields].sort());
    expect(server).toEqual({
      ID: 1,
      Name: "Production",
      ApiTokens: [expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)],
      Color: "purple",
      SmtpApiActivated: false,
      RawEmailEnabled: false,
      DeliveryType: "Live",
      ServerLink: "https://postmarkapp.com/servers/1/streams",
      InboundAddress: `${server.InboundHash}@inbound.postmarkapp.com`,
      InboundHookUrl: "",
      BounceHookUrl: "",
      OpenHookUrl: "",
      DeliveryHookUrl: "",
      PostFirstOpenOnly: false,
      InboundDomain: "",
      InboundHash: expect.stringMatching(/^[0-9a-f]{32}$/),
      InboundSpamThreshold: 0,
      TrackOpens: false,
      TrackLinks: "None",
      IncludeBounceContentInHook: true,
      ClickHookUrl: "",
      EnableSmtpApiErrorHooks: false,
    });
  });

  test("each new server gets the next ID and its own token and inbound hash", async () => {
    const first = await pm.create({ Name: "One" });
    const second = await pm.create({ Name: "Two" });
    expect(second.ID).toBe(first.ID + 1);
    expect(second.ServerLink).toBe(`https://postmarkapp.com/servers/${second.ID}/streams`);
    expect(second.ApiTokens[0]).not.toBe(first.ApiTokens[0]);
    expect(second.InboundHash).not.toBe(first.InboundHash);
  });

  test("a create stores and returns every writable field it was sent", async () => {
    const created = await pm.create(everyWritableField);
    expect(created).toMatchObject({ ...everyWritableField, Color: "red" });
    const fetched = await pm.call("GET", `/servers/${created.ID}`);
    expect(fetched.status).toBe(200);
    expect(fetched.json).toEqual(created);
  });

  test.each(["Purple", "BLUE", "turquoise", "GrEeN", "red", "Yellow", "grey", "ORANGE"])(
    "a color is returned in lower case whatever case it was sent in (%s)",
    async (color) => {
      const created = await pm.create({ Name: `Colour ${color}`, Color: color });
      expect(created.Color).toBe(color.toLowerCase());
      const edited = await pm.call("PUT", `/servers/${created.ID}`, { Color: color.toUpperCase() });
      expect(edited.json.Color).toBe(color.toLowerCase());
    },
  );

  test("an edit changes only the fields it sends and returns the whole server", async () => {
    const created = await pm.create(everyWritableField);
    const res = await pm.call("PUT", `/servers/${created.ID}`, { Name: "Production 2", TrackOpens: false, BounceHookUrl: "" });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ...created, Name: "Production 2", TrackOpens: false, BounceHookUrl: "" });
    expect((await pm.call("GET", `/servers/${created.ID}`)).json).toEqual(res.json);
  });

  test("a server can be renamed to its own name in another case", async () => {
    const created = await pm.create({ Name: "Billing" });
    const res = await pm.call("PUT", `/servers/${created.ID}`, { Name: "BILLING" });
    expect(res.status).toBe(200);
    expect(res.json.Name).toBe("BILLING");
  });

  test("the list filters by a case-insensitive substring of the name, counts every match and pages in ID order", async () => {
    for (const name of ["MyServer", "Other", "myserver Production", "MyServer Test", "Unrelated"]) await pm.create({ Name: name });
    const page = await pm.call("GET", "/servers?count=2&offset=1&name=MYSERVER");
    expect(page.status).toBe(200);
    expect(page.json.TotalCount).toBe(3);
    expect(page.json.Servers.map((s: { Name: string }) => s.Name)).toEqual(["myserver Production", "MyServer Test"]);
    expect(Object.keys(page.json.Servers[0]).sort()).toEqual([...allFields].sort());
  });

  test("the list without a name returns every server in ID order, and an offset past the end gives an empty page", async () => {
    for (const name of ["C", "A", "B"]) await pm.create({ Name: name });
    const all = await pm.call("GET", "/servers?count=500&offset=0");
    expect(all.json.TotalCount).toBe(3);
    expect(all.json.Servers.map((s: { ID: number }) => s.ID)).toEqual([1, 2, 3]);
    const past = await pm.call("GET", "/servers?count=10&offset=3");
    expect(past.json).toEqual({ TotalCount: 3, Servers: [] });
  });

  test("delete removes the server and answers ErrorCode 0 with 'Server <name> removed.'", async () => {
    const created = await pm.create({ Name: "Production Server 2" });
    const res = await pm.call("DELETE", `/servers/${created.ID}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ErrorCode: 0, Message: "Server Production Server 2 removed." });
    expect(await pm.stored()).toEqual([]);
  });

  test("an ID is never reused after its server is deleted", async () => {
    const first = await pm.create({ Name: "First" });
    await pm.call("DELETE", `/servers/${first.ID}`);
    const second = await pm.create({ Name: "Second" });
    expect(second.ID).toBe(first.ID + 1);
  });

  test.each(missingServerCalls)("a missing server answers %s with a bare 404 and an empty body", async (method, body) => {
    const res = await pm.call(method, "/servers/4242", body);
    expect(res.status).toBe(404);
    expect(res.text).toBe("");
    expect(res.headers["content-length"]).toBe("0");
  });

  test("a path Postmark does not serve answers a bare 404", async () => {
    const res = await pm.call("GET", "/servers/not-a-number");
    expect(res.status).toBe(404);
    expect(res.text).toBe("");
  });
});

describe("Servers API with missingServer 422", () => {
  const pm = useEmulator({ missingServer: "422" });

  test.each(missingServerCalls)("a missing server answers %s with 422 ErrorCode 601", async (method, body) => {
    const res = await pm.call(method, "/servers/4242", body);
    expect(res.status).toBe(422);
    expect(res.json).toEqual(postmarkError(601, /4242/));
  });
});

describe("Servers API with delete disabled", () => {
  const pm = useEmulator({ deleteDisabled: true });

  test("delete answers 422 ErrorCode 604 and leaves the server untouched", async () => {
    const created = await pm.create({ Name: "Keep me" });
    const res = await pm.call("DELETE", `/servers/${created.ID}`);
    expect(res.status).toBe(422);
    expect(res.json).toEqual(postmarkError(604, /permission to delete servers/));
    expect(await pm.stored()).toEqual([created]);
  });
});
