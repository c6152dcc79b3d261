/**
 * A `pulumi up` or `pulumi destroy` killed mid-run, as a cancelled CI job or a dying runner kills it (SIGKILL to the
 * CLI's process group and Pulumi's plugins, nothing saved), then what the docs say to do: clear what Pulumi's file
 * backend leaves behind (its lock, an empty `.attrs`), `npx pulumi-postmark recover`, `pulumi up`. One stack with every
 * kind that makes something in Postmark, killed after its first create, a third and two thirds of its creates, and
 * twice in a destroy (before a delete reached Postmark, and once Postmark deleted an object). Each time: nothing pending,
 * no twin (each key once in Postmark), no orphan (every object owned by a resource of the state); after `pulumi up`,
 * one object per declared resource and a preview with no change.
 *
 * The emulator answers writes late (answerDelayMs): a kill right after Postmark made an object is a kill before the
 * CLI heard of it, the window a real kill hits.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { EmulatorAdmin, LoggedRequest } from "../support/emulatorAdmin";
import { expectNotInState } from "./expectations";
import { CliRun, createTestStack, TestStack } from "./pulumiHarness";

jest.setTimeout(600_000);

const accountToken = "interrupted-account-token-8c1f";
const passwords = [1, 2, 3, 4].map((i) => `hook-password-${i}-s3cret`);
const program = `
const { PostmarkServer, PostmarkMessageStream, PostmarkWebhook, PostmarkTemplate, PostmarkInboundRule, PostmarkDomain,
  PostmarkSenderSignature } = require("pulumi-postmark");
const server = new PostmarkServer("mail", { name: "Interrupted", color: "Blue", trackOpens: true });
const serverId = server.serverId;
const news = new PostmarkMessageStream("news", { serverId, streamId: "news", name: "News", messageStreamType: "Broadcasts" });
const passwords = ${JSON.stringify(passwords)};
passwords.forEach((password, i) => new PostmarkWebhook("hook-" + (i + 1), {
  serverId, url: "https://hooks.example.com/" + (i + 1), httpAuth: { username: "pm", password }, triggers: { delivery: { enabled: true } },
}));
// The same URL as hook-1, on another stream: no twin of it.
new PostmarkWebhook("news-hook", { serverId, messageStream: news.streamId, url: "https://hooks.example.com/1", triggers: { open: { enabled: true } } });
for (const alias of ["welcome", "receipt", "reset"]) {
  new PostmarkTemplate(alias, { serverId, name: alias, alias, subject: "Hi {{name}}", textBody: "Hello {{name}}" });
}
new PostmarkInboundRule("spammer", { serverId, rule: "spammer.example.com" });
new PostmarkInboundRule("junk", { serverId, rule: "junk@example.org" });
const domain = new PostmarkDomain("domain", { name: "interrupted.example.com" });
new PostmarkSenderSignature("billing", { fromEmail: "billing@interrupted.example.com", name: "Billing" }, { dependsOn: [domain] });
`;
/** Every declared resource makes one object: 1 server, 1 stream, 5 webhooks, 3 templates, 2 rules, 1 domain, 1 signature. */
const declaredCount = 14;

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let test: TestStack;

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

/** One object in Postmark: its kind, its unique key (a webhook's is its URL and stream), and its Pulumi ID. */
interface PostmarkObject {
  kind: string;
  key: string;
  id: string;
}

/** Every object the program's kinds make, from the emulator's store. */
async function objectsInPostmark(): Promise<PostmarkObject[]> {
  const objects: PostmarkObject[] = [];
  for (const server of await admin.servers()) {
    const at = (id: unknown) => `${server.ID}/${id}`;
    objects.push({ kind: "PostmarkServer", key: server.Name, id: String(server.ID) });
    for (const s of await admin.streams(server.ID)) {
      if (!["outbound", "inbound", "broadcast"].includes(s.ID) && !s.ArchivedAt) objects.push({ kind: "PostmarkMessageStream", key: s.ID, id: at(s.ID) });
    }
    for (const w of await admin.webhooks(server.ID)) objects.push({ kind: "PostmarkWebhook", key: `${w.Url} on ${w.MessageStream}`, id: at(w.ID) });
    for (const t of await admin.templates(server.ID)) objects.push({ kind: "PostmarkTemplate", key: String(t.Alias), id: at(t.TemplateId) });
    for (const r of await admin.inboundRules(server.ID)) objects.push({ kind: "PostmarkInboundRule", key: r.Rule, id: at(r.ID) });
  }
  for (const d of await admin.domains()) objects.push({ kind: "PostmarkDomain", key: d.Name, id: String(d.ID) });
  for (const s of await admin.senders()) objects.push({ kind: "PostmarkSenderSignature", key: s.EmailAddress, id: String(s.ID) });
  return objects;
}

interface StateSummary {
  /** "<kind> <id>" of each Postmark resource in the state. */
  owned: string[];
  /** "<operation> <resource name>" of each pending operation. */
  pending: string[];
}

