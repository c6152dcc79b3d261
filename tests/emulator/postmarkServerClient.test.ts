/**
 * The official `postmark` npm client's ServerClient, pointed at the emulator, driving Message Streams and
 * Webhooks. If it cannot talk to the emulator, the emulator's paths, methods, query names or bodies are not
 * Postmark's.
 */
import { Errors, Models, ServerClient } from "postmark";
import { useEmulator } from "./emulatorHarness";

describe("the official postmark ServerClient", () => {
  const pm = useEmulator();
  let serverToken: string;
  const client = (tokenToUse = serverToken) => new ServerClient(tokenToUse, pm.officialClientOptions());

  beforeEach(async () => {
    ({ token: serverToken } = await pm.server("Client streams"));
  });

  test("lists, gets, creates, edits, archives and unarchives message streams", async () => {
    const defaults = await client().getMessageStreams();
    expect(defaults.TotalCount).toBe(3);
    expect((await client().getMessageStream("outbound")).ID).toBe("outbound");

    const created = await client().createMessageStream(
      new Models.CreateMessageStreamRequest("newsletter", "Newsletter", "Broadcasts", "Monthly news", {
        UnsubscribeHandlingType: Models.UnsubscribeHandlingTypes.Postmark,
      }),
    );
    expect(created).toMatchObject({ ID: "newsletter", Name: "Newsletter", MessageStreamType: "Broadcasts", Description: "Monthly news" });
    expect((await client().getMessageStreams()).TotalCount).toBe(4);

    const edited = await client().editMessageStream("newsletter", new Models.UpdateMessageStreamRequest("News", "Weekly news"));
    expect(edited).toMatchObject({ ID: "newsletter", Name: "News", Description: "Weekly news", UpdatedAt: expect.any(String) });

    const archived = await client().archiveMessageStream("newsletter");
    expect(archived).toEqual({ ID: "newsletter", ServerID: created.ServerID, ExpectedPurgeDate: expect.any(String) });
    expect((await client().getMessageStream("newsletter")).ArchivedAt).toEqual(expect.any(String));
    const withArchived = await client().getMessageStreams(new Models.MessageStreamsFilteringParameters("Broadcasts", true));
    expect(withArchived.MessageStreams.map((s) => s.ID)).toEqual(["broadcast", "newsletter"]);
    expect((await client().getMessageStreams({ messageStreamType: "Broadcasts" })).MessageStreams.map((s) => s.ID)).toEqual(["broadcast"]);

    const unarchived = await client().unarchiveMessageStream("newsletter");
    expect(unarchived).toMatchObject({ ID: "newsletter", ArchivedAt: null, MessageStreamType: "Broadcasts" });
  });

  test("creates, gets, lists, edits and deletes webhooks", async () => {
    const created = await client().createWebhook(new Models.CreateWebhookRequest("https://example.com/hook", { Open: { Enabled: true } }));
    expect(created).toMatchObject({ Url: "https://example.com/hook", MessageStream: "outbound", Triggers: { Open: { Enabled: true, PostFirstOpenOnly: false }, Click: { Enabled: false } } });

    expect(await client().getWebhook(created.ID)).toEqual(created);
    expect(await client().getWebhooks()).toEqual({ Webhooks: [created] });
    expect(await client().getWebhooks(new Models.WebhookFilteringParameters("broadcast"))).toEqual({ Webhooks: [] });

    const edited = await client().editWebhook(created.ID, { Triggers: { SpamComplaint: { Enabled: true } } });
    expect(edited.Triggers).toMatchObject({ SpamComplaint: { Enabled: true, IncludeContent: false }, Open: { Enabled: true } });

    const deleted = await client().deleteWebhook(created.ID);
    expect(deleted).toEqual({ ErrorCode: 0, Message: `Webhook ${created.ID} removed.` });
    expect((await client().getWebhooks()).Webhooks).toEqual([]);
  });

  test("getServer answers the server of the token sent, as the account API has it; another token, another server", async () => {
    const server = await client().getServer();
    expect(server).toMatchObject({ Name: "Client streams", ApiTokens: [serverToken], Color: expect.any(String) });
    const other = await pm.server("Client other");
    expect(await client(other.token).getServer()).toMatchObject({ ID: other.id, Name: "Client other" });
    const wrongToken = await client("not-a-server-token").getServer().catch((e: unknown) => e);
    expect(wrongToken).toMatchObject({ statusCode: 401, code: 10 });
  });

  test("Postmark's refusals surface as the client's errors with their ErrorCodes", async () => {
    const missingStream = await client().getMessageStream("nothing").catch((e: unknown) => e);
    expect(missingStream).toBeInstanceOf(Errors.ApiInputError);
    expect(missingStream).toMatchObject({ statusCode: 422, code: 1226 });

    const missingHook = await client().getWebhook(4242).catch((e: unknown) => e);
    expect(missingHook).toMatchObject({ statusCode: 422, code: 1352 });

    const archiveOutbound = await client().archiveMessageStream("outbound").catch((e: unknown) => e);
    expect(archiveOutbound).toMatchObject({ statusCode: 422, code: 1229 });

    // Sending is not emulated: the client sees a 404 that says so, not a token problem.
    const sending = await client().sendEmailWithTemplate({ From: "a@example.com", To: "b@example.com", TemplateId: 1, TemplateModel: {} }).catch((e: unknown) => e);
    expect(sending).toMatchObject({ statusCode: 404, message: expect.stringContaining("does not cover POST /email/withTemplate") });

    const wrongToken = await client("not-a-server-token").getMessageStreams().catch((e: unknown) => e);
    expect(wrongToken).toBeInstanceOf(Errors.InvalidAPIKeyError);
    expect(wrongToken).toMatchObject({ statusCode: 401, code: 10 });
  });
});
