/**
 * The Domains API (account token): records, DKIM and Return-Path verification against the emulator's DNS, key
 * rotation, every refusal, auth, faults, the admin routes, the state file and the official AccountClient.
 */
import { createPublicKey } from "node:crypto";
import * as fs from "node:fs";
import { AccountClient, Errors } from "postmark";
import { EmulatorAdmin } from "../support/emulatorAdmin";
import { dkimFieldOrder, domainAuthenticationFieldOrder } from "./domainFieldOrder";
import { droppedConnection, okJson, postmarkError, serverTokenHeaders, token, useEmulator, useStateFileEmulator } from "./emulatorHarness";

const dkimHost = (domain: string) => expect.stringMatching(new RegExp(`^\\d{14}pm\\._domainkey\\.${domain.replace(/\./g, "\\.")}$`));
const dkimValue = expect.stringMatching(/^k=rsa;p=MIGf[A-Za-z0-9+/]+=*$/);

/** Every field GET /domains/{id} returns, in Postmark's order. */
const domainFieldOrder = ["Name", ...domainAuthenticationFieldOrder, "ID"];

describe("Domains API", () => {
  const pm = useEmulator();
  const admin = () => pm.admin();
  const create = (body: Record<string, unknown>) => okJson("create", pm.call("POST", "/domains", body));
  const get = async (id: number) => (await pm.call("GET", `/domains/${id}`)).json;
  /** A domain whose first DKIM key is published and verified. */
  const verifiedDomain = async (name: string) => {
    const domain = await create({ Name: name });
    await admin().publishDomainDns(domain.ID, { dkim: true });
    return (await pm.call("PUT", `/domains/${domain.ID}/verifyDkim`)).json;
  };

  describe("create and get", () => {
    test("a new domain has a pending DKIM key to publish, no active key, and unverified flags, in Postmark's field order", async () => {
      const res = await pm.call("POST", "/domains", { Name: "Example.com" });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        Name: "example.com",
        SPFVerified: true,
        SPFHost: "example.com",
        SPFTextValue: "v=spf1 a mx include:spf.mtasv.net ~all",
        DKIMVerified: false,
        WeakDKIM: false,
        DKIMHost: "",
        DKIMTextValue: "",
        DKIMPendingHost: dkimHost("example.com"),
        DKIMPendingTextValue: dkimValue,
        DKIMRevokedHost: "",
        DKIMRevokedTextValue: "",
        SafeToRemoveRevokedKeyFromDNS: false,
        DKIMUpdateStatus: "Pending",
        ReturnPathDomain: "",
        ReturnPathDomainVerified: false,
        ReturnPathDomainCNAMEValue: "pm.mtasv.net",
        ID: 1,
      });
      expect(Object.keys(res.json)).toEqual(domainFieldOrder);
      expect(await get(1)).toEqual(res.json);
    });

    test("the pending DKIM value is a real 1024-bit RSA public key, and each domain gets its own", async () => {
      const a = await create({ Name: "a.example" });
      const b = await create({ Name: "b.example" });
      const key = createPublicKey({ key: Buffer.from(a.DKIMPendingTextValue.replace("k=rsa;p=", ""), "base64"), format: "der", type: "spki" });
      expect(key.asymmetricKeyDetails?.modulusLength).toBe(1024);
      expect(a.DKIMPendingTextValue).not.toBe(b.DKIMPendingTextValue);
    });

    test("IDs count up and are never reused after a delete", async () => {
      const first = await create({ Name: "one.example" });
      await pm.call("DELETE", `/domains/${first.ID}`);
      expect((await create({ Name: "two.example" })).ID).toBe(first.ID + 1);
    });

    test("a ReturnPathDomain whose CNAME to pm.mtasv.net is published is kept, in lower case, and starts unverified", async () => {
      await admin().publishReturnPathCname("pm-bounces.example.com");
      const domain = await create({ Name: "example.com", ReturnPathDomain: "PM-Bounces.example.com" });
      expect(domain).toMatchObject({ ReturnPathDomain: "pm-bounces.example.com", ReturnPathDomainVerified: false });
    });

    test("a ReturnPathDomain is accepted before its CNAME exists, as Postmark does: it starts unverified, and verifyReturnPath checks the CNAME", async () => {
      const domain = await create({ Name: "example.com", ReturnPathDomain: "return.example.com" });
      expect(domain).toMatchObject({ ReturnPathDomain: "return.example.com", ReturnPathDomainVerified: false });
      expect(await admin().dnsRecords()).toEqual([]);
      expect((await pm.call("PUT", `/domains/${domain.ID}/verifyReturnPath`)).json).toEqual(domain);
      await admin().publishReturnPathCname("return.example.com");
      expect((await pm.call("PUT", `/domains/${domain.ID}/verifyReturnPath`)).json).toEqual({ ...domain, ReturnPathDomainVerified: true });
    });

    test("an empty ReturnPathDomain means none", async () => {
      expect((await create({ Name: "example.com", ReturnPathDomain: "" })).ReturnPathDomain).toBe("");
    });

    test("a missing domain is 422 ErrorCode 510; a path that is not an ID is a bare 404", async () => {
      const res = await pm.call("GET", "/domains/42");
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(510, /not found/));
      const notAnId = await pm.call("GET", "/domains/abc");
      expect([notAnId.status, notAnId.text]).toEqual([404, ""]);
    });
  });

  describe("create refusals", () => {
    test.each([
      ["no Name", 514, {}],
      ["a blank Name", 514, { Name: "  " }],
      ["a Name over 255 characters", 515, { Name: `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(60)}.com` }],
      ["a single label", 516, { Name: "localhost" }],
      ["a space", 516, { Name: "exa mple.com" }],
      ["a label starting with a hyphen", 516, { Name: "-example.com" }],
      ["a URL", 516, { Name: "https://example.com" }],
      ["an email address", 516, { Name: "me@example.com" }],
      ["a numeric top-level label", 516, { Name: "example.123" }],
      ["a ReturnPathDomain outside the domain", 511, { Name: "example.com", ReturnPathDomain: "bounces.example.org" }],
      ["the domain itself as ReturnPathDomain", 511, { Name: "example.com", ReturnPathDomain: "example.com" }],
      ["an unknown field", 403, { Name: "example.com", ID: 3 }],
      ["a Name that is not a string", 403, { Name: 5 }],
      ["a null ReturnPathDomain", 403, { Name: "example.com", ReturnPathDomain: null }],
      ["a body that is not an object", 403, ["example.com"]],
    ])("%s is refused with ErrorCode %s and nothing is created", async (_, errorCode, body) => {
      const res = await pm.call("POST", "/domains", body);
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(errorCode));
      expect(await admin().domains()).toEqual([]);
    });

    test("a body that is not JSON is 402", async () => {
      expect((await pm.call("POST", "/domains", "{oops")).json).toEqual(postmarkError(402));
    });

    test("a name already in the account, in any case, is 512", async () => {
      await create({ Name: "example.com" });
      const res = await pm.call("POST", "/domains", { Name: "EXAMPLE.com" });
      expect(res.json).toEqual(postmarkError(512, /already exists/));
      expect(await admin().domains()).toHaveLength(1);
    });

    test("a domain added by a sender signature is already in the account (512)", async () => {
      await pm.call("POST", "/senders", { FromEmail: "jp@example.com", Name: "JP" });
      expect((await pm.call("POST", "/domains", { Name: "example.com" })).json).toEqual(postmarkError(512));
    });
  });

  describe("list", () => {
    test("pages with count and offset; TotalCount counts every domain; items carry Postmark's list fields", async () => {
      for (const name of ["a.example", "b.example", "c.example"]) await create({ Name: name });
      const res = await pm.call("GET", "/domains?count=2&offset=1");
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        TotalCount: 3,
        Domains: [
          { Name: "b.example", SPFVerified: true, DKIMVerified: false, WeakDKIM: false, ReturnPathDomainVerified: false, ID: 2 },
          { Name: "c.example", SPFVerified: true, DKIMVerified: false, WeakDKIM: false, ReturnPathDomainVerified: false, ID: 3 },
        ],
      });
      expect((await pm.call("GET", "/domains?Count=500&OFFSET=0")).json.Domains).toHaveLength(3);
    });

    test.each(["", "?count=10", "?offset=0", "?count=0&offset=0", "?count=501&offset=0", "?count=10&offset=-1", "?count=ten&offset=0", "?count=1.5&offset=0"])(
      "a bad paging query (%s) is ErrorCode 500",
      async (query) => {
        const res = await pm.call("GET", `/domains${query}`);
        expect(res.status).toBe(422);
        expect(res.json).toEqual(postmarkError(500, /count|offset/));
      },
    );
  });

  describe("edit", () => {
    test("sets a ReturnPathDomain with its CNAME in place; the rest of the domain is unchanged", async () => {
      const domain = await create({ Name: "example.com" });
      await admin().publishReturnPathCname("pm-bounces.example.com");
      const res = await pm.call("PUT", `/domains/${domain.ID}`, { ReturnPathDomain: "pm-bounces.example.com" });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ...domain, ReturnPathDomain: "pm-bounces.example.com" });
      expect(await get(domain.ID)).toEqual(res.json);
    });

    test("sets a ReturnPathDomain before its CNAME exists, as the official client's editDomain test does; it starts unverified", async () => {
      const domain = await create({ Name: "example.com" });
      const res = await pm.call("PUT", `/domains/${domain.ID}`, { ReturnPathDomain: "return.example.com" });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ...domain, ReturnPathDomain: "return.example.com", ReturnPathDomainVerified: false });
      expect(await get(domain.ID)).toEqual(res.json);
    });

    test('"" clears the ReturnPathDomain, and a new one starts unverified', async () => {
      await admin().publishReturnPathCname("rp1.example.com");
      await admin().publishReturnPathCname("rp2.example.com");
      const domain = await create({ Name: "example.com", ReturnPathDomain: "rp1.example.com" });
      expect((await pm.call("PUT", `/domains/${domain.ID}/verifyReturnPath`)).json.ReturnPathDomainVerified).toBe(true);
      expect((await pm.call("PUT", `/domains/${domain.ID}`, { ReturnPathDomain: "rp2.example.com" })).json).toMatchObject({
        ReturnPathDomain: "rp2.example.com",
        ReturnPathDomainVerified: false,
      });
      expect((await pm.call("PUT", `/domains/${domain.ID}`, { ReturnPathDomain: "" })).json).toMatchObject({ ReturnPathDomain: "", ReturnPathDomainVerified: false });
    });

    test("the same ReturnPathDomain again keeps its verification", async () => {
      await admin().publishReturnPathCname("rp.example.com");
      const domain = await create({ Name: "example.com", ReturnPathDomain: "rp.example.com" });
      await pm.call("PUT", `/domains/${domain.ID}/verifyReturnPath`);
      expect((await pm.call("PUT", `/domains/${domain.ID}`, { ReturnPathDomain: "rp.example.com" })).json.ReturnPathDomainVerified).toBe(true);
    });

    test.each([
      ["an empty edit", 511, {}],
      ["the Name", 511, { Name: "other.com" }],
      ["the Name beside a ReturnPathDomain", 511, { Name: "example.com", ReturnPathDomain: "" }],
      ["a ReturnPathDomain outside the domain", 511, { ReturnPathDomain: "rp.other.com" }],
      ["an unknown field", 403, { Color: "red" }],
      ["a ReturnPathDomain that is not a string", 403, { ReturnPathDomain: false }],
    ])("%s is refused with ErrorCode %s and the domain is unchanged", async (_, errorCode, body) => {
      const domain = await create({ Name: "example.com" });
      const res = await pm.call("PUT", `/domains/${domain.ID}`, body);
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(errorCode));
      expect(await get(domain.ID)).toEqual(domain);
    });

    test("editing a missing domain is 510", async () => {
      expect((await pm.call("PUT", "/domains/9", { ReturnPathDomain: "" })).json).toEqual(postmarkError(510));
    });
  });

  describe("delete", () => {
    test("answers Postmark's message; the domain and its sender signatures are gone", async () => {
      const domain = await create({ Name: "example.com" });
      await pm.call("POST", "/senders", { FromEmail: "jp@example.com", Name: "JP" });
      await pm.call("POST", "/senders", { FromEmail: "jp@other.com", Name: "JP" });
      const res = await pm.call("DELETE", `/domains/${domain.ID}`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ErrorCode: 0, Message: "Domain example.com removed." });
      expect((await pm.call("GET", `/domains/${domain.ID}`)).json).toEqual(postmarkError(510));
      expect((await admin().senders()).map((s) => s.EmailAddress)).toEqual(["jp@other.com"]);
    });

    test("deleting a missing domain is 510", async () => {
      expect((await pm.call("DELETE", "/domains/3")).json).toEqual(postmarkError(510));
    });
  });

  describe("DKIM verification", () => {
    test("without the TXT record in DNS, verifyDkim answers the domain unchanged (it does not fail)", async () => {
      const domain = await create({ Name: "example.com" });
      const res = await pm.call("PUT", `/domains/${domain.ID}/verifyDkim`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual(domain);
    });

    test("a TXT record with another value does not verify", async () => {
      const domain = await create({ Name: "example.com" });
      await admin().publishDnsRecord("TXT", domain.DKIMPendingHost, "k=rsa;p=somethingelse");
      expect((await pm.call("PUT", `/domains/${domain.ID}/verifyDkim`)).json.DKIMVerified).toBe(false);
    });

    test("with the pending key published, the key becomes the active one and DKIMVerified is true", async () => {
      const domain = await create({ Name: "example.com" });
      expect(await admin().publishDomainDns(domain.ID, { dkim: true })).toEqual({ dkim: true, returnPath: false });
      const res = await pm.call("PUT", `/domains/${domain.ID}/verifyDkim`);
      expect(res.json).toEqual({
        ...domain,
        DKIMVerified: true,
        DKIMHost: domain.DKIMPendingHost,
        DKIMTextValue: domain.DKIMPendingTextValue,
        DKIMPendingHost: "",
        DKIMPendingTextValue: "",
        DKIMUpdateStatus: "Verified",
      });
      expect(await get(domain.ID)).toEqual(res.json);
    });

    test("DKIMVerified stays true after the record leaves DNS, as Postmark's does", async () => {
      const domain = await verifiedDomain("example.com");
      expect(await admin().publishDomainDns(domain.ID, { dkim: false })).toEqual({ dkim: false, returnPath: false });
      expect((await pm.call("PUT", `/domains/${domain.ID}/verifyDkim`)).json).toEqual(domain);
    });

    test("verifying a missing domain is 510", async () => {
      expect((await pm.call("PUT", "/domains/5/verifyDkim")).json).toEqual(postmarkError(510));
    });
  });

  describe("Return-Path verification", () => {
    test("verified once the CNAME points to pm.mtasv.net; unchanged before; still verified after the CNAME goes", async () => {
      await admin().publishReturnPathCname("pm-bounces.example.com");
      const domain = await create({ Name: "example.com", ReturnPathDomain: "pm-bounces.example.com" });
      await admin().publishDomainDns(domain.ID, { returnPath: false });
      expect((await pm.call("PUT", `/domains/${domain.ID}/verifyReturnPath`)).json).toEqual(domain);

      expect(await admin().publishDomainDns(domain.ID, { returnPath: true })).toEqual({ dkim: false, returnPath: true });
      const verified = await pm.call("PUT", `/domains/${domain.ID}/verifyReturnPath`);
      expect(verified.json).toEqual({ ...domain, ReturnPathDomainVerified: true });

      await admin().publishDomainDns(domain.ID, { returnPath: false });
      expect((await pm.call("PUT", `/domains/${domain.ID}/verifyReturnPath`)).json.ReturnPathDomainVerified).toBe(true);
    });

    test("a CNAME that points elsewhere does not verify", async () => {
      await admin().publishDnsRecord("CNAME", "pm-bounces.example.com", "bounces.elsewhere.net");
      const domain = await create({ Name: "example.com", ReturnPathDomain: "pm-bounces.example.com" });
      expect((await pm.call("PUT", `/domains/${domain.ID}/verifyReturnPath`)).json.ReturnPathDomainVerified).toBe(false);
    });

    test("a wildcard CNAME (*.example.com) answers for a Return-Path domain that has no record of its own, as a resolver does", async () => {
      await admin().publishDnsRecord("CNAME", "*.example.com", "pm.mtasv.net");
      const domain = await create({ Name: "example.com", ReturnPathDomain: "pm-bounces.example.com" });
      expect(await admin().domainDns(domain.ID)).toEqual({ dkim: false, returnPath: true });
      expect((await pm.call("PUT", `/domains/${domain.ID}/verifyReturnPath`)).json.ReturnPathDomainVerified).toBe(true);
    });

    test("a wildcard does not answer for a name that has records of its own, nor below a name closer than the wildcard's (RFC 4592)", async () => {
      await admin().publishDnsRecord("CNAME", "*.example.com", "pm.mtasv.net");
      await admin().publishDnsRecord("TXT", "rp.example.com", "v=spf1 -all");
      await admin().publishDnsRecord("TXT", "mail.example.com", "v=spf1 -all");
      const domain = await create({ Name: "example.com", ReturnPathDomain: "rp.example.com" });
      expect((await pm.call("PUT", `/domains/${domain.ID}/verifyReturnPath`)).json.ReturnPathDomainVerified).toBe(false);
      await pm.call("PUT", `/domains/${domain.ID}`, { ReturnPathDomain: "bounces.mail.example.com" });
      expect((await pm.call("PUT", `/domains/${domain.ID}/verifyReturnPath`)).json.ReturnPathDomainVerified).toBe(false);
      await pm.call("PUT", `/domains/${domain.ID}`, { ReturnPathDomain: "bounces.other.example.com" });
      expect((await pm.call("PUT", `/domains/${domain.ID}/verifyReturnPath`)).json.ReturnPathDomainVerified).toBe(true);
    });

    test("a domain without a ReturnPathDomain answers unchanged; a missing domain is 510", async () => {
      const domain = await create({ Name: "example.com" });
      expect((await pm.call("PUT", `/domains/${domain.ID}/verifyReturnPath`)).json).toEqual(domain);
      expect((await pm.call("PUT", "/domains/77/verifyReturnPath")).json).toEqual(postmarkError(510));
    });
  });

  describe("SPF verification (deprecated)", () => {
    test.each(["verifyspf", "verifySPF"])(
      "POST /domains/{id}/%s (Postmark's and the official client's spelling) answers the domain unchanged, SPF verified; a missing domain is 510",
      async (path) => {
        const domain = await create({ Name: "example.com" });
        const res = await pm.call("POST", `/domains/${domain.ID}/${path}`);
        expect(res.status).toBe(200);
        expect(res.json).toEqual(domain);
        expect(res.json.SPFVerified).toBe(true);
        expect((await pm.call("POST", `/domains/77/${path}`)).json).toEqual(postmarkError(510));
      },
    );
  });

  describe("DKIM rotation", () => {
    const dkimPart = ["Name", ...dkimFieldOrder, "ID"];

    test("a verified domain gets a new pending key; the answer is the DKIM part of the domain; the active key stays", async () => {
      const domain = await verifiedDomain("example.com");
      const res = await pm.call("POST", `/domains/${domain.ID}/rotatedkim`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.json)).toEqual(dkimPart);
      expect(res.json).toMatchObject({
        DKIMHost: domain.DKIMHost,
        DKIMTextValue: domain.DKIMTextValue,
        DKIMPendingHost: dkimHost("example.com"),
        DKIMPendingTextValue: dkimValue,
        DKIMUpdateStatus: "Pending",
        DKIMVerified: true,
      });
      expect(res.json.DKIMPendingHost).not.toBe(domain.DKIMHost);
      expect(res.json.DKIMPendingTextValue).not.toBe(domain.DKIMTextValue);
      expect(await get(domain.ID)).toMatchObject(res.json);
    });

    test("once the new key is published and verified it is active and the old one is revoked", async () => {
      const domain = await verifiedDomain("example.com");
      const rotated = (await pm.call("POST", `/domains/${domain.ID}/rotatedkim`)).json;
      expect((await pm.call("PUT", `/domains/${domain.ID}/verifyDkim`)).json.DKIMUpdateStatus).toBe("Pending");
      expect(await admin().domainDns(domain.ID)).toEqual({ dkim: false, returnPath: false });
      await admin().publishDomainDns(domain.ID, { dkim: true });
      expect((await pm.call("PUT", `/domains/${domain.ID}/verifyDkim`)).json).toMatchObject({
        DKIMHost: rotated.DKIMPendingHost,
        DKIMTextValue: rotated.DKIMPendingTextValue,
        DKIMPendingHost: "",
        DKIMRevokedHost: domain.DKIMHost,
        DKIMRevokedTextValue: domain.DKIMTextValue,
        SafeToRemoveRevokedKeyFromDNS: false,
        DKIMUpdateStatus: "Verified",
      });
    });

    test("a rotation while a key awaits verification is 505: a new domain, or right after a rotation", async () => {
      const fresh = await create({ Name: "fresh.example" });
      expect((await pm.call("POST", `/domains/${fresh.ID}/rotatedkim`)).json).toEqual(postmarkError(505));
      const domain = await verifiedDomain("example.com");
      const rotated = (await pm.call("POST", `/domains/${domain.ID}/rotatedkim`)).json;
      const again = await pm.call("POST", `/domains/${domain.ID}/rotatedkim`);
      expect(again.status).toBe(422);
      expect(again.json).toEqual(postmarkError(505));
      expect((await get(domain.ID)).DKIMPendingHost).toBe(rotated.DKIMPendingHost);
    });

    test("a DKIM state that failed cannot be rotated (508); a missing domain is 510", async () => {
      const domain = await verifiedDomain("example.com");
      await admin().editDomainByHand(domain.ID, { DKIMUpdateStatus: "Failed" });
      expect((await pm.call("POST", `/domains/${domain.ID}/rotatedkim`)).json).toEqual(postmarkError(508));
      expect((await pm.call("POST", "/domains/99/rotatedkim")).json).toEqual(postmarkError(510));
    });
  });

  describe("auth", () => {
    test("a server token on the account-level Domains API is 401 ErrorCode 10, and nothing is created", async () => {
      const { token: serverToken } = await pm.server("Tokens");
      for (const [method, route] of [
        ["POST", "/domains"],
        ["GET", "/domains?count=1&offset=0"],
        ["GET", "/domains/1"],
        ["PUT", "/domains/1/verifyDkim"],
      ]) {
        const res = await pm.call(method, route, method === "POST" ? { Name: "example.com" } : undefined, serverTokenHeaders(serverToken));
        expect([route, res.status, res.json.ErrorCode]).toEqual([route, 401, 10]);
      }
      expect((await pm.call("GET", "/domains/1", undefined, { "X-Postmark-Account-Token": "wrong" })).status).toBe(401);
      expect(await admin().domains()).toEqual([]);
    });
  });

  describe("faults and the request log", () => {
    test("lost-create on POST /domains creates the domain, then drops the connection unanswered", async () => {
      await pm.settings({ faults: "lost-create:1" });
      await expect(pm.call("POST", "/domains", { Name: "ghost.example" })).rejects.toThrow(droppedConnection);
      expect((await admin().domains()).map((d) => d.Name)).toEqual(["ghost.example"]);
      expect((await admin().requests()).at(-1)).toMatchObject({ method: "POST", path: "/domains", status: 0, fault: "lost-create" });
    });

    test("lost-create never strikes the other domain routes", async () => {
      const domain = await create({ Name: "example.com" });
      await pm.settings({ faultQueue: ["lost-create", "lost-create", "lost-create", "lost-create", "lost-create"] });
      for (const [method, route] of [
        ["GET", `/domains/${domain.ID}`],
        ["PUT", `/domains/${domain.ID}/verifyDkim`],
        ["PUT", `/domains/${domain.ID}/verifyReturnPath`],
        ["PUT", `/domains/${domain.ID}`],
        ["DELETE", `/domains/${domain.ID}`],
      ]) {
        const res = await pm.call(method, route, method === "PUT" && !route.includes("verify") ? { ReturnPathDomain: "" } : undefined);
        expect([route, res.status]).toEqual([route, 200]);
      }
    });

    test("429 and 503 answer before anything is created; the log records each request with its fault", async () => {
      await admin().clearRequests();
      await pm.settings({ faultQueue: ["429", "503", "reset", "none"] });
      expect((await pm.call("POST", "/domains", { Name: "example.com" })).status).toBe(429);
      expect((await pm.call("POST", "/domains", { Name: "example.com" })).json).toEqual(postmarkError(100));
      await expect(pm.call("POST", "/domains", { Name: "example.com" })).rejects.toThrow(droppedConnection);
      expect(await admin().domains()).toEqual([]);
      expect((await pm.call("POST", "/domains/", { Name: "example.com" })).status).toBe(200);
      expect((await admin().requests()).map((r) => [r.path, r.status, r.fault])).toEqual([
        ["/domains", 429, "429"],
        ["/domains", 503, "503"],
        ["/domains", 0, "reset"],
        ["/domains/", 200, null],
      ]);
    });

    test("latency applies to the domain routes", async () => {
      await pm.settings({ latencyMs: 150 });
      const started = Date.now();
      await pm.call("GET", "/domains?count=1&offset=0");
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });
  });

  describe("admin", () => {
    test("a domain made by hand gets an ID and a pending key; hand edits bypass the rules; hand deletes take its signatures", async () => {
      const byHand = await admin().createDomainByHand({ Name: "Hand.example", ReturnPathDomain: "rp.hand.example" });
      expect(byHand).toMatchObject({ ID: 1, Name: "hand.example", ReturnPathDomain: "rp.hand.example", DKIMPendingHost: dkimHost("hand.example") });
      expect(await get(byHand.ID)).toEqual(byHand);
      expect(await admin().editDomainByHand(byHand.ID, { ReturnPathDomainVerified: true })).toMatchObject({ ReturnPathDomainVerified: true });
      await admin().createSenderByHand({ EmailAddress: "me@hand.example", Name: "Me" });
      await admin().deleteDomainByHand(byHand.ID);
      expect(await admin().domains()).toEqual([]);
      expect(await admin().senders()).toEqual([]);
    });

    test("refusals: a taken name, an ID or Name change, a missing domain, a Return-Path switch without a ReturnPathDomain, a bad DNS type", async () => {
      const domain = await create({ Name: "example.com" });
      await expect(admin().createDomainByHand({ Name: "example.com" })).rejects.toThrow(/HTTP 400/);
      await expect(admin().editDomainByHand(domain.ID, { Name: "other.com" })).rejects.toThrow(/HTTP 400/);
      await expect(admin().editDomainByHand(99, {})).rejects.toThrow(/HTTP 404/);
      await expect(admin().deleteDomainByHand(99)).rejects.toThrow(/HTTP 404/);
      await expect(admin().publishDomainDns(domain.ID, { returnPath: true })).rejects.toThrow(/HTTP 400.*ReturnPathDomain/);
      await expect(admin().publishDomainDns(domain.ID, { dkim: "yes" as never })).rejects.toThrow(/HTTP 400/);
      await expect(admin().publishDnsRecord("MX" as never, "example.com", "mx.example.com")).rejects.toThrow(/HTTP 400/);
      await expect(admin().removeDnsRecord("TXT", "nothing.example.com")).rejects.toThrow(/HTTP 404/);
    });

    test("the DNS switch publishes and removes exactly the records Postmark asks for", async () => {
      await admin().publishReturnPathCname("rp.example.com");
      const domain = await create({ Name: "example.com", ReturnPathDomain: "rp.example.com" });
      await admin().publishDomainDns(domain.ID, { dkim: false, returnPath: false });
      expect(await admin().dnsRecords()).toEqual([]);
      expect(await admin().publishDomainDns(domain.ID)).toEqual({ dkim: true, returnPath: true });
      expect(await admin().dnsRecords()).toEqual(
        expect.arrayContaining([
          { Host: domain.DKIMPendingHost, Type: "TXT", Value: domain.DKIMPendingTextValue },
          { Host: "rp.example.com", Type: "CNAME", Value: "pm.mtasv.net" },
        ]),
      );
      expect(await admin().dnsRecords()).toHaveLength(2);
    });

    test("admin calls are not in the request log and never faulted", async () => {
      await admin().clearRequests();
      await pm.settings({ faults: "500:1" });
      const domain = await admin().createDomainByHand({ Name: "example.com" });
      await admin().publishDomainDns(domain.ID, { dkim: true });
      await admin().domainDns(domain.ID);
      expect(await admin().requests()).toEqual([]);
    });
  });
});

