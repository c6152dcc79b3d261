/**
 * The Sender Signatures API (account token): signatures and the domains they add, confirmation, every refusal,
 * the missing-signature setting, auth, faults, the admin routes, the state file and the official AccountClient.
 */
import { AccountClient, Errors } from "postmark";
import { domainAuthenticationFieldOrder } from "./domainFieldOrder";
import { droppedConnection, okJson, postmarkError, serverTokenHeaders, token, useEmulator, useStateFileEmulator } from "./emulatorHarness";

/** Every field GET /senders/{id} returns, in Postmark's order. */
const signatureFieldOrder = ["Domain", "EmailAddress", "ReplyToEmailAddress", "Name", "Confirmed", ...domainAuthenticationFieldOrder, "ID", "ConfirmationPersonalNote"];

describe("Sender Signatures API", () => {
  const pm = useEmulator();
  const admin = () => pm.admin();
  const create = (body: Record<string, unknown>) => okJson("create", pm.call("POST", "/senders", body));
  const get = async (id: number) => (await pm.call("GET", `/senders/${id}`)).json;
  const jp = { FromEmail: "jp@example.com", Name: "JP Toto" };

  describe("create and get", () => {
    test("a new signature is unconfirmed and shows its new domain's DKIM and Return-Path fields, in Postmark's order", async () => {
      const res = await pm.call("POST", "/senders", { ...jp, ReplyToEmail: "info@example.com", ConfirmationPersonalNote: "From the team" });
      expect(res.status).toBe(200);
      const [domain] = await admin().domains();
      expect(domain).toMatchObject({ ID: 1, Name: "example.com", DKIMUpdateStatus: "Pending" });
      const { Name: _name, ID: _id, ...domainFields } = domain;
      expect(res.json).toEqual({
        Domain: "example.com",
        EmailAddress: "jp@example.com",
        ReplyToEmailAddress: "info@example.com",
        Name: "JP Toto",
        Confirmed: false,
        ...domainFields,
        ID: 1,
        ConfirmationPersonalNote: "From the team",
      });
      expect(Object.keys(res.json)).toEqual(signatureFieldOrder);
      expect(await get(1)).toEqual(res.json);
    });

    test("optional fields left out are empty strings", async () => {
      expect(await create(jp)).toMatchObject({ ReplyToEmailAddress: "", ConfirmationPersonalNote: "", ReturnPathDomain: "" });
    });

    test("a second signature on the domain uses the same domain and its DKIM key", async () => {
      const first = await create(jp);
      const second = await create({ FromEmail: "Support@Example.com", Name: "Support" });
      expect(second).toMatchObject({ Domain: "example.com", EmailAddress: "Support@Example.com", ID: first.ID + 1, DKIMPendingHost: first.DKIMPendingHost });
      expect(await admin().domains()).toHaveLength(1);
    });

    test("a signature on a domain created through /domains shows that domain's state, verification included", async () => {
      const domain = (await pm.call("POST", "/domains", { Name: "example.com" })).json;
      await admin().publishDomainDns(domain.ID, { dkim: true });
      const verified = (await pm.call("PUT", `/domains/${domain.ID}/verifyDkim`)).json;
      expect(await create(jp)).toMatchObject({ DKIMVerified: true, DKIMHost: verified.DKIMHost, DKIMUpdateStatus: "Verified" });
    });

    test("a ReturnPathDomain with its CNAME in place becomes the domain's", async () => {
      await admin().publishReturnPathCname("pm-bounces.example.com");
      const signature = await create({ ...jp, ReturnPathDomain: "pm-bounces.example.com" });
      expect(signature).toMatchObject({ ReturnPathDomain: "pm-bounces.example.com", ReturnPathDomainVerified: false, ReturnPathDomainCNAMEValue: "pm.mtasv.net" });
      expect((await admin().domains())[0].ReturnPathDomain).toBe("pm-bounces.example.com");
    });

    test("a ReturnPathDomain is accepted before its CNAME exists, as on /domains: the domain's starts unverified", async () => {
      const signature = await create({ ...jp, ReturnPathDomain: "return.example.com" });
      expect(signature).toMatchObject({ ReturnPathDomain: "return.example.com", ReturnPathDomainVerified: false });
      expect(await admin().dnsRecords()).toEqual([]);
      expect((await admin().domains())[0].ReturnPathDomain).toBe("return.example.com");
    });

    test("a missing signature is 422 ErrorCode 501 by default; a path that is not an ID is a bare 404", async () => {
      const res = await pm.call("GET", "/senders/42");
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(501, /not found/));
      const notAnId = await pm.call("GET", "/senders/abc");
      expect([notAnId.status, notAnId.text]).toEqual([404, ""]);
    });
  });

  describe("create refusals", () => {
    const long = (n: number) => "x".repeat(n);
    test.each([
      ["no FromEmail", 520, { Name: "JP" }],
      ["no Name", 520, { FromEmail: "jp@example.com" }],
      ["a blank Name", 520, { FromEmail: "jp@example.com", Name: " " }],
      ["a Name over 255 characters", 521, { FromEmail: "jp@example.com", Name: long(256) }],
      ["a ConfirmationPersonalNote over 400 characters", 521, { ...jp, ConfirmationPersonalNote: long(401) }],
      ["a blank ConfirmationPersonalNote", 521, { ...jp, ConfirmationPersonalNote: "  " }],
      ["an empty ConfirmationPersonalNote", 521, { ...jp, ConfirmationPersonalNote: "" }],
      ["a FromEmail without @", 522, { FromEmail: "jp.example.com", Name: "JP" }],
      ["a FromEmail on no domain", 522, { FromEmail: "jp@localhost", Name: "JP" }],
      ["a FromEmail with a display name", 522, { FromEmail: "JP <jp@example.com>", Name: "JP" }],
      ["a bad ReplyToEmail", 522, { ...jp, ReplyToEmail: "info at example.com" }],
      ["a gmail.com address", 503, { FromEmail: "jp@gmail.com", Name: "JP" }],
      ["a Yahoo address in another case", 503, { FromEmail: "jp@Yahoo.com", Name: "JP" }],
      ["a country edition of Hotmail", 503, { FromEmail: "jp@hotmail.co.uk", Name: "JP" }],
      ["an outlook.com address", 503, { FromEmail: "jp@outlook.com", Name: "JP" }],
      ["a ReturnPathDomain outside the From domain", 522, { ...jp, ReturnPathDomain: "rp.example.org" }],
      ["EmailAddress, the response's name, in a request", 403, { EmailAddress: "jp@example.com", Name: "JP" }],
      ["a Name that is not a string", 403, { FromEmail: "jp@example.com", Name: 7 }],
      ["a body that is not an object", 403, "jp@example.com"],
    ])("%s is refused with ErrorCode %s; no signature or domain is made", async (_, errorCode, body) => {
      const res = await pm.call("POST", "/senders", typeof body === "string" ? JSON.stringify(body) : body);
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(errorCode));
      expect(await admin().senders()).toEqual([]);
      expect(await admin().domains()).toEqual([]);
    });

    test("an address that already has a signature, in any case, is 504", async () => {
      await create(jp);
      const res = await pm.call("POST", "/senders", { FromEmail: "JP@example.com", Name: "Again" });
      expect(res.json).toEqual(postmarkError(504, /already exists/));
      expect(await admin().senders()).toHaveLength(1);
    });

    test("a body that is not JSON is 402", async () => {
      expect((await pm.call("POST", "/senders", "")).json).toEqual(postmarkError(402));
    });
  });

  describe("list", () => {
    test("pages with count and offset; TotalCount counts every signature; items carry Postmark's list fields", async () => {
      await create({ ...jp, ReplyToEmail: "info@example.com" });
      await create({ FromEmail: "a@other.example", Name: "A" });
      await create({ FromEmail: "b@other.example", Name: "B" });
      await admin().confirmSenderByHand(1);
      expect((await pm.call("GET", "/senders?count=2&offset=0")).json).toEqual({
        TotalCount: 3,
        SenderSignatures: [
          { Domain: "example.com", EmailAddress: "jp@example.com", ReplyToEmailAddress: "info@example.com", Name: "JP Toto", Confirmed: true, ID: 1 },
          { Domain: "other.example", EmailAddress: "a@other.example", ReplyToEmailAddress: "", Name: "A", Confirmed: false, ID: 2 },
        ],
      });
      expect((await pm.call("GET", "/senders?count=2&offset=2")).json.SenderSignatures.map((s: { ID: number }) => s.ID)).toEqual([3]);
    });

    test.each(["", "?count=1", "?count=501&offset=0", "?count=1&offset=x"])("a bad paging query (%s) is ErrorCode 500", async (query) => {
      const res = await pm.call("GET", `/senders${query}`);
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(500));
    });
  });

  describe("edit", () => {
    test("changes the fields sent; fields left out stay; the From address never changes", async () => {
      const signature = await create({ ...jp, ReplyToEmail: "info@example.com", ConfirmationPersonalNote: "Hello" });
      const res = await pm.call("PUT", `/senders/${signature.ID}`, { Name: "JP" });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ...signature, Name: "JP" });
      const edited = (await pm.call("PUT", `/senders/${signature.ID}`, { Name: "JP", ReplyToEmail: "help@example.com", ConfirmationPersonalNote: "Hi" })).json;
      expect(edited).toEqual({ ...signature, Name: "JP", ReplyToEmailAddress: "help@example.com", ConfirmationPersonalNote: "Hi" });
      expect(await get(signature.ID)).toEqual(edited);
    });

    test('ReplyToEmail "" clears the reply-to address', async () => {
      const signature = await create({ ...jp, ReplyToEmail: "info@example.com" });
      expect((await pm.call("PUT", `/senders/${signature.ID}`, { Name: "JP", ReplyToEmail: "" })).json.ReplyToEmailAddress).toBe("");
    });

    test('ReturnPathDomain sets the domain\'s (CNAME in place), "" clears it, and other signatures of the domain see it', async () => {
      const signature = await create(jp);
      const other = await create({ FromEmail: "other@example.com", Name: "Other" });
      await admin().publishReturnPathCname("rp.example.com");
      expect((await pm.call("PUT", `/senders/${signature.ID}`, { Name: "JP", ReturnPathDomain: "rp.example.com" })).json.ReturnPathDomain).toBe("rp.example.com");
      expect((await get(other.ID)).ReturnPathDomain).toBe("rp.example.com");
      expect((await pm.call("PUT", `/senders/${signature.ID}`, { Name: "JP", ReturnPathDomain: "" })).json.ReturnPathDomain).toBe("");
      expect((await admin().domains())[0].ReturnPathDomain).toBe("");
    });

    test("an edit sets a ReturnPathDomain before its CNAME exists", async () => {
      const signature = await create(jp);
      const res = await pm.call("PUT", `/senders/${signature.ID}`, { Name: "JP", ReturnPathDomain: "return.example.com" });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ...signature, Name: "JP", ReturnPathDomain: "return.example.com" });
    });

    test.each([
      ["an empty edit", 502, {}],
      ["an edit without Name", 520, { ReplyToEmail: "a@example.com" }],
      ["a blank Name", 520, { Name: "" }],
      ["FromEmail", 403, { Name: "JP", FromEmail: "new@example.com" }],
      ["a Name over 255 characters", 521, { Name: "n".repeat(256) }],
      ["a ConfirmationPersonalNote over 400 characters", 521, { Name: "JP", ConfirmationPersonalNote: "n".repeat(401) }],
      ["a bad ReplyToEmail", 522, { Name: "JP", ReplyToEmail: "nope" }],
      ["a ReturnPathDomain outside the From domain", 522, { Name: "JP", ReturnPathDomain: "rp.other.example" }],
      ["a ReplyToEmail that is not a string", 403, { Name: "JP", ReplyToEmail: null }],
    ])("%s is refused with ErrorCode %s and the signature is unchanged", async (_, errorCode, body) => {
      const signature = await create(jp);
      const res = await pm.call("PUT", `/senders/${signature.ID}`, body);
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(errorCode));
      expect(await get(signature.ID)).toEqual(signature);
    });

    test("editing a missing signature is 501", async () => {
      expect((await pm.call("PUT", "/senders/8", { Name: "JP" })).json).toEqual(postmarkError(501));
    });
  });

  describe("delete", () => {
    test("answers Postmark's message; the signature is gone and its domain stays", async () => {
      const signature = await create(jp);
      const res = await pm.call("DELETE", `/senders/${signature.ID}`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ErrorCode: 0, Message: "Signature jp@example.com removed." });
      expect((await pm.call("GET", `/senders/${signature.ID}`)).json).toEqual(postmarkError(501));
      expect((await admin().domains()).map((d) => d.Name)).toEqual(["example.com"]);
    });

    test("deleting its domain deletes the signature", async () => {
      const signature = await create(jp);
      await pm.call("DELETE", "/domains/1");
      expect((await pm.call("GET", `/senders/${signature.ID}`)).json).toEqual(postmarkError(501));
    });

    test("deleting a missing signature is 501", async () => {
      expect((await pm.call("DELETE", "/senders/3")).json).toEqual(postmarkError(501));
    });
  });

  describe("confirmation", () => {
    test("resend answers Postmark's message while unconfirmed; once the link is clicked it is 506", async () => {
      const signature = await create(jp);
      const res = await pm.call("POST", `/senders/${signature.ID}/resend`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ErrorCode: 0, Message: expect.stringContaining("jp@example.com") });
      expect(await admin().confirmSenderByHand(signature.ID)).toMatchObject({ ID: signature.ID, Confirmed: true });
      expect((await get(signature.ID)).Confirmed).toBe(true);
      const again = await pm.call("POST", `/senders/${signature.ID}/resend`);
      expect(again.status).toBe(422);
      expect(again.json).toEqual(postmarkError(506, /already confirmed/));
    });

    test("resending for a missing signature is 501", async () => {
      expect((await pm.call("POST", "/senders/12/resend")).json).toEqual(postmarkError(501));
    });

    test.each(["verifyspf", "verifySpf"])(
      "the deprecated SPF check (POST /senders/{id}/%s, Postmark's and the official client's spelling) answers the signature unchanged; a missing one is 501",
      async (path) => {
        const signature = await create(jp);
        const res = await pm.call("POST", `/senders/${signature.ID}/${path}`);
        expect(res.status).toBe(200);
        expect(res.json).toEqual(signature);
        expect(res.json.SPFVerified).toBe(true);
        expect((await pm.call("POST", `/senders/12/${path}`)).json).toEqual(postmarkError(501));
      },
    );

    test("an edit keeps a signature confirmed", async () => {
      const signature = await create(jp);
      await admin().confirmSenderByHand(signature.ID);
      expect((await pm.call("PUT", `/senders/${signature.ID}`, { Name: "JP" })).json.Confirmed).toBe(true);
    });
  });

  describe("missing signature as 404", () => {
    test("with missingSignature 404, every route answers a missing signature with HTTP 404 and ErrorCode 501 in the body", async () => {
      await admin().senderSettings({ missingSignature: "404" });
      for (const [method, route, body] of [
        ["GET", "/senders/5", undefined],
        ["PUT", "/senders/5", { Name: "JP" }],
        ["DELETE", "/senders/5", undefined],
        ["POST", "/senders/5/resend", undefined],
      ] as const) {
        const res = await pm.call(method, route, body);
        expect([route, res.status, res.json]).toEqual([route, 404, postmarkError(501)]);
      }
      await admin().senderSettings({ missingSignature: "422" });
      expect((await pm.call("GET", "/senders/5")).status).toBe(422);
    });

    test("a bad setting value is refused with 400 and changes nothing", async () => {
      await expect(admin().senderSettings({ missingSignature: "410" as never })).rejects.toThrow(/HTTP 400/);
      expect((await pm.call("GET", "/__emulator/settings/senders")).json).toEqual({ missingSignature: "422" });
    });
  });

  describe("auth", () => {
    test("a server token on the account-level Sender Signatures API is 401 ErrorCode 10, and nothing is created", async () => {
      const { token: serverToken } = await pm.server("Tokens");
      for (const [method, route] of [
        ["POST", "/senders"],
        ["GET", "/senders?count=1&offset=0"],
        ["GET", "/senders/1"],
        ["POST", "/senders/1/resend"],
      ]) {
        const res = await pm.call(method, route, method === "POST" ? jp : undefined, serverTokenHeaders(serverToken));
        expect([route, res.status, res.json.ErrorCode]).toEqual([route, 401, 10]);
      }
      expect(await admin().senders()).toEqual([]);
    });
  });

  describe("faults", () => {
    test("lost-create on POST /senders creates the signature (and its domain), then drops the connection unanswered", async () => {
      await pm.settings({ faults: "lost-create:1" });
      await expect(pm.call("POST", "/senders", jp)).rejects.toThrow(droppedConnection);
      expect((await admin().senders()).map((s) => s.EmailAddress)).toEqual(["jp@example.com"]);
      expect((await admin().domains()).map((d) => d.Name)).toEqual(["example.com"]);
      expect((await admin().requests()).at(-1)).toMatchObject({ method: "POST", path: "/senders", status: 0, fault: "lost-create" });
    });

    test("lost-create never strikes the other signature routes; 500 strikes them before processing", async () => {
      const signature = await create(jp);
      await pm.settings({ faultQueue: ["lost-create", "lost-create", "lost-create", "500"] });
      expect((await pm.call("GET", `/senders/${signature.ID}`)).status).toBe(200);
      expect((await pm.call("PUT", `/senders/${signature.ID}`, { Name: "JP" })).status).toBe(200);
      expect((await pm.call("POST", `/senders/${signature.ID}/resend`)).status).toBe(200);
      const failed = await pm.call("DELETE", `/senders/${signature.ID}`);
      expect([failed.status, failed.json.ErrorCode]).toEqual([500, 0]);
      expect(await admin().senders()).toHaveLength(1);
    });
  });

  describe("admin", () => {
    test("a signature made by hand adds its domain, can be confirmed, edited and deleted by hand", async () => {
      const byHand = await admin().createSenderByHand({ EmailAddress: "Me@Hand.example", Name: "Me" });
      expect(byHand).toEqual({ ID: 1, Domain: "hand.example", EmailAddress: "Me@Hand.example", ReplyToEmailAddress: "", Name: "Me", Confirmed: false, ConfirmationPersonalNote: "" });
      expect((await admin().domains()).map((d) => d.Name)).toEqual(["hand.example"]);
      expect(await get(byHand.ID)).toMatchObject({ EmailAddress: "Me@Hand.example", Domain: "hand.example", Confirmed: false });
      expect(await admin().editSenderByHand(byHand.ID, { Name: "Drifted" })).toMatchObject({ Name: "Drifted" });
      expect((await get(byHand.ID)).Name).toBe("Drifted");
      await admin().deleteSenderByHand(byHand.ID);
      expect(await admin().senders()).toEqual([]);
    });

    test("a confirmed signature can be made by hand; a public-domain one too (the web UI is not the API)", async () => {
      expect(await admin().createSenderByHand({ EmailAddress: "me@gmail.com", Name: "Me", Confirmed: true })).toMatchObject({ Confirmed: true });
    });

    test("refusals: no @, a taken address, an EmailAddress or Domain change, a missing signature", async () => {
      const signature = await create(jp);
      await expect(admin().createSenderByHand({ EmailAddress: "nobody", Name: "N" })).rejects.toThrow(/HTTP 400/);
      await expect(admin().createSenderByHand({ EmailAddress: "JP@example.com", Name: "N" })).rejects.toThrow(/HTTP 400/);
      await expect(admin().editSenderByHand(signature.ID, { EmailAddress: "x@example.com" })).rejects.toThrow(/HTTP 400/);
      await expect(admin().editSenderByHand(signature.ID, { Domain: "other.example" })).rejects.toThrow(/HTTP 400/);
      await expect(admin().confirmSenderByHand(99)).rejects.toThrow(/HTTP 404/);
      await expect(admin().deleteSenderByHand(99)).rejects.toThrow(/HTTP 404/);
    });
  });
});