async function stateSummary(): Promise<StateSummary> {
  const { deployment } = JSON.parse(await test.exportState());
  const kindOf = (type: string) => type.split(":").pop();
  return {
    owned: (deployment.resources ?? [])
      .filter((r: { type: string }) => r.type.startsWith("pulumi-nodejs:dynamic/postmark:"))
      .map((r: { type: string; id: string }) => `${kindOf(r.type)} ${r.id}`)
      .sort(),
    pending: (deployment.pending_operations ?? []).map((op: { type: string; resource: { urn: string } }) => `${op.type} ${op.resource.urn.split("::").pop()}`),
  };
}

/** No twin (each key once), no orphan (every object owned by a resource of the state), nothing pending. */
async function expectNoTwinNoOrphan(): Promise<PostmarkObject[]> {
  const objects = await objectsInPostmark();
  const keys = objects.map((o) => `${o.kind} ${o.key}`);
  expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
  const state = await stateSummary();
  expect(state.pending).toEqual([]);
  expect(state.owned).toEqual(objects.map((o) => `${o.kind} ${o.id}`).sort());
  return objects;
}

/** The stack converged: exactly one object per declared resource, each owned by it, and a preview with no change. */
async function expectConverged(): Promise<void> {
  expect(await expectNoTwinNoOrphan()).toHaveLength(declaredCount);
  expect((await test.stack.preview()).changeSummary).toEqual({ same: declaredCount + 1 });
}

/** The secrets of the stack: the token, the webhooks' passwords, the server's tokens and the local part of its inbound address. */
async function secrets(): Promise<string[]> {
  const servers = await admin.servers();
  return [accountToken, ...passwords, ...servers.flatMap((server) => [...(server.ApiTokens as string[]), String(server.InboundHash)])];
}

/** What a kill point is decided on: Postmark's objects, and the requests Postmark has answered (or dropped). */
interface Progress {
  objects: PostmarkObject[];
  requests: LoggedRequest[];
}

/** How long after making an object (or deleting one) Postmark answers, in a killed run: far longer than one look at Postmark takes. */
const answerDelayMs = 1500;

/**
 * Starts `pulumi <args>` and kills it (and its plugins) as soon as `reached` holds. Writes are answered `answerDelayMs`
 * after they are made, so the object that reaches the point is one the CLI has not heard of. `faults` (emulator settings)
 * and `env` (the CLI's) shape the run, e.g. to hold one operation back before it reaches Postmark.
 */