describe("domains in the state file", () => {
  const { stateFile, emulator, start, stop, api, readState } = useStateFileEmulator("postmark-emulator-domains-");

  test("domains, their verification, the DNS and the next ID survive a restart", async () => {
    await start();
    const admin = new EmulatorAdmin(emulator!.url);
    await admin.publishReturnPathCname("rp.kept.example");
    const kept = (await api("POST", "/domains", { Name: "kept.example", ReturnPathDomain: "rp.kept.example" })).json;
    await admin.publishDomainDns(kept.ID, { dkim: true });
    await api("PUT", `/domains/${kept.ID}/verifyDkim`);
    const dropped = (await api("POST", "/domains", { Name: "dropped.example" })).json;
    await api("DELETE", `/domains/${dropped.ID}`);
    const before = (await api("GET", `/domains/${kept.ID}`)).json;
    const dnsBefore = await admin.dnsRecords();
    const state = readState();
    expect(state).toMatchObject({ nextDomainId: 3, domains: [before], dnsRecords: dnsBefore });
    await stop();

    await start();
    expect(before.DKIMVerified).toBe(true);
    expect((await api("GET", `/domains/${kept.ID}`)).json).toEqual(before);
    expect(await new EmulatorAdmin(emulator!.url).dnsRecords()).toEqual(dnsBefore);
    expect((await api("POST", "/domains", { Name: "next.example" })).json.ID).toBe(dropped.ID + 1);
  });

  test("a state file from before domains loads, and stays without domain keys until one is made", async () => {
    fs.writeFileSync(stateFile, JSON.stringify({ nextId: 2, servers: [] }));
    await start();
    expect((await api("GET", "/domains?count=10&offset=0")).json).toEqual({ TotalCount: 0, Domains: [] });
    await api("POST", "/servers", { Name: "S" });
    expect(Object.keys(JSON.parse(fs.readFileSync(stateFile, "utf8")))).toEqual(["nextId", "servers"]);
  });
});

