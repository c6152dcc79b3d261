/**
 * PostmarkSenderSignature operations against the emulator over HTTP: requests in FromEmail/ReplyToEmail and
 * outputs read from EmailAddress/ReplyToEmailAddress, Name in every edit, confirmation never waited for,
 * Postmark's refusals (503, 504, 501 as 422 or 404), adoption and lost-create recovery.
 */
import { interruptedCreateAdvice } from "../../provider/core/errors";
import { Values } from "../../provider/core/fields";
import { ResourceOperations } from "../../provider/core/operations";
import { senderSignatureDeclaration } from "../../provider/resources/senderSignature";
import { failureOf, failureReasons, useOperationsEmulator } from "../support/operationsHarness";

const token = "unit-test-account-token-51gn";

const { admin, calls, client } = useOperationsEmulator({ token, seed: 5, maxAttempts: 3 });
let signatures: ResourceOperations;

beforeEach(async () => {
  await admin.settings({ faults: "" });
  await admin.senderSettings({ missingSignature: "422" });
  await admin.reset();
  signatures = new ResourceOperations(senderSignatureDeclaration, client);
});

const listing = "GET /senders?count=500&offset=0 200";
const reasons = (news: Values) => failureReasons(signatures.check({}, news));

/** The request bodies the emulator received are not logged, so a field's effect is read back from the store. */
async function created(inputs: Values): Promise<{ id: string; outs: Values }> {
  const result = await signatures.create(inputs);
  await admin.clearRequests();
  return result;
}

const billing = { fromEmail: "Billing@example.com", name: "Example Billing" };

describe("check (no API call)", () => {
  it("refuses a public mail domain, a malformed address, a blank or long note, and a Return-Path outside the From domain", async () => {
    expect(reasons({ fromEmail: "me@gmail.com", name: "Me" })).toEqual([
      'fromEmail: fromEmail is "me@gmail.com": Postmark does not accept addresses on public mail domains such as gmail.com; use an address on a domain you own',
    ]);
    expect(reasons({ fromEmail: "Billing <billing@example.com>", name: "B" })).toEqual([
      'fromEmail: fromEmail is "Billing <billing@example.com>"; it must be an email address such as "billing@example.com" (no display name)',
    ]);
    expect(reasons({ ...billing, confirmationPersonalNote: " " })).toEqual([
      'confirmationPersonalNote: confirmationPersonalNote is " "; leave it out for none (Postmark refuses a blank note)',
    ]);
    expect(reasons({ ...billing, confirmationPersonalNote: "x".repeat(401) })).toEqual([
      `confirmationPersonalNote: confirmationPersonalNote is "${"x".repeat(401)}"; it must be at most 400 characters`,
    ]);
    expect(reasons({ ...billing, returnPathDomain: "pm-bounces.example.org" })).toEqual([
      'returnPathDomain: returnPathDomain is "pm-bounces.example.org"; it must be a subdomain of the From address\'s domain "example.com", e.g. "pm-bounces.example.com"',
    ]);
    expect(reasons({ fromEmail: "billing@example.com" })).toEqual(["name: name is required"]);
    expect(await admin.requests()).toEqual([]);
  });
});

describe("create", () => {
  it("sends FromEmail and ReplyToEmail; the outputs read EmailAddress and ReplyToEmailAddress; confirmation is not waited for", async () => {
    const { id, outs } = await signatures.create({ ...billing, replyToEmail: "help@example.com", confirmationPersonalNote: "From the billing team." });
    expect(await calls()).toEqual([listing, "POST /senders 200"]);
    const [stored] = await admin.senders();
    expect(id).toBe(String(stored.ID));
    expect(stored).toMatchObject({ EmailAddress: "Billing@example.com", ReplyToEmailAddress: "help@example.com", Confirmed: false });
    expect(outs).toMatchObject({
      signatureId: stored.ID,
      fromEmail: "Billing@example.com",
      name: "Example Billing",
      replyToEmail: "help@example.com",
      confirmationPersonalNote: "From the billing team.",
      domain: "example.com",
      confirmed: false,
      dkimUpdateStatus: "Pending",
      managedFields: ["fromEmail", "name", "replyToEmail", "confirmationPersonalNote"],
    });
    const [domain] = await admin.domains();
    expect(outs.dkimHost).toBe(domain.DKIMPendingHost);
    expect(outs.dkimTextValue).toBe(domain.DKIMPendingTextValue);
    // With every declared field read back under its response name, nothing shows as changed.
    expect(signatures.diff(id, outs, { ...billing, replyToEmail: "help@example.com", confirmationPersonalNote: "From the billing team." }).changes).toBe(false);
  });

  it("an address that already has a signature (504) names its ID and how to adopt it", async () => {
    const existing = await admin.createSenderByHand({ EmailAddress: "billing@example.com", Name: "Old" });
    const failure = await failureOf(signatures.create(billing));
    expect(failure.message).toBe(
      `A sender signature for Billing@example.com already exists on this Postmark account (ID ${existing.ID}). To manage it from this ` +
        `program, set \`adoptSenderSignatureId: ${existing.ID}\` on this resource. ${interruptedCreateAdvice("sender signature")}`,
    );
    expect(await admin.senders()).toHaveLength(1);
  });

  it("a public mail domain the provider does not list is refused by Postmark with ErrorCode 503 and its message", async () => {
    const failure = await failureOf(signatures.create({ fromEmail: "me@web.de", name: "Me" }));
    expect(failure.message).toContain("Postmark create sender signature (account) failed: HTTP 422, ErrorCode 503: You cannot use a public domain");
    expect(await admin.senders()).toEqual([]);
  });

  it("a create whose answer is lost takes the signature it made: no error, no twin", async () => {
    await admin.settings({ faultQueue: ["none", "lost-create"] });
    const { id } = await signatures.create(billing);
    expect((await admin.senders()).map((s) => String(s.ID))).toEqual([id]);
    expect(await calls()).toEqual([listing, "POST /senders 0", listing, `GET /senders/${id} 200`]);
  });
});

