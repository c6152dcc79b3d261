/** Postmark's 422 answers: the ErrorCode for each mistake, a message naming the field, and nothing stored. */
import { postmarkError, useEmulator } from "./emulatorHarness";

const hookFields = ["InboundHookUrl", "BounceHookUrl", "OpenHookUrl", "DeliveryHookUrl", "ClickHookUrl"];

describe("validation of create and edit", () => {
  const pm = useEmulator();

  /** Sends a create that must be refused, and checks that nothing was stored. */
  async function refusedCreate(body: unknown, errorCode: number, message: RegExp) {
    const res = await pm.call("POST", "/servers", body);
    expect(res.status).toBe(422);
    expect(res.json).toEqual(postmarkError(errorCode, message));
    expect(await pm.stored()).toEqual([]);
  }

  /** Sends an edit to a fresh server that must be refused, and checks that the server did not change. */
  async function refusedEdit(body: unknown, errorCode: number, message: RegExp) {
    const server = await pm.create({ Name: "Target" });
    const res = await pm.call("PUT", `/servers/${server.ID}`, body);
    expect(res.status).toBe(422);
    expect(res.json).toEqual(postmarkError(errorCode, message));
    expect((await pm.stored()).find((s) => s.ID === server.ID)).toEqual(server);
  }

  test.each([{}, { Name: "" }, { Name: "   " }, { Color: "Red" }])("a create without a non-empty Name answers 608 (%j)", async (body) => {
    await refusedCreate(body, 608, /'Name'/);
  });

  test("an edit to an empty Name answers 608", async () => {
    await refusedEdit({ Name: "" }, 608, /'Name'/);
  });

  test("a create whose name exists in another case answers 603", async () => {
    const existing = await pm.create({ Name: "Production" });
    const res = await pm.call("POST", "/servers", { Name: "PRODUCTION" });
    expect(res.status).toBe(422);
    expect(res.json).toEqual(postmarkError(603, /"PRODUCTION".*'Name'/));
    expect(await pm.stored()).toEqual([existing]);
  });

  test("a rename onto another server's name answers 603", async () => {
    await pm.create({ Name: "Taken" });
    await refusedEdit({ Name: "taken" }, 603, /'Name'/);
  });

  test("an inbound domain used by another server answers 602", async () => {
    await pm.create({ Name: "First", InboundDomain: "in.example.com" });
    const res = await pm.call("POST", "/servers", { Name: "Second", InboundDomain: "IN.example.com" });
    expect(res.status).toBe(422);
    expect(res.json).toEqual(postmarkError(602, /'InboundDomain'/));
  });

  test.each(["Pink", "", "Turqoise"])("an unknown color answers 607 on create and edit (%j)", async (color) => {
    await refusedCreate({ Name: "Coloured", Color: color }, 607, /'Color'/);
    await refusedEdit({ Color: color }, 607, /'Color'/);
  });

  test("an edit with an empty body {} answers 609", async () => {
    await refusedEdit({}, 609, /No updated server data/);
  });

  test.each([-5, 1, 7, 31, 35, 100])("an InboundSpamThreshold of %d (not 0..30 in steps of 5) answers 611", async (threshold) => {
    await refusedCreate({ Name: "Spam", InboundSpamThreshold: threshold }, 611, /'InboundSpamThreshold'/);
    await refusedEdit({ InboundSpamThreshold: threshold }, 611, /'InboundSpamThreshold'/);
  });

  test("every InboundSpamThreshold from 0 to 30 in steps of 5 is accepted", async () => {
    for (const threshold of [0, 5, 10, 15, 20, 25, 30]) {
      const created = await pm.create({ Name: `Spam ${threshold}`, InboundSpamThreshold: threshold });
      expect(created.InboundSpamThreshold).toBe(threshold);
    }
  });

  test.each(
    hookFields.flatMap((field) =>
      ["not a url", "/relative/path", "ftp://hooks.example.com/x", "http://localhost:8080/hook", "http://127.0.0.1/hook", "https://10.1.2.3/hook", "http://192.168.1.5/hook"].map(
        (url) => [field, url],
      ),
    ),
  )("%s %j (not an absolute public http(s) URL) answers 606", async (field, url) => {
    await refusedCreate({ Name: "Hooked", [field]: url }, 606, new RegExp(`'${field}'`));
  });

  test.each(hookFields)("%s accepts an empty string and an absolute http(s) URL", async (field) => {
    const created = await pm.create({ Name: "Hooked", [field]: "https://hooks.example.com/x?a=1" });
    expect(created[field as "InboundHookUrl"]).toBe("https://hooks.example.com/x?a=1");
    const edited = await pm.call("PUT", `/servers/${created.ID}`, { [field]: "" });
    expect(edited.status).toBe(200);
    expect(edited.json[field]).toBe("");
  });

  test.each([
    ["DeliveryType", ""],
    ["DeliveryType", "live"],
    ["DeliveryType", "Production"],
    ["TrackLinks", ""],
    ["TrackLinks", "Always"],
    ["TrackLinks", "htmlandtext"],
  ])("an invalid enum value %s=%j answers 403", async (field, value) => {
    await refusedCreate({ Name: "Enum", [field]: value }, 403, new RegExp(`'${field}'`));
  });

  test.each(["Live", "Sandbox"])("DeliveryType %s is accepted on create", async (deliveryType) => {
    expect((await pm.create({ Name: "Delivery", DeliveryType: deliveryType })).DeliveryType).toBe(deliveryType);
  });

  test.each(["Live", "Sandbox"])("DeliveryType in an edit answers 403 even when unchanged (%s)", async (deliveryType) => {
    await refusedEdit({ DeliveryType: deliveryType }, 403, /'DeliveryType' cannot be changed/);
  });

  test.each([
    ["Name", 42],
    ["Color", null],
    ["TrackOpens", "true"],
    ["SmtpApiActivated", 1],
    ["InboundSpamThreshold", "5"],
    ["InboundSpamThreshold", 2.5],
    ["InboundHookUrl", false],
    ["TrackLinks", ["None"]],
  ])("a wrong JSON type %s=%j answers 403", async (field, value) => {
    await refusedCreate({ Name: "Typed", [field]: value }, 403, new RegExp(`'${field}'`));
    await refusedEdit({ [field]: value }, 403, new RegExp(`'${field}'`));
  });

  test.each(["Colour", "ID", "ApiTokens", "InboundHash", "ServerLink", "InboundAddress"])(
    "an unknown or read-only field %s answers 403",
    async (field) => {
      await refusedCreate({ Name: "Extra", [field]: "x" }, 403, new RegExp(`'${field}'`));
      await refusedEdit({ [field]: "x" }, 403, new RegExp(`'${field}'`));
    },
  );

  test.each(['{"Name": "Broken"', "Name=Broken", ""])("a body that is not JSON answers 402 (%j)", async (text) => {
    await refusedCreate(text, 402, /JSON/);
  });

  test("a JSON body that is not an object answers 403", async () => {
    await refusedCreate('["Name"]', 403, /JSON object/);
  });
});

describe("validation of the list query", () => {
  const pm = useEmulator();

  test.each([
    ["", "count"],
    ["?offset=0", "count"],
    ["?count=10", "offset"],
    ["?count=0&offset=0", "count"],
    ["?count=501&offset=0", "count"],
    ["?count=abc&offset=0", "count"],
    ["?count=1.5&offset=0", "count"],
    ["?count=10&offset=-1", "offset"],
    ["?count=10&offset=x", "offset"],
  ])("GET /servers%s answers 600 naming '%s'", async (query, param) => {
    const res = await pm.call("GET", `/servers${query}`);
    expect(res.status).toBe(422);
    expect(res.json).toEqual(postmarkError(600, new RegExp(`'${param}'`)));
  });

  test("count 1 and 500 are the bounds of a valid page", async () => {
    expect((await pm.call("GET", "/servers?count=1&offset=0")).status).toBe(200);
    expect((await pm.call("GET", "/servers?count=500&offset=0")).status).toBe(200);
  });
});
