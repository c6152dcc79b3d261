/**
 * An object the program never declared, read for the first time (an import, `.get`): the read reports the inputs
 * that declare it as Postmark holds it, for every kind. Declared as they are, they pass check and diff with no
 * change, and a refresh after that keeps them. Against the emulator, with objects made by hand.
 */
import { Values } from "../../provider/core/fields";
import { ResourceOperations } from "../../provider/core/operations";
import { declarations } from "../../provider/resources";
import { checkedInputs, useOperationsEmulator } from "../support/operationsHarness";

const accountToken = "unit-test-account-token-first-read-6a1f";
const { admin, client } = useOperationsEmulator({ token: accountToken, seed: 29 });
const operationsOf = (kind: string) => new ResourceOperations(declarations.find((d) => d.kind === kind)!, client);

/** Reads `id` as an import does (no outputs yet), then checks that the inputs it reports declare the object exactly. */
async function importedInputs(kind: string, id: string): Promise<Values> {
  const operations = operationsOf(kind);
  const read = await operations.read(id, {});
  expect(read.id).toBe(id);
  const inputs = checkedInputs(operations, read.inputs!);
  expect(operations.diff(id, read.props, inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  // The next refresh reports the same inputs: they are managed from the first read on.
  expect((await operations.read(id, read.props)).inputs).toEqual(read.inputs);
  return read.inputs!;
}

let serverId: number;
beforeAll(async () => {
  await admin.reset();
  serverId = (await admin.createByHand({ Name: "Imported", Color: "Purple", TrackOpens: true, TrackLinks: "HtmlOnly", InboundHookUrl: "https://hooks.example.com/in" })).ID;
});

describe("the first read of an object made by hand reports the inputs that declare it, for every kind", () => {
  it("a server: its name, the fields that differ from Postmark's defaults, and those without a known default", async () => {
    const inputs = await importedInputs("PostmarkServer", String(serverId));
    expect(inputs).toMatchObject({ name: "Imported", color: "Purple", trackOpens: true, trackLinks: "HtmlOnly", inboundHookUrl: "https://hooks.example.com/in" });
    expect(inputs).not.toHaveProperty("smtpApiActivated");
    expect(inputs).not.toHaveProperty("inboundSpamThreshold");
  });

  it("a message stream, with serverId from its ID", async () => {
    await admin.createStreamByHand(serverId, { ID: "news", Name: "News", MessageStreamType: "Broadcasts", Description: "Monthly" });
    const inputs = await importedInputs("PostmarkMessageStream", `${serverId}/news`);
    expect(inputs).toMatchObject({ serverId, streamId: "news", name: "News", messageStreamType: "Broadcasts", description: "Monthly" });
  });

  it("a webhook: only the triggers (and members) that are not Postmark's defaults, auth and headers included", async () => {
    const hook = await admin.createWebhookByHand(serverId, {
      Url: "https://hooks.example.com/opens",
      MessageStream: "outbound",
      HttpAuth: { Username: "postmark", Password: "hand-made-password" },
      HttpHeaders: [{ Name: "X-Key", Value: "hand-made-header" }],
      Triggers: { Open: { Enabled: true, PostFirstOpenOnly: true }, Bounce: { Enabled: true, IncludeContent: false } },
    });
    const inputs = await importedInputs("PostmarkWebhook", `${serverId}/${hook.ID}`);
    expect(inputs).toEqual({
      serverId,
      url: "https://hooks.example.com/opens",
      httpAuth: { username: "postmark", password: "hand-made-password" },
      httpHeaders: [{ name: "X-Key", value: "hand-made-header" }],
      triggers: { open: { enabled: true, postFirstOpenOnly: true }, bounce: { enabled: true } },
    });
  });

  it("a layout and a template wrapped in it", async () => {
    const layout = await admin.createTemplateByHand(serverId, { Name: "Base", Alias: "base", TemplateType: "Layout", HtmlBody: "<b>{{{@content}}}</b>" });
    const template = await admin.createTemplateByHand(serverId, { Name: "Welcome", Alias: "welcome", Subject: "Hi", TextBody: "Hello", LayoutTemplate: "base" });
    expect(await importedInputs("PostmarkTemplate", `${serverId}/${layout.TemplateId}`)).toMatchObject({ templateType: "Layout", alias: "base" });
    const inputs = await importedInputs("PostmarkTemplate", `${serverId}/${template.TemplateId}`);
    expect(inputs).toMatchObject({ name: "Welcome", alias: "welcome", subject: "Hi", textBody: "Hello", layoutTemplate: "base" });
    expect(inputs).not.toHaveProperty("templateType");
  });

  it("an inbound rule", async () => {
    const rule = await admin.createInboundRuleByHand(serverId, "junk.example.com");
    expect(await importedInputs("PostmarkInboundRule", `${serverId}/${rule.ID}`)).toEqual({ serverId, rule: "junk.example.com" });
  });

  it("a domain, its verification, and a sender signature", async () => {
    const domain = await admin.createDomainByHand({ Name: "example.com", ReturnPathDomain: "pm-bounces.example.com" });
    expect(await importedInputs("PostmarkDomain", String(domain.ID))).toEqual({ name: "example.com", returnPathDomain: "pm-bounces.example.com" });
    // A verification whose checks have not passed is work left to do: the next up runs them.
    const unverified = await operationsOf("PostmarkDomainVerification").read(String(domain.ID), {});
    expect(operationsOf("PostmarkDomainVerification").diff(String(domain.ID), unverified.props, unverified.inputs!).changes).toBe(true);
    await admin.verifyDomainAsOwner(domain.ID, accountToken);
    expect(await importedInputs("PostmarkDomainVerification", String(domain.ID))).toEqual({ domainId: domain.ID });
    const sender = await admin.createSenderByHand({ EmailAddress: "billing@example.com", Name: "Billing", ReplyToEmail: "help@example.com" });
    expect(await importedInputs("PostmarkSenderSignature", String(sender.ID))).toMatchObject({ fromEmail: "billing@example.com", name: "Billing" });
  });
});