describe("sender signatures in the state file", () => {
  const { start, stop, api, readState } = useStateFileEmulator("postmark-emulator-senders-");

  test("signatures, their confirmation, their domains and the next ID survive a restart", async () => {
    await start();
    const kept = (await api("POST", "/senders", { FromEmail: "kept@example.com", Name: "Kept", ReplyToEmail: "r@example.com" })).json;
    await api("POST", `/__emulator/senders/${kept.ID}/confirm`);
    const dropped = (await api("POST", "/senders", { FromEmail: "dropped@example.com", Name: "Dropped" })).json;
    await api("DELETE", `/senders/${dropped.ID}`);
    const before = (await api("GET", `/senders/${kept.ID}`)).json;
    const state = readState();
    expect(state).toMatchObject({ nextDomainId: 2, domains: [expect.objectContaining({ Name: "example.com" })], nextSenderSignatureId: 3 });
    expect(state.senderSignatures).toEqual([expect.objectContaining({ ID: kept.ID, Confirmed: true })]);
    await stop();

    await start();
    expect(before.Confirmed).toBe(true);
    expect((await api("GET", `/senders/${kept.ID}`)).json).toEqual(before);
    expect((await api("POST", "/senders", { FromEmail: "next@example.com", Name: "Next" })).json.ID).toBe(dropped.ID + 1);
  });
});