async function killWhen(
  args: string[],
  reached: (progress: Progress) => boolean,
  { faults = {}, env = {} }: { faults?: Record<string, unknown>; env?: Record<string, string> } = {},
): Promise<CliRun> {
  await admin.clearRequests();
  await admin.settings({ answerDelayMs, ...faults });
  const run = test.startKillableCli(args, env);
  let ended: CliRun | undefined;
  void run.done.then((result) => (ended = result));
  try {
    while (!reached({ objects: await objectsInPostmark(), requests: await admin.requests() })) {
      if (ended) throw new Error(`pulumi ${args[0]} ended before the kill point:\n${ended.stdout}\n${ended.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    return await run.kill();
  } finally {
    // What the kill caught in flight was made before its answer was due: nothing more happens after this.
    await new Promise((resolve) => setTimeout(resolve, answerDelayMs + 100));
    await admin.settings({ answerDelayMs: 0, faultQueue: [], createFaultQueue: [] });
  }
}

/**
 * One request of the run is dropped before Postmark acts on it, and the provider waits 10-20 s before it tries again:
 * the kill finds an operation that is pending in the state and not done in Postmark. `faults` says which request.
 */
const heldBack = (faults: Record<string, string[]>) => ({ faults, env: { POSTMARK_RETRY_BASE_DELAY_MS: "20000" } });
const wasHeldBack = (requests: LoggedRequest[]) => requests.some((r) => r.fault === "reset");

/**
 * What the docs (docs/reliability.md) tell the user to do about Pulumi's file backend after a kill, before anything
 * else: delete the empty `.attrs` metadata files it may have left, and remove the lock the killed run kept
 * (`pulumi cancel`). Returns whether the stack was locked.
 */
function clearBackendLeftovers(): boolean {
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
  const all = files(test.backendDir);
  for (const file of all.filter((f) => f.endsWith(".attrs") && fs.statSync(f).size === 0)) fs.rmSync(file);
  const locked = all.some((f) => f.includes(`${path.sep}locks${path.sep}`) && f.endsWith(".json"));
  if (locked) test.cli(["cancel", "--yes"]);
  return locked;
}

/**
 * `npx pulumi-postmark recover --stack test`, as the user runs it in the project. Neither what it prints nor the state it
 * wrote (`pulumi stack export`, and every file of the backend) holds a secret in plaintext.
 */
async function recover(): Promise<string> {
  const bin = path.join(test.workDir, "node_modules", "pulumi-postmark", "dist", "provider", "commands", "cli.js");
  const { stdout } = await promisify(execFile)(process.execPath, [bin, "recover", "--stack", test.stack.name], {
    cwd: test.workDir,
    env: { ...process.env, ...test.env },
  });
  const secretValues = await secrets();
  for (const secret of secretValues) expect(stdout).not.toContain(secret);
  await expectNotInState(test, secretValues);
  return stdout;
}

const count = (objects: PostmarkObject[], kind?: string) => objects.filter((o) => !kind || o.kind === kind).length;
const up = ["up", "--yes", "--skip-preview", "--parallel", "2"];

describe("a killed `pulumi up`, then the documented recovery and `pulumi up`", () => {
  it("killed at its first create: recover takes the server it made into the stack", async () => {
    const killed = await killWhen(up, ({ objects }) => count(objects, "PostmarkServer") === 1);
    expect(killed.exitCode).toBeNull();
    expect((await stateSummary()).pending).toContain("creating mail");
    // The killed run's lock stays in the file backend: every `pulumi up` would stop on it.
    expect(clearBackendLeftovers()).toBe(true);
    const report = await recover();
    expect(report).toMatch(/import +PostmarkServer "mail": server \d+ \(Interrupted\)/);
    await expectNoTwinNoOrphan();
    // Twice is safe: nothing is left to do.
    expect(await recover()).toBe(`Stack ${test.stack.name} has no pending operations: nothing to recover.\n`);
  });

  it("killed after a third of its creates: `up` again makes no twin webhook and leads to recover, which takes the webhook", async () => {
    const killed = await killWhen(up, ({ objects }) => count(objects, "PostmarkWebhook") >= 2);
    expect(killed.exitCode).toBeNull();
    clearBackendLeftovers();
    // What a user does first: `pulumi up` again (here only for the webhooks the killed run was creating, so that the next
    // test still has two thirds of the creates to kill). It refuses to make a second webhook for a URL and stream.
    const creating = (await stateSummary()).pending.filter((op) => /^creating (news-)?hook/.test(op)).map((op) => op.split(" ")[1]);
    const urn = (name: string) => `urn:pulumi:${test.stack.name}::lifecycle::pulumi-nodejs:dynamic/postmark:PostmarkWebhook::${name}`;
    const again = await test.runCli(["up", "--yes", "--skip-preview", ...creating.flatMap((name) => ["--target", urn(name)])]);
    expect(again.exitCode).not.toBe(0);
    const output = again.stdout + again.stderr;
    expect(output).toMatch(/already has a webhook for https:\/\/hooks\.example\.com\/\d \(webhook ID \d+\)/);
    expect(output).toContain("run `npx pulumi-postmark recover --stack <stack>`");
    const report = await recover();
    expect(report).toMatch(/import +PostmarkWebhook "(news-)?hook(-\d)?": webhook \d+\/\d+ \(https:\/\/hooks\.example\.com\/\d\)/);
    await expectNoTwinNoOrphan();
  });

  it("killed after two thirds of its creates: recover, then `up` converges with no twin, no orphan and no change left", async () => {
    const twoThirds = Math.max(count(await objectsInPostmark()) + 1, Math.ceil((declaredCount * 2) / 3));
    const killed = await killWhen(up, ({ objects, requests }) => wasHeldBack(requests) && count(objects) >= twoThirds, heldBack({ createFaultQueue: ["reset"] }));
    expect(killed.exitCode).toBeNull();
    clearBackendLeftovers();
    const report = await recover();
    expect(report).toMatch(/import +Postmark\w+ "[\w-]+": [\w ]+ [\d/]+ \(.+\) is what its create made/);
    // The create held back never reached Postmark: nothing to take, and the next `up` makes it.
    expect(report).toMatch(/clear +Postmark\w+ "[\w-]+": its create made nothing to take over/);
    await expectNoTwinNoOrphan();
    const finished = await test.runCli(up);
    expect(finished.exitCode).toBe(0);
    await expectConverged();
  });
});

describe("a killed `pulumi destroy`, then the documented recovery and `pulumi up`", () => {
  const destroy = ["destroy", "--yes", "--skip-preview", "--parallel", "2"];

  it("killed while a delete has not reached Postmark: recover keeps its resource, as its object stays", async () => {
    // Whichever request comes first (a delete, or the token lookup the deletes inside the server wait for) is held back.
    const killed = await killWhen(destroy, ({ requests }) => wasHeldBack(requests), heldBack({ faultQueue: ["reset"] }));
    expect(killed.exitCode).toBeNull();
    clearBackendLeftovers();
    expect(await recover()).toMatch(/keep +Postmark\w+ "[\w-]+": its delete was not done \(\w[\w ]* [\d/]+ is still there\), so it stays in the stack/);
    await expectNoTwinNoOrphan();
  });

  it("killed once Postmark deleted an object: recover drops its resource, and `up` brings back exactly what was deleted", async () => {
    const before = count(await objectsInPostmark());
    const killed = await killWhen(destroy, ({ objects }) => count(objects) < before);
    expect(killed.exitCode).toBeNull();
    clearBackendLeftovers();
    expect(await recover()).toMatch(/remove +Postmark\w+ "[\w-]+": its delete was done \(\w[\w ]* [\d/]+ is gone from Postmark\)/);
    await expectNoTwinNoOrphan();
    const finished = await test.runCli(up);
    expect(finished.exitCode).toBe(0);
    await expectConverged();
  });
});