describe("the official postmark AccountClient on domains", () => {
  const pm = useEmulator();
  const client = () => new AccountClient(token, pm.officialClientOptions());

  test("creates, gets, lists, edits, verifies, rotates and deletes a domain", async () => {
    const created = await client().createDomain({ Name: "client.example" });
    expect(created).toMatchObject({ Name: "client.example", DKIMUpdateStatus: "Pending", ReturnPathDomainCNAMEValue: "pm.mtasv.net" });
    expect(await client().getDomain(created.ID)).toEqual(created);
    expect(await client().getDomains()).toEqual({ TotalCount: 1, Domains: [expect.objectContaining({ ID: created.ID, Name: "client.example" })] });
    expect((await client().getDomains({ count: 1, offset: 1 })).Domains).toEqual([]);

    await pm.admin().publishReturnPathCname("rp.client.example");
    expect((await client().editDomain(created.ID, { ReturnPathDomain: "rp.client.example" })).ReturnPathDomain).toBe("rp.client.example");

    await pm.admin().publishDomainDns(created.ID);
    expect(await client().verifyDomainDKIM(created.ID)).toMatchObject({ ID: created.ID, DKIMVerified: true, DKIMUpdateStatus: "Verified" });
    expect(await client().verifyDomainReturnPath(created.ID)).toMatchObject({ ID: created.ID, ReturnPathDomainVerified: true });
    expect(await client().verifyDomainSPF(created.ID)).toEqual(await client().getDomain(created.ID));
    const rotated = await client().rotateDomainDKIM(created.ID);
    expect(rotated).toMatchObject({ ID: created.ID, DKIMUpdateStatus: "Pending", DKIMPendingHost: dkimHost("client.example") });

    expect(await client().deleteDomain(created.ID)).toEqual({ ErrorCode: 0, Message: "Domain client.example removed." });
    expect(await pm.admin().domains()).toEqual([]);
  });

  test("a missing domain surfaces as ApiInputError with status 422 and ErrorCode 510; a duplicate as 512", async () => {
    const missing = await client().getDomain(404).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Errors.ApiInputError);
    expect(missing).toMatchObject({ statusCode: 422, code: 510 });
    await client().createDomain({ Name: "twin.example" });
    expect(await client().createDomain({ Name: "twin.example" }).catch((e: unknown) => e)).toMatchObject({ statusCode: 422, code: 512 });
  });
});
