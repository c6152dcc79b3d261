/** With a state file, servers and the next ID survive a restart, and a crash mid-write cannot corrupt it. */
import * as fs from "node:fs";
import { request, useStateFileEmulator } from "./emulatorHarness";

// Pass-through spies, so tests can see (and once, break) how the state file is written.
jest.mock("node:fs", () => {
  const actual = jest.requireActual("node:fs");
  return { ...actual, writeFileSync: jest.fn(actual.writeFileSync), fsyncSync: jest.fn(actual.fsyncSync), renameSync: jest.fn(actual.renameSync) };
});

describe("state file", () => {
  const { dir, stateFile, emulator, start, stop, api } = useStateFileEmulator("postmark-emulator-state-", "servers.json");
  const createServer = async (Name: string) => (await api("POST", "/servers", { Name })).json;

  test("a missing state file starts empty and is created on the first change", async () => {
    await start();
    expect((await request(emulator!.url, "/__emulator/servers")).json).toEqual([]);
    expect(fs.existsSync(stateFile)).toBe(false);
    await createServer("First");
    expect(JSON.parse(fs.readFileSync(stateFile, "utf8")).servers).toHaveLength(1);
  });

  test("servers, edits, deletes and the next ID survive a restart", async () => {
    await start();
    const kept = await createServer("Kept");
    const deleted = await createServer("Deleted");
    await request(emulator!.url, `/servers/${kept.ID}`, { method: "PUT", body: { Color: "Green" } });
    await request(emulator!.url, `/servers/${deleted.ID}`, { method: "DELETE" });
    await stop();

    await start();
    const fetched = await request(emulator!.url, `/servers/${kept.ID}`);
    expect(fetched.status).toBe(200);
    expect(fetched.json).toEqual({ ...kept, Color: "green" });
    expect((await request(emulator!.url, `/servers/${deleted.ID}`)).status).toBe(404);
    expect((await createServer("After restart")).ID).toBe(deleted.ID + 1);
  });

  test("every write replaces the file whole through a temporary file, leaving no temporary file behind", async () => {
    await start();
    await createServer("One");
    await createServer("Two");
    expect(fs.readdirSync(dir)).toEqual(["servers.json"]);
    const state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
    expect(state).toEqual({ nextId: 3, servers: [expect.objectContaining({ Name: "One" }), expect.objectContaining({ Name: "Two" })] });
  });

  test("a request that changes nothing writes nothing (a DKIM check before the record is in DNS, as a wait polls it)", async () => {
    await start();
    const domain = (await api("POST", "/domains", { Name: "example.com" })).json;
    jest.clearAllMocks();
    expect((await api("PUT", `/domains/${domain.ID}/verifyDkim`)).json).toMatchObject({ ID: domain.ID, DKIMVerified: false });
    expect(fs.renameSync).not.toHaveBeenCalled();
    expect(fs.writeFileSync).not.toHaveBeenCalled();
    await createServer("Changed");
    expect(fs.renameSync).toHaveBeenCalledTimes(1);
  });

  test("a write goes to <file>.tmp-<pid>, is flushed with fsync, then renamed over the state file", async () => {
    await start();
    jest.clearAllMocks();
    await createServer("Flushed");
    const [[tmp, target]] = jest.mocked(fs.renameSync).mock.calls;
    expect([tmp, target]).toEqual([`${stateFile}.tmp-${process.pid}`, stateFile]);
    const written = jest.mocked(fs.writeFileSync).mock.invocationCallOrder[0];
    const [flushed] = jest.mocked(fs.fsyncSync).mock.invocationCallOrder;
    const [renamed] = jest.mocked(fs.renameSync).mock.invocationCallOrder;
    expect(written).toBeLessThan(flushed);
    expect(flushed).toBeLessThan(renamed);
  });

  test("a write that dies half-way leaves the previous state file intact, and the request fails with 500", async () => {
    await start();
    const saved = await createServer("Saved");
    jest.mocked(fs.writeFileSync).mockImplementationOnce((fd, data) => {
      fs.writeSync(fd as number, String(data).slice(0, 25));
      throw new Error("ENOSPC: no space left on device");
    });
    const res = await request(emulator!.url, "/servers", { method: "POST", body: { Name: "Unsaved" } });
    expect(res.status).toBe(500);
    expect((await request(emulator!.url, "/__emulator/servers")).json).toEqual([saved]);
    await stop();
    expect(JSON.parse(fs.readFileSync(stateFile, "utf8")).servers).toEqual([saved]);
    await start();
    expect((await request(emulator!.url, "/__emulator/servers")).json).toEqual([saved]);
  });

  test("a partial temporary file left by a crash mid-write does not break loading", async () => {
    await start();
    const saved = await createServer("Saved");
    await stop();
    // What a crash between write and rename leaves: a truncated tmp file beside the intact state file.
    fs.writeFileSync(`${stateFile}.tmp-99999`, '{"nextId": 7, "servers": [{"ID": 6, "Na');
    fs.writeFileSync(`${stateFile}.tmp-${process.pid}`, "");

    await start();
    expect((await request(emulator!.url, "/__emulator/servers")).json).toEqual([saved]);
    expect((await createServer("Next")).ID).toBe(saved.ID + 1);
  });

  test("a corrupt state file stops startup with a clear error instead of starting empty", async () => {
    fs.writeFileSync(stateFile, "{ not json");
    await expect(start()).rejects.toThrow(/state file .*servers\.json is not valid JSON/);
    expect(fs.readFileSync(stateFile, "utf8")).toBe("{ not json");
  });
});
