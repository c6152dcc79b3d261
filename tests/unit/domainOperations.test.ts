/**
 * PostmarkDomain and PostmarkDomainVerification operations against the emulator over HTTP: request bodies, call
 * counts, the DNS records as outputs, Postmark's errors, adoption, and verification with and without a wait.
 */
import * as fs from "fs";
import * as path from "path";
import { Values } from "../../provider/core/fields";
import { ResourceOperations } from "../../provider/core/operations";
import { domainDeclaration } from "../../provider/resources/domain";
import { domainVerificationDeclaration } from "../../provider/resources/domainVerification";
import { senderSignatureDeclaration } from "../../provider/resources/senderSignature";
import { failureOf, failureReasons, useOperationsEmulator } from "../support/operationsHarness";

const token = "unit-test-account-token-d0ma1n";

const { admin, calls, client } = useOperationsEmulator({ token, seed: 3, maxAttempts: 3 });
let domains: ResourceOperations;
let verifications: ResourceOperations;

beforeEach(async () => {
  await admin.settings({ faults: "" });
  await admin.reset();
  // A new provider process for each test.
  domains = new ResourceOperations(domainDeclaration, client);
  verifications = new ResourceOperations(domainVerificationDeclaration, client);
});

const listing = "GET /domains?count=500&offset=0 200";
const reasons = (operations: ResourceOperations, news: Values) => failureReasons(operations.check({}, news));

/** A domain made through the provider, its calls forgotten. */
async function created(inputs: Values): Promise<{ id: string; outs: Values }> {
  const result = await domains.create(inputs);
  await admin.clearRequests();
  return result;
}

describe("PostmarkDomain check (no API call)", () => {
  it.each([
    ["Example.com", 'name is "Example.com"; write it in lower case ("example.com"), as Postmark stores it'],
    ["https://example.com", 'name is "https://example.com"; it must be a domain name such as example.com (no scheme, path, port or address)'],
    ["localhost", 'name is "localhost"; it must be a domain name such as example.com (no scheme, path, port or address)'],
    ["me@example.com", 'name is "me@example.com"; it must be a domain name such as example.com (no scheme, path, port or address)'],
  ])("refuses the name %p", async (name, reason) => {
    expect(reasons(domains, { name })).toEqual([`name: ${reason}`]);
  });

  it("refuses a Return-Path domain outside the domain, naming an example", async () => {
    expect(reasons(domains, { name: "example.com", returnPathDomain: "pm-bounces.example.org" })).toEqual([
      'returnPathDomain: returnPathDomain is "pm-bounces.example.org"; it must be a subdomain of name "example.com", e.g. "pm-bounces.example.com"',
    ]);
    expect(reasons(domains, { name: "example.com", returnPathDomain: "example.com" })).toHaveLength(1);
    expect(reasons(domains, { name: "example.com", returnPathDomain: "" })).toEqual([]);
    expect(await admin.requests()).toEqual([]);
  });
});

