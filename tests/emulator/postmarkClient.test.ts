/**
 * The official `postmark` npm client, written by Postmark, pointed at the emulator. If it cannot talk to the
 * emulator, the emulator's paths, headers or bodies are not Postmark's.
 */
import { AccountClient, Errors } from "postmark";
import { token, useEmulator } from "./emulatorHarness";

describe("the official postmark client", () => {
  const pm = useEmulator();
  const client = (accountToken = token) => new AccountClient(accountToken, pm.officialClientOptions());

  test("creates, gets, edits, lists and deletes a server", async () => {
    const created = await client().createServer({ Name: "Client Server", Color: "Blue", TrackLinks: "HtmlOnly" as never });
    expect(created).toMatchObject({ Name: "Client Server", Color: "blue", TrackLinks: "HtmlOnly", DeliveryType: "Live" });

    expect(await client().getServer(created.ID)).toEqual(created);

    const edited = await client().editServer(created.ID, { Name: "Client Server 2", SmtpApiActivated: true });
    expect(edited).toEqual({ ...created, Name: "Client Server 2", SmtpApiActivated: true });

    const listed = await client().getServers({ count: 10, offset: 0, name: "client server" });
    expect(listed).toEqual({ TotalCount: 1, Servers: [edited] });

    const deleted = await client().deleteServer(created.ID);
    expect(deleted).toEqual({ ErrorCode: 0, Message: "Server Client Server 2 removed." });
    expect(await pm.stored()).toEqual([]);
  });

  test("the client's default list call (count 100, offset 0) is accepted", async () => {
    await client().createServer({ Name: "Default page" });
    expect((await client().getServers()).TotalCount).toBe(1);
  });

  test("a wrong token surfaces as InvalidAPIKeyError with status 401 and ErrorCode 10", async () => {
    const error = await client("not-the-token").getServer(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Errors.InvalidAPIKeyError);
    expect(error).toMatchObject({ statusCode: 401, code: 10 });
  });

  test("a missing server's bare 404 surfaces as a plain PostmarkError with status 404 and no ErrorCode", async () => {
    const error = await client().getServer(4242).catch((e: unknown) => e);
    expect((error as Error).constructor).toBe(Errors.PostmarkError);
    expect(error).toMatchObject({ statusCode: 404, code: 0 });
  });

  test("a duplicate name surfaces as ApiInputError with status 422 and ErrorCode 603", async () => {
    await client().createServer({ Name: "Twin" });
    const error = await client().createServer({ Name: "twin" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Errors.ApiInputError);
    expect(error).toMatchObject({ statusCode: 422, code: 603, message: expect.stringMatching(/already exists/) });
  });

  test("a missing server in 422 mode surfaces as ApiInputError with ErrorCode 601", async () => {
    await pm.settings({ missingServer: "422" });
    const error = await client().deleteServer(4242).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Errors.ApiInputError);
    expect(error).toMatchObject({ statusCode: 422, code: 601 });
  });

  test("a rate limit surfaces as RateLimitExceededError with status 429 and ErrorCode 429", async () => {
    await pm.settings({ faults: "429:1" });
    const error = await client().getServers().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Errors.RateLimitExceededError);
    expect(error).toMatchObject({ statusCode: 429, code: 429 });
  });

  test("maintenance surfaces as ServiceUnavailablerError with status 503 and ErrorCode 100", async () => {
    await pm.settings({ faults: "503:1" });
    const error = await client().getServer(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Errors.ServiceUnavailablerError);
    expect(error).toMatchObject({ statusCode: 503, code: 100 });
  });
});