describe("the official postmark AccountClient on sender signatures", () => {
  const pm = useEmulator();
  const client = () => new AccountClient(token, pm.officialClientOptions());

  test("creates, gets, lists, edits, resends the confirmation of, checks the SPF of, and deletes a signature", async () => {
    const created = await client().createSenderSignature({ FromEmail: "client@example.com", Name: "Client", ReplyToEmail: "reply@example.com" });
    expect(created).toMatchObject({ EmailAddress: "client@example.com", ReplyToEmailAddress: "reply@example.com", Domain: "example.com", Confirmed: false });
    expect(await client().getSenderSignature(created.ID)).toEqual(created);
    expect(await client().getSenderSignatures()).toEqual({ TotalCount: 1, SenderSignatures: [expect.objectContaining({ ID: created.ID, EmailAddress: "client@example.com" })] });

    const edited = await client().editSenderSignature(created.ID, { Name: "Client 2", ConfirmationPersonalNote: "Please confirm" });
    expect(edited).toEqual({ ...created, Name: "Client 2", ConfirmationPersonalNote: "Please confirm" });

    expect((await client().resendSenderSignatureConfirmation(created.ID)).ErrorCode).toBe(0);
    expect(await client().verifySenderSignatureSPF(created.ID)).toEqual(edited);
    expect(await client().deleteSenderSignature(created.ID)).toEqual({ ErrorCode: 0, Message: "Signature client@example.com removed." });
    expect(await pm.admin().senders()).toEqual([]);
  });

  test("a missing signature surfaces as ApiInputError (422) by default, and as a PostmarkError with status 404 in 404 mode, ErrorCode 501 both", async () => {
    const as422 = await client().getSenderSignature(404).catch((e: unknown) => e);
    expect(as422).toBeInstanceOf(Errors.ApiInputError);
    expect(as422).toMatchObject({ statusCode: 422, code: 501 });
    await pm.admin().senderSettings({ missingSignature: "404" });
    const as404 = await client().getSenderSignature(404).catch((e: unknown) => e);
    expect((as404 as Error).constructor).toBe(Errors.PostmarkError);
    expect(as404).toMatchObject({ statusCode: 404, code: 501 });
  });

  test("a public domain surfaces as ApiInputError with ErrorCode 503; resending a confirmed one as 506", async () => {
    expect(await client().createSenderSignature({ FromEmail: "me@gmail.com", Name: "Me" }).catch((e: unknown) => e)).toMatchObject({ statusCode: 422, code: 503 });
    const created = await client().createSenderSignature({ FromEmail: "me@example.com", Name: "Me" });
    await pm.admin().confirmSenderByHand(created.ID);
    expect(await client().resendSenderSignatureConfirmation(created.ID).catch((e: unknown) => e)).toMatchObject({ statusCode: 422, code: 506 });
  });
});