describe("PostmarkDomain create", () => {
  it("makes one POST of the declared fields; the outputs are the records to publish, without the SPF fields", async () => {
    const { id, outs } = await domains.create({ name: "example.com", returnPathDomain: "pm-bounces.example.com" });
    expect(await calls()).toEqual([listing, "POST /domains 200"]);
    const [stored] = await admin.domains();
    expect(id).toBe(String(stored.ID));
    expect(outs).toMatchObject({
      domainId: stored.ID,
      name: "example.com",
      returnPathDomain: "pm-bounces.example.com",
      dkimHost: stored.DKIMPendingHost,
      dkimTextValue: stored.DKIMPendingTextValue,
      dkimPendingHost: stored.DKIMPendingHost,
      dkimActiveHost: "",
      dkimVerified: false,
      returnPathVerified: false,
      dkimUpdateStatus: "Pending",
      returnPathCnameValue: "pm.mtasv.net",
      weakDkim: false,
      managedFields: ["name", "returnPathDomain"],
    });
    expect(String(outs.dkimTextValue)).toMatch(/^k=rsa;p=/);
    expect(Object.keys(outs).filter((k) => /spf/i.test(k))).toEqual([]);
  });

  it("a name already on the account (512) names the existing domain's ID and how to adopt it", async () => {
    const existing = await admin.createDomainByHand({ Name: "example.com" });
    const failure = await failureOf(domains.create({ name: "example.com" }));
    expect(failure.message).toContain(`The domain example.com is already on this Postmark account (ID ${existing.ID})`);
    expect(failure.message).toContain(`adoptDomainId: ${existing.ID}`);
    expect(await admin.domains()).toHaveLength(1);
  });

  it("a Return-Path domain whose CNAME is not published yet is created with it, unverified: the verification checks the CNAME", async () => {
    const { outs } = await domains.create({ name: "example.com", returnPathDomain: "pm-bounces.example.com" });
    expect(await admin.dnsRecords()).toEqual([]);
    expect(await calls()).toEqual([listing, "POST /domains 200"]);
    expect(outs).toMatchObject({ returnPathDomain: "pm-bounces.example.com", returnPathVerified: false });
    expect((await admin.domains())[0].ReturnPathDomain).toBe("pm-bounces.example.com");
  });

  it("a create whose answer is lost takes the domain it made: no error, no twin", async () => {
    await admin.settings({ faultQueue: ["none", "lost-create"] });
    const { id } = await domains.create({ name: "example.com" });
    const stored = await admin.domains();
    expect(stored.map((d) => String(d.ID))).toEqual([id]);
    // The listing after the lost answer finds it, new since the run began; reading it whole shows it is as declared.
    expect(await calls()).toEqual([listing, "POST /domains 0", listing, `GET /domains/${id} 200`]);
  });
});

