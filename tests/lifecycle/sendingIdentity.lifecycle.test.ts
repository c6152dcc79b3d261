/**
 * PostmarkDomain, PostmarkDomainVerification and PostmarkSenderSignature through the real Pulumi CLI against the
 * emulator, on one shared stack: what users do with `up`, `preview`, `refresh` and `destroy`, asserted on the
 * engine's results, the state and the calls Postmark received. The emulator's DNS stands for the user's DNS
 * provider: the test publishes records between runs.
 */
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { EmulatorAdmin, StoredDomain } from "../support/emulatorAdmin";
import { expectNoInternals, expectNotInState } from "./expectations";
import { createTestStack, failureText, TestStack } from "./pulumiHarness";

jest.setTimeout(300_000);

const accountToken = "lifecycle-account-token-5e9d1d";

/** A program shaped like an infra repo's: domains, their verifications and sender signatures from stack config. */
const program = `
const pulumi = require("@pulumi/pulumi");
const { PostmarkDomain, PostmarkDomainVerification, PostmarkSenderSignature } = require("pulumi-postmark");
const config = new pulumi.Config();
const domains = {};
for (const [key, args] of Object.entries(config.getObject("domains") || {})) domains[key] = new PostmarkDomain(key, args);
exports.domains = {};
for (const [key, d] of Object.entries(domains)) exports.domains[key] = { id: d.domainId, dkimHost: d.dkimHost, dkimTextValue: d.dkimTextValue };
exports.verified = {};
for (const [key, { domain, ...args }] of Object.entries(config.getObject("verifications") || {})) {
  const check = new PostmarkDomainVerification(key, { ...args, domainId: domains[domain].domainId });
  exports.verified[key] = { dkim: check.dkimVerified, returnPath: check.returnPathVerified };
}
// Signatures after the domains: a signature on a domain the account lacks would add it first.
for (const [key, args] of Object.entries(config.getObject("signatures") || {})) {
  new PostmarkSenderSignature(key, args, { dependsOn: Object.values(domains) });
}
`;

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let test: TestStack;

const declare = (config: { domains?: object; verifications?: object; signatures?: object }) =>
  test.stack.setAllConfig(
    Object.fromEntries(Object.entries({ domains: {}, verifications: {}, signatures: {}, ...config }).map(([key, value]) => [key, { value: JSON.stringify(value) }])),
  );
/** The calls Postmark received, sorted: resources that do not depend on each other run in parallel. */
const apiCalls = async () => (await admin.requests()).map((r) => `${r.method} ${r.path.split("?")[0]}`).sort();
const domainNamed = async (name: string): Promise<StoredDomain | undefined> => (await admin.domains()).find((d) => d.Name === name);
const resourceState = async (name: string) =>
  JSON.parse(await test.exportState()).deployment.resources.find((r: { urn: string }) => r.urn.endsWith(`::${name}`));

async function expectNoPlaintextToken(): Promise<void> {
  await expectNotInState(test, [accountToken]);
}

beforeAll(async () => {
  emulator = await startEmulator({ token: accountToken });
  admin = new EmulatorAdmin(emulator.url);
  test = await createTestStack({
    program,
    secretConfig: { "postmark:accountToken": accountToken },
    env: { POSTMARK_API_URL: emulator.url, POSTMARK_RETRY_BASE_DELAY_MS: "10" },
  });
});
afterAll(async () => {
  await test?.cleanup();
  await emulator?.stop();
});

const example = { name: "example.com", returnPathDomain: "pm-bounces.example.com" };
const billing = { fromEmail: "billing@example.com", name: "Example Billing" };
const check = { domain: "example", waitTimeout: 2 };

