/**
 * findInterruptedCreate, the rule the recover command takes the object of a killed `pulumi up`'s pending create by, for
 * every kind, against the emulator: the object a create made is found by its unique key (a webhook's URL and stream),
 * exactly as the create made it, with the ID and outputs the create returned; never one a resource of the stack owns,
 * one changed since, or one archived; and it never writes.
 */
import { ResourceDeclaration } from "../../provider/core/declaration";
import { Values } from "../../provider/core/fields";
import { ResourceOperations } from "../../provider/core/operations";
import { domainDeclaration } from "../../provider/resources/domain";
import { domainVerificationDeclaration } from "../../provider/resources/domainVerification";
import { inboundRuleDeclaration } from "../../provider/resources/inboundRule";
import { messageStreamDeclaration } from "../../provider/resources/messageStream";
import { senderSignatureDeclaration } from "../../provider/resources/senderSignature";
import { serverDeclaration } from "../../provider/resources/server";
import { templateDeclaration } from "../../provider/resources/template";
import { webhookDeclaration } from "../../provider/resources/webhook";
import { checkedInputs, useOperationsEmulator } from "../support/operationsHarness";

const token = "unit-test-account-token-interrupted-71c2";
const { admin, client } = useOperationsEmulator({ token, seed: 29 });
let serverId: number;

beforeEach(async () => {
  await admin.settings({ faults: "", faultQueue: [], createFaultQueue: [] });
  await admin.reset();
  serverId = (await admin.createByHand({ Name: "Mail" })).ID;
});

/** A provider process of its own (the killed run's, or the recover command's). */
const operationsOf = (declaration: ResourceDeclaration) => new ResourceOperations(declaration, client);

/**
 * Each kind that makes an object: the inputs of a create, what another key makes them, and an edit by hand that makes the
 * object other than what that create made (an inbound rule is nothing but its key).
 */
const kinds: { declaration: ResourceDeclaration; news: () => Values; otherKey: Values; editByHand?: (id: string) => Promise<unknown> }[] = [
  {
    declaration: serverDeclaration,
    news: () => ({ name: "Billing", color: "red", trackOpens: true }),
    otherKey: { name: "Billing 2" },
    editByHand: (id) => admin.editByHand(id, { TrackOpens: false }),
  },
  {
    declaration: messageStreamDeclaration,
    news: () => ({ serverId, streamId: "news", name: "News", messageStreamType: "Broadcasts" }),
    otherKey: { streamId: "news-2" },
    editByHand: () => admin.editStreamByHand(serverId, "news", { Name: "Renamed" }),
  },
  {
    declaration: webhookDeclaration,
    news: () => ({ serverId, url: "https://hooks.example.com/pm", httpAuth: { username: "pm", password: "s3cret" }, triggers: { open: { enabled: true } } }),
    otherKey: { url: "https://hooks.example.com/other" },
    editByHand: (id) => admin.editWebhookByHand(Number(id.split("/")[1]), { Triggers: { Click: { Enabled: true } } }),
  },
  {
    declaration: templateDeclaration,
    news: () => ({ serverId, name: "Welcome", alias: "welcome", subject: "Hi", textBody: "Hello" }),
    otherKey: { alias: "welcome-2" },
    editByHand: () => admin.editTemplateByHand(serverId, "welcome", { TextBody: "Changed" }),
  },
  {
    declaration: inboundRuleDeclaration,
    news: () => ({ serverId, rule: "spammer.example.com" }),
    otherKey: { rule: "junk.example.com" },
  },
  {
    declaration: domainDeclaration,
    news: () => ({ name: "example.com" }),
    otherKey: { name: "example.org" },
    editByHand: (id) => admin.editDomainByHand(Number(id), { ReturnPathDomain: "pm-bounces.example.com" }),
  },
  {
    declaration: senderSignatureDeclaration,
    news: () => ({ fromEmail: "billing@example.com", name: "Billing" }),
    otherKey: { fromEmail: "sales@example.com" },
    editByHand: (id) => admin.editSenderByHand(Number(id), { Name: "Someone else" }),
  },
];