describe("PostmarkDomain adoption, read, update, delete", () => {
  it("adoptDomainId reads the domain and sets the declared Return-Path with one PUT", async () => {
    const byHand = await admin.createDomainByHand({ Name: "example.com" });
    const { id, outs } = await domains.create({ name: "example.com", returnPathDomain: "pm-bounces.example.com", adoptDomainId: byHand.ID });
    expect(id).toBe(String(byHand.ID));
    expect(await calls()).toEqual([`GET /domains/${byHand.ID} 200`, `PUT /domains/${byHand.ID} 200`]);
    expect(outs).toMatchObject({ returnPathDomain: "pm-bounces.example.com", adoptDomainId: byHand.ID });
  });

  it("adoption is refused when the domain's name is not the declared one", async () => {
    const byHand = await admin.createDomainByHand({ Name: "example.org" });
    const failure = await failureOf(domains.create({ name: "example.com", adoptDomainId: byHand.ID }));
    expect(failure.message).toContain(`adoptDomainId ${byHand.ID}: domain "example.org" is example.org, but the program declares name "example.com"`);
  });

  it("read makes one GET and reports a Return-Path changed by hand as the input, so up puts it back", async () => {
    const { id, outs } = await created({ name: "example.com", returnPathDomain: "pm-bounces.example.com" });
    await admin.editDomainByHand(Number(id), { ReturnPathDomain: "bounces.example.com" });
    const read = await domains.read(id, outs);
    expect(await calls()).toEqual([`GET /domains/${id} 200`]);
    expect(read.inputs).toEqual({ name: "example.com", returnPathDomain: "bounces.example.com" });
    const diff = domains.diff(id, read.props, { name: "example.com", returnPathDomain: "pm-bounces.example.com" });
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    await admin.clearRequests();
    await domains.update(id, read.props, { name: "example.com", returnPathDomain: "pm-bounces.example.com" });
    expect(await calls()).toEqual([`PUT /domains/${id} 200`]);
    expect((await admin.domains())[0].ReturnPathDomain).toBe("pm-bounces.example.com");
  });

  it("a domain deleted by hand reads as gone (ErrorCode 510), so refresh drops it", async () => {
    const { id, outs } = await created({ name: "example.com" });
    await admin.deleteDomainByHand(Number(id));
    expect(await domains.read(id, outs)).toEqual({ id: "", props: {} });
  });

  it("an edit sends only ReturnPathDomain; removing it from the program sends \"\" and clears it", async () => {
    const { id, outs } = await created({ name: "example.com", returnPathDomain: "pm-bounces.example.com" });
    const { outs: cleared } = await domains.update(id, outs, { name: "example.com" });
    expect((await admin.requests()).map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /domains/${id}`]);
    expect((await admin.domains())[0].ReturnPathDomain).toBe("");
    expect(cleared.managedFields).toEqual(["name"]);
    expect(domains.diff(id, cleared, { name: "example.com" }).changes).toBe(false);
  });

  it("changing the name replaces the domain", async () => {
    const { id, outs } = await created({ name: "example.com" });
    expect(domains.diff(id, outs, { name: "example.org" })).toEqual({ changes: true, replaces: ["name"], deleteBeforeReplace: false });
  });

  it("delete makes one DELETE, and a domain already gone is fine", async () => {
    const { id, outs } = await created({ name: "example.com" });
    await domains.delete(id, outs);
    await domains.delete(id, outs);
    expect(await calls()).toEqual([`DELETE /domains/${id} 200`, `DELETE /domains/${id} 422`]);
    expect(await admin.domains()).toEqual([]);
  });
});

describe("PostmarkDomainVerification", () => {
  let domainId: number;
  let dkimHost: string;

  beforeEach(async () => {
    const { outs } = await created({ name: "example.com", returnPathDomain: "pm-bounces.example.com" });
    domainId = outs.domainId as number;
    dkimHost = outs.dkimHost as string;
    await admin.clearRequests();
  });

  it("check refuses a wait out of range and a verification with nothing to check, with no API call", async () => {
    expect(reasons(verifications, { domainId: 1, waitTimeout: -1 })).toEqual(["waitTimeout: waitTimeout is -1; it must be from 0 to 3600 seconds"]);
    expect(reasons(verifications, { domainId: 1, waitTimeout: 2.5 })).toEqual(["waitTimeout: waitTimeout is 2.5; it must be a whole number"]);
    expect(reasons(verifications, { domainId: 1, dkim: false, returnPath: false })).toEqual([
      "dkim: dkim and returnPath are both false: there is nothing to verify",
    ]);
    expect(reasons(verifications, { domainId: 1, adoptDomainId: 1 })).toEqual([
      "adoptDomainId: adoptDomainId is not a PostmarkDomainVerification input; known inputs: domainId, dkim, returnPath, waitTimeout",
    ]);
    expect(await admin.requests()).toEqual([]);
  });

  it("without a wait, create runs each check once and records that they have not passed; the next diff asks to run them again", async () => {
    const { id, outs } = await verifications.create({ domainId });
    expect(id).toBe(String(domainId));
    expect(await calls()).toEqual([`PUT /domains/${domainId}/verifyDkim 200`, `PUT /domains/${domainId}/verifyReturnPath 200`]);
    expect(outs).toMatchObject({ domainId, domainName: "example.com", dkimVerified: false, returnPathVerified: false, managedFields: ["domainId"] });
    expect(verifications.diff(id, outs, { domainId })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("once the records are published, update runs only the checks that have not passed, and then nothing is outstanding", async () => {
    await admin.publishDomainDns(domainId, { dkim: true, returnPath: false });
    const { id, outs } = await verifications.create({ domainId });
    expect(outs).toMatchObject({ dkimVerified: true, returnPathVerified: false });
    await admin.publishDomainDns(domainId, { dkim: true, returnPath: true });
    await admin.clearRequests();
    const { outs: after } = await verifications.update(id, outs, { domainId });
    expect(await calls()).toEqual([`PUT /domains/${domainId}/verifyReturnPath 200`]);
    expect(after).toMatchObject({ dkimVerified: true, returnPathVerified: true });
    expect(verifications.diff(id, after, { domainId }).changes).toBe(false);
    await admin.clearRequests();
    await verifications.update(id, after, { domainId, waitTimeout: 30 });
    expect(await admin.requests()).toEqual([]);
  });

  it("with a wait, create fails after it with what is still missing and which record to check", async () => {
    const started = Date.now();
    const failure = await failureOf(verifications.create({ domainId, waitTimeout: 2 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(failure.message).toContain(`Postmark domain example.com (ID ${domainId}) is not verified after waiting 2 s:`);
    expect(failure.message).toContain(`- DKIM: Postmark finds no TXT record at ${dkimHost} holding the domain's key (k=rsa;p=`);
    expect(failure.message).toContain(`dig +short TXT ${dkimHost}`);
    expect(failure.message).toContain("- Return-Path: Postmark finds no CNAME record at pm-bounces.example.com pointing to pm.mtasv.net");
    expect(failure.message).toContain("raise waitTimeout");
    // Checks at 0 s, 1 s and 2 s (the backoff doubles, and the last sleep is cut to the deadline).
    expect(await calls()).toEqual(Array(3).fill([`PUT /domains/${domainId}/verifyDkim 200`, `PUT /domains/${domainId}/verifyReturnPath 200`]).flat());
  });

  it("with a wait, records published meanwhile are found by the next poll, and only the missing check is repeated", async () => {
    await admin.publishDomainDns(domainId, { dkim: true, returnPath: false });
    const published = new Promise((resolve) => setTimeout(resolve, 300)).then(() => admin.publishDomainDns(domainId));
    const { outs } = await verifications.create({ domainId, waitTimeout: 20 });
    await published;
    expect(outs).toMatchObject({ dkimVerified: true, returnPathVerified: true });
    expect(await calls()).toEqual([
      `PUT /domains/${domainId}/verifyDkim 200`,
      `PUT /domains/${domainId}/verifyReturnPath 200`,
      `PUT /domains/${domainId}/verifyReturnPath 200`,
    ]);
  });

  it("returnPath: false checks DKIM only", async () => {
    await verifications.create({ domainId, returnPath: false });
    expect(await calls()).toEqual([`PUT /domains/${domainId}/verifyDkim 200`]);
  });

  it("a Return-Path check of a domain without a Return-Path domain says what to set", async () => {
    const { outs } = await created({ name: "example.org" });
    const failure = await failureOf(verifications.create({ domainId: outs.domainId }));
    expect(failure.message).toBe(
      `Postmark domain example.org (ID ${outs.domainId}) has no Return-Path domain to verify: set returnPathDomain on the PostmarkDomain, or returnPath: false on this verification.`,
    );
  });

  it("a new DKIM key waiting after a rotation is not verified, though Postmark's DKIMVerified stays true", async () => {
    await admin.publishDomainDns(domainId);
    const { id, outs } = await verifications.create({ domainId });
    expect(outs.dkimVerified).toBe(true);
    await admin.editDomainByHand(domainId, { DKIMUpdateStatus: "Pending", DKIMPendingHost: "new._domainkey.example.com", DKIMPendingTextValue: "k=rsa;p=NEW" });
    const read = await verifications.read(id, outs);
    expect(read.props).toMatchObject({ dkimVerified: false, dkimUpdateStatus: "Pending" });
    expect(verifications.diff(id, read.props, { domainId }).changes).toBe(true);
  });

  it("read re-reads the domain with one GET; delete calls nothing; a deleted domain drops the verification", async () => {
    const { id, outs } = await verifications.create({ domainId, waitTimeout: 0 });
    await admin.publishDomainDns(domainId);
    await admin.clearRequests();
    const read = await verifications.read(id, outs);
    expect(await calls()).toEqual([`GET /domains/${domainId} 200`]);
    // Reading does not verify: Postmark's flags change only through the verify calls.
    expect(read.props).toMatchObject({ dkimVerified: false });
    // The options as declared come back too, so a refresh shows no input removed.
    expect(read.inputs).toEqual({ domainId, waitTimeout: 0 });
    await verifications.delete(id, outs);
    expect(await calls()).toEqual([`GET /domains/${domainId} 200`]);
    await admin.deleteDomainByHand(domainId);
    expect(await verifications.read(id, outs)).toEqual({ id: "", props: {} });
  });

  it("changing domainId replaces the verification", async () => {
    const { id, outs } = await verifications.create({ domainId });
    expect(verifications.diff(id, outs, { domainId: domainId + 1 }).replaces).toEqual(["domainId"]);
  });
});

describe("docs/sending-identity.md", () => {
  it("names every input and output of the three kinds", () => {
    const docs = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "sending-identity.md"), "utf8");
    for (const declaration of [domainDeclaration, domainVerificationDeclaration, senderSignatureDeclaration]) {
      const names = [
        ...declaration.fields.map((f) => f.input),
        ...(declaration.options ?? []).map((f) => f.input),
        ...declaration.outputs.map((o) => o.output),
        ...(declaration.adopt ? [declaration.adopt.input] : []),
      ];
      expect(names.filter((name) => !docs.includes(`\`${name}\``))).toEqual([]);
    }
  });
});