describe("a sending domain, its verification and a sender signature through the CLI", () => {
  let domain: StoredDomain;

  it("while the DKIM record is unpublished, up makes the domain and signature and the verification fails naming the record", async () => {
    // The Return-Path CNAME is in place before up (Postmark would take the domain without it), so its check passes at once.
    await admin.publishReturnPathCname("pm-bounces.example.com");
    await declare({ domains: { example }, verifications: { exampleCheck: check }, signatures: { billing } });
    const text = await failureText(test.stack.up());
    domain = (await domainNamed("example.com"))!;
    expect(text).toContain(`Postmark domain example.com (ID ${domain.ID}) is not verified after waiting 2 s:`);
    expect(text).toContain(`DKIM: Postmark finds no TXT record at ${domain.DKIMPendingHost}`);
    expect(text).toContain(`dig +short TXT ${domain.DKIMPendingHost}`);
    expect(text).not.toContain("Return-Path: Postmark finds no CNAME");
    expectNoInternals(text);
    // One listing per kind before its first create, one POST each; the checks at 0, 1 and 2 s (Return-Path passed at once).
    expect(await apiCalls()).toEqual(
      [
        "GET /domains",
        "POST /domains",
        "GET /senders",
        "POST /senders",
        ...Array(3).fill(`PUT /domains/${domain.ID}/verifyDkim`),
        `PUT /domains/${domain.ID}/verifyReturnPath`,
      ].sort(),
    );
    expect((await admin.senders()).map((s) => s.EmailAddress)).toEqual(["billing@example.com"]);
  });

  it("once the DKIM record is published, up creates the verification with the two checks and nothing else", async () => {
    await admin.publishDomainDns(domain.ID, { dkim: true });
    await admin.clearRequests();
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toEqual({ create: 1, same: 3 });
    expect(await apiCalls()).toEqual([`PUT /domains/${domain.ID}/verifyDkim`, `PUT /domains/${domain.ID}/verifyReturnPath`]);
    expect(up.outputs.verified.value).toEqual({ exampleCheck: { dkim: true, returnPath: true } });
    // The record to publish keeps its value now that the pending key is the active one.
    expect(up.outputs.domains.value.example).toMatchObject({ id: domain.ID, dkimHost: domain.DKIMPendingHost, dkimTextValue: domain.DKIMPendingTextValue });
    await expectNoPlaintextToken();
  });

  it("a second preview reports no changes and makes no API call", async () => {
    await admin.clearRequests();
    const preview = await test.stack.preview();
    expect(preview.changeSummary).toEqual({ same: 4 });
    expect(await admin.requests()).toEqual([]);
  });

  it("refresh shows a confirmation clicked by hand and a Return-Path changed by hand", async () => {
    const [signature] = await admin.senders();
    await admin.confirmSenderByHand(signature.ID);
    await admin.editDomainByHand(domain.ID, { ReturnPathDomain: "bounces.example.com", ReturnPathDomainVerified: false });
    await admin.clearRequests();
    const refresh = await test.stack.refresh();
    // The engine counts what the provider's diff would change: the domain's input, and the Return-Path check that no
    // longer passes. The signature's new outputs (confirmed) are in the state all the same.
    expect(refresh.summary.resourceChanges).toEqual({ update: 2, same: 2 });
    expect(refresh.stdout).toMatch(/PostmarkDomain example.*\[diff: ~returnPathDomain\]/);
    expect(refresh.stdout).toMatch(/PostmarkDomainVerification exampleCheck.*updated/);
    expect(await apiCalls()).toEqual([`GET /domains/${domain.ID}`, `GET /domains/${domain.ID}`, `GET /senders/${signature.ID}`]);
    expect((await resourceState("billing")).outputs).toMatchObject({ confirmed: true, fromEmail: "billing@example.com" });
    expect((await resourceState("example")).inputs.returnPathDomain).toBe("bounces.example.com");
    expect((await resourceState("exampleCheck")).outputs).toMatchObject({ returnPathVerified: false, returnPathDomain: "bounces.example.com" });
  });

  it("up puts the Return-Path back with one PUT and checks it again; confirmation needs nothing", async () => {
    await admin.clearRequests();
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toEqual({ update: 2, same: 2 });
    expect(up.stdout).toMatch(/example.*\[diff: ~returnPathDomain\]/);
    expect(await apiCalls()).toEqual([`PUT /domains/${domain.ID}`, `PUT /domains/${domain.ID}/verifyReturnPath`]);
    expect(await domainNamed("example.com")).toMatchObject({ ReturnPathDomain: "pm-bounces.example.com", ReturnPathDomainVerified: true });
    expect(up.outputs.verified.value.exampleCheck).toEqual({ dkim: true, returnPath: true });
  });

  const later = { example, org: { name: "example.org", returnPathDomain: "", adoptDomainId: 0 }, spare: { name: "example.info" } };
  const invoices = { ...billing, fromEmail: "invoices@example.com" };

  it("adoptDomainId takes a domain made by hand with one GET; a new fromEmail replaces the signature, creating first", async () => {
    const byHand = await admin.createDomainByHand({ Name: "example.org" });
    later.org.adoptDomainId = byHand.ID;
    const [old] = await admin.senders();
    await declare({ domains: later, verifications: { exampleCheck: check }, signatures: { billing: invoices } });
    await admin.clearRequests();
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toEqual({ create: 2, replace: 1, same: 3 });
    expect(await apiCalls()).toEqual(
      [`GET /domains/${byHand.ID}`, "GET /domains", "POST /domains", "GET /senders", "POST /senders", `DELETE /senders/${old.ID}`].sort(),
    );
    expect((await admin.senders()).map((s) => s.EmailAddress)).toEqual(["invoices@example.com"]);
    expect((await resourceState("org")).id).toBe(String(byHand.ID));
  });

  it("a new domain name replaces the domain: the new one is made before the old one goes", async () => {
    const spare = (await domainNamed("example.info"))!;
    await declare({ domains: { ...later, spare: { name: "example.net" } }, verifications: { exampleCheck: check }, signatures: { billing: invoices } });
    await admin.clearRequests();
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toEqual({ replace: 1, same: 5 });
    expect(await apiCalls()).toEqual(["GET /domains", "POST /domains", `DELETE /domains/${spare.ID}`].sort());
    expect((await admin.domains()).map((d) => d.Name).sort()).toEqual(["example.com", "example.net", "example.org"]);
    await expectNoPlaintextToken();
  });

  it("bad input fails preview naming each field, and Postmark sees no request", async () => {
    // The engine stops at the first resource whose check fails, so one resource carries the problems.
    await declare({
      domains: { ...later, bad: { name: "Example.COM", returnPathDomain: "https://pm.example.com" } },
      verifications: { exampleCheck: check },
      signatures: { billing: invoices },
    });
    await admin.clearRequests();
    const text = await failureText(test.stack.preview());
    expect(text).toContain('name is "Example.COM"; write it in lower case ("example.com"), as Postmark stores it');
    expect(text).toContain('returnPathDomain is "https://pm.example.com"; it must be a domain name such as example.com');
    expect(await admin.requests()).toEqual([]);
  });

  it("destroy deletes the domains and the signature; the verification deletes nothing in Postmark", async () => {
    const ids = (await admin.domains()).map((d) => d.ID);
    const [signature] = await admin.senders();
    await admin.clearRequests();
    const destroy = await test.stack.destroy();
    expect(destroy.summary.resourceChanges).toEqual({ delete: 6 });
    expect(await apiCalls()).toEqual([...ids.map((id) => `DELETE /domains/${id}`), `DELETE /senders/${signature.ID}`].sort());
    expect(await admin.domains()).toEqual([]);
    expect(await admin.senders()).toEqual([]);
    await expectNoPlaintextToken();
  });
});