describe("update, read, adoption, delete", () => {
  it("an edit sends Name every time, with only the changed fields; removing replyToEmail clears it", async () => {
    const { id, outs } = await created({ ...billing, replyToEmail: "help@example.com" });
    const { outs: after } = await signatures.update(id, outs, billing);
    expect(await calls()).toEqual([`PUT /senders/${id} 200`]);
    expect((await admin.senders())[0]).toMatchObject({ Name: "Example Billing", ReplyToEmailAddress: "" });
    expect(after).toMatchObject({ replyToEmail: "", managedFields: ["fromEmail", "name"] });
  });

  it("a confirmation clicked by hand shows in read's outputs, with no input changed", async () => {
    const { id, outs } = await created(billing);
    await admin.confirmSenderByHand(Number(id));
    const read = await signatures.read(id, outs);
    expect(await calls()).toEqual([`GET /senders/${id} 200`]);
    expect(read.props.confirmed).toBe(true);
    expect(read.inputs).toEqual(billing);
    expect(signatures.diff(id, read.props, billing).changes).toBe(false);
  });

  it.each(["422", "404"] as const)("a signature deleted by hand reads as gone when Postmark answers 501 as HTTP %s", async (missingSignature) => {
    const { id, outs } = await created(billing);
    await admin.deleteSenderByHand(Number(id));
    await admin.senderSettings({ missingSignature });
    expect(await signatures.read(id, outs)).toEqual({ id: "", props: {} });
    await signatures.delete(id, outs);
  });

  it("changing fromEmail replaces the signature; a change of case only deletes first, as addresses are unique without case", async () => {
    const { id, outs } = await created(billing);
    expect(signatures.diff(id, outs, { ...billing, fromEmail: "invoices@example.com" })).toEqual({ changes: true, replaces: ["fromEmail"], deleteBeforeReplace: false });
    expect(signatures.diff(id, outs, { ...billing, fromEmail: "billing@example.com" })).toEqual({ changes: true, replaces: ["fromEmail"], deleteBeforeReplace: true });
  });

  it("adoptSenderSignatureId reads the signature and brings it to the declared values with one PUT that carries Name", async () => {
    const byHand = await admin.createSenderByHand({ EmailAddress: "billing@example.com", Name: "Old name", ReplyToEmailAddress: "old@example.com" });
    await admin.clearRequests();
    const { outs } = await signatures.create({ fromEmail: "billing@example.com", name: "Old name", replyToEmail: "help@example.com", adoptSenderSignatureId: byHand.ID });
    expect(await calls()).toEqual([`GET /senders/${byHand.ID} 200`, `PUT /senders/${byHand.ID} 200`]);
    expect((await admin.senders())[0]).toMatchObject({ Name: "Old name", ReplyToEmailAddress: "help@example.com" });
    expect(outs.adoptSenderSignatureId).toBe(byHand.ID);
  });

  it("delete makes one DELETE and leaves the domain the signature added", async () => {
    const { id, outs } = await created(billing);
    await signatures.delete(id, outs);
    expect(await calls()).toEqual([`DELETE /senders/${id} 200`]);
    expect(await admin.senders()).toEqual([]);
    expect((await admin.domains()).map((d) => d.Name)).toEqual(["example.com"]);
  });
});