describe.each(kinds.map((kind) => [kind.declaration.kind, kind] as const))("%s", (_kind, { declaration, news, otherKey, editByHand }) => {
  it("finds the object a create made, with the ID and outputs that create returned, and writes nothing", async () => {
    const inputs = checkedInputs(operationsOf(declaration), news());
    const created = await operationsOf(declaration).create(inputs);
    await admin.clearRequests();
    expect(await operationsOf(declaration).findInterruptedCreate(inputs, new Set())).toEqual([created]);
    expect((await admin.requests()).filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("never one a resource of the stack owns, and nothing where the create made nothing", async () => {
    const inputs = checkedInputs(operationsOf(declaration), news());
    expect(await operationsOf(declaration).findInterruptedCreate(inputs, new Set())).toEqual([]);
    const { id } = await operationsOf(declaration).create(inputs);
    expect(await operationsOf(declaration).findInterruptedCreate(inputs, new Set([id]))).toEqual([]);
  });

  it("not one with another key", async () => {
    const inputs = checkedInputs(operationsOf(declaration), news());
    await operationsOf(declaration).create(inputs);
    expect(await operationsOf(declaration).findInterruptedCreate({ ...inputs, ...otherKey }, new Set())).toEqual([]);
  });

  if (editByHand) {
    it("not one changed since: it is not what the create made", async () => {
      const inputs = checkedInputs(operationsOf(declaration), news());
      const { id } = await operationsOf(declaration).create(inputs);
      await editByHand(id);
      expect(await operationsOf(declaration).findInterruptedCreate(inputs, new Set())).toEqual([]);
    });
  }

  if (declaration.adopt) {
    it("nothing for an adoption, without a call: the next `up` adopts again", async () => {
      const inputs = { ...checkedInputs(operationsOf(declaration), news()), [declaration.adopt!.input]: 1 };
      expect(await operationsOf(declaration).findInterruptedCreate(inputs, new Set())).toEqual([]);
      expect(await admin.requests()).toEqual([]);
    });
  }
});

describe("what only some kinds have", () => {
  it("webhooks alike that no resource owns are all found: the recover command cannot tell which the create made", async () => {
    const inputs = { serverId, url: "https://hooks.example.com/pm", triggers: { open: { enabled: true } }, allowSameUrl: true };
    const made = [await operationsOf(webhookDeclaration).create(inputs), await operationsOf(webhookDeclaration).create(inputs)];
    expect((await operationsOf(webhookDeclaration).findInterruptedCreate(inputs, new Set())).map((f) => f.id)).toEqual(made.map((m) => m.id));
    expect((await operationsOf(webhookDeclaration).findInterruptedCreate(inputs, new Set([made[0].id]))).map((f) => f.id)).toEqual([made[1].id]);
  });

  it("a webhook of the same URL on another stream is not the one", async () => {
    await admin.createWebhookByHand(serverId, { Url: "https://hooks.example.com/pm", MessageStream: "broadcast" });
    expect(await operationsOf(webhookDeclaration).findInterruptedCreate({ serverId, url: "https://hooks.example.com/pm" }, new Set())).toEqual([]);
  });

  it("an archived stream is not what a create makes", async () => {
    const inputs = { serverId, streamId: "news", name: "News", messageStreamType: "Broadcasts" };
    await operationsOf(messageStreamDeclaration).create(inputs);
    await admin.archiveStreamByHand(serverId, "news");
    expect(await operationsOf(messageStreamDeclaration).findInterruptedCreate(inputs, new Set())).toEqual([]);
  });

  it("inside a server that is gone there is nothing", async () => {
    await admin.deleteByHand(serverId);
    expect(await operationsOf(templateDeclaration).findInterruptedCreate({ serverId, name: "Welcome", alias: "welcome", subject: "Hi", textBody: "Hello" }, new Set())).toEqual([]);
  });

  it("a verification makes nothing in Postmark: nothing, without a call", async () => {
    expect(await operationsOf(domainVerificationDeclaration).findInterruptedCreate({ domainId: 1, dkim: true }, new Set())).toEqual([]);
    expect(await admin.requests()).toEqual([]);
  });
});
