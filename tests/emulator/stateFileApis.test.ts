/** Streams and webhooks live in the same state file as servers, survive restarts, and old files still load. */
import * as fs from "node:fs";
import { useStateFileEmulator } from "./emulatorHarness";

describe("state file with streams and webhooks", () => {
  const { stateFile, start, stop, api, asServer, readState } = useStateFileEmulator("postmark-emulator-apis-");

  test("streams (created, edited, archived) and webhooks survive a restart, and webhook IDs are not reused", async () => {
    await start();
    const server = (await api("POST", "/servers", { Name: "Persisted" })).json;
    const serverToken = server.ApiTokens[0];
    await asServer(serverToken, "POST", "/message-streams", { ID: "news", Name: "News", MessageStreamType: "Broadcasts" });
    await asServer(serverToken, "PATCH", "/message-streams/news", { Description: "Monthly" });
    await asServer(serverToken, "POST", "/message-streams/broadcast/archive", {});
    const kept = (await asServer(serverToken, "POST", "/webhooks", { Url: "https://example.com/k", HttpAuth: { Username: "u", Password: "p" } })).json;
    const dropped = (await asServer(serverToken, "POST", "/webhooks", { Url: "https://example.com/d", MessageStream: "news" })).json;
    await asServer(serverToken, "DELETE", `/webhooks/${dropped.ID}`);
    const streamsBefore = (await asServer(serverToken, "GET", "/message-streams?IncludeArchivedStreams=true")).json;
    await stop();

    await start();
    expect((await asServer(serverToken, "GET", "/message-streams?IncludeArchivedStreams=true")).json).toEqual(streamsBefore);
    expect(streamsBefore.MessageStreams.find((s: { ID: string }) => s.ID === "broadcast").ArchivedAt).not.toBeNull();
    expect((await asServer(serverToken, "GET", "/webhooks")).json).toEqual({ Webhooks: [kept] });
    const next = (await asServer(serverToken, "POST", "/webhooks", { Url: "https://example.com/n" })).json;
    expect(next.ID).toBe(dropped.ID + 1);
  });

  test("the file keeps every collection side by side, and deleting a server removes its streams and webhooks from it", async () => {
    await start();
    const [a, b] = [(await api("POST", "/servers", { Name: "A" })).json, (await api("POST", "/servers", { Name: "B" })).json];
    await asServer(a.ApiTokens[0], "POST", "/webhooks", { Url: "https://example.com/a" });
    await asServer(b.ApiTokens[0], "POST", "/webhooks", { Url: "https://example.com/b" });
    const state = readState();
    expect(Object.keys(state)).toEqual(["nextId", "servers", "messageStreams", "nextWebhookId", "webhooks"]);
    expect(state.messageStreams.map((s: { ServerID: number }) => s.ServerID)).toEqual([a.ID, a.ID, a.ID, b.ID, b.ID, b.ID]);

    await api("DELETE", `/servers/${a.ID}`);
    const after = readState();
    expect(after.servers.map((s: { ID: number }) => s.ID)).toEqual([b.ID]);
    expect(new Set(after.messageStreams.map((s: { ServerID: number }) => s.ServerID))).toEqual(new Set([b.ID]));
    expect(after.webhooks.map((w: { Url: string }) => w.Url)).toEqual(["https://example.com/b"]);
  });

  test("an old state file {nextId, servers} loads: its servers get the default streams on first use", async () => {
    const old = {
      nextId: 8,
      servers: [{ ID: 7, Name: "From before streams", ApiTokens: ["old-server-token"], Color: "purple" }],
    };
    fs.writeFileSync(stateFile, JSON.stringify(old));
    await start();
    expect((await api("GET", "/servers/7")).json).toEqual(old.servers[0]);
    const listed = (await asServer("old-server-token", "GET", "/message-streams")).json;
    expect(listed.MessageStreams.map((s: { ID: string; ServerID: number }) => [s.ID, s.ServerID])).toEqual([
      ["outbound", 7],
      ["inbound", 7],
      ["broadcast", 7],
    ]);
    expect((await api("POST", "/servers", { Name: "Next" })).json.ID).toBe(8);
    await stop();
    expect(readState().messageStreams).toEqual(listed.MessageStreams);
  });

  test("a collection that is not an array stops startup with a clear error", async () => {
    fs.writeFileSync(stateFile, JSON.stringify({ nextId: 1, servers: [], webhooks: {} }));
    await expect(start()).rejects.toThrow(/state file .*state\.json has no "webhooks" array/);
  });

  test("reset empties every collection but keeps the next IDs", async () => {
    await start();
    const server = (await api("POST", "/servers", { Name: "Reset me" })).json;
    const hook = (await asServer(server.ApiTokens[0], "POST", "/webhooks", { Url: "https://example.com" })).json;
    await api("POST", "/__emulator/reset");
    expect(readState()).toEqual({ nextId: server.ID + 1, servers: [], nextWebhookId: hook.ID + 1 });
  });
});
