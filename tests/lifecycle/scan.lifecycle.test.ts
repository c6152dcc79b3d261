/**
 * `pulumi-postmark scan` as a user runs it (the built bin), on an account built by hand in the emulator, then the
 * written TypeScript program through the real Pulumi CLI: the first preview shows only adoptions, the first up makes
 * no write call, refresh and preview then show no changes, and a hand edit is found by refresh as usual. Also: a
 * selection of servers writes only theirs, and no token or secret is in plaintext in any file the scan writes.
 */
import * as fs from "fs";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { EmulatorAdmin } from "../support/emulatorAdmin";
import { buildHandMadeAccount, HandMadeAccount } from "../support/handMadeAccount";
import { createTestStack, repoRoot, TestStack } from "./pulumiHarness";

jest.setTimeout(600_000);

const accountToken = "lifecycle-scan-account-token-5c2e";
const bin = path.join(repoRoot, "dist", "provider", "commands", "cli.js");
/** What the hand-made account holds that a program declares (the archived stream and its webhook are not). */
const declared = 24;

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let account: HandMadeAccount;
let test: TestStack;

/** The bin as a user runs it, in the project's folder with the stack's environment (and the emulator's URL). */
const scan = (args: string[], env: Record<string, string> = {}) => test.run(process.execPath, [bin, "scan", ...args], env);

/** Every file under `dir`, concatenated. */
const filesUnder = (dir: string): string =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8"))
    .join("\n");

const writeCalls = async () => (await admin.requests()).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);

beforeAll(async () => {
  emulator = await startEmulator({ token: accountToken });
  admin = new EmulatorAdmin(emulator.url);
  account = await buildHandMadeAccount(admin);
  // What a scan cannot bring: an archived stream, and the webhook on it.
  const marketing = account.marketing.server.ID;
  await admin.createStreamByHand(marketing, { ID: "old-news", Name: "Old news", MessageStreamType: "Broadcasts" });
  await admin.createWebhookByHand(marketing, { Url: "https://hooks.example.com/postmark/old", MessageStream: "old-news", Triggers: { Open: { Enabled: true } } });
  await admin.archiveStreamByHand(marketing, "old-news");
  test = await createTestStack({
    secretConfig: { "postmark:accountToken": accountToken },
    env: { POSTMARK_API_URL: emulator.url, POSTMARK_RETRY_BASE_DELAY_MS: "10" },
  });
  // A TypeScript program (Pulumi's defaults, no tsconfig) whose index imports what the scan writes.
  fs.writeFileSync(path.join(test.workDir, "Pulumi.yaml"), "name: lifecycle\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n");
  fs.rmSync(path.join(test.workDir, "index.js"));
  fs.writeFileSync(path.join(test.workDir, "index.ts"), 'import "./postmark";\n');
});
afterAll(async () => {
  await test?.cleanup();
  await emulator?.stop();
});

describe("scan, then the written program through the Pulumi CLI", () => {
  it("scan writes the program, its template files and the import file, lists what it skips, and exits 3", async () => {
    await admin.clearRequests();
    const run = await scan(["--out", "postmark", "--stack", "test"]);
    expect(run.stderr).toContain("[2/2] Marketing (prod)");
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toMatch(/message stream "old-news" of server "Marketing \(prod\)".*counts as deleted/);
    expect(run.stdout).toMatch(/webhook "https:\/\/hooks.example.com\/postmark\/old" of server "Marketing \(prod\)".*names the message stream "old-news"/);
    expect(run.stdout).toContain('4 secrets set as secret config of stack "test"');
    expect(await writeCalls()).toEqual([]);
    const importFile = JSON.parse(fs.readFileSync(path.join(test.workDir, "postmark", "import.json"), "utf8"));
    expect(importFile.resources).toHaveLength(declared);
    expect(fs.readFileSync(path.join(test.workDir, "postmark", "templates", "billing-prod", "base.html"), "utf8")).toBe(
      (await admin.templates(account.billing.server.ID)).find((t) => t.Alias === "base")!.HtmlBody,
    );
  });

  it("no token, password or header value is in plaintext in any file the scan wrote", async () => {
    const servers = await admin.servers();
    const secrets = [
      accountToken,
      ...servers.flatMap((s) => [...(s.ApiTokens as string[]), String(s.InboundHash)]),
      ...[account.billing, account.marketing].flatMap((s) => [s.secrets.password, s.secrets.headerValue]),
    ];
    const written = filesUnder(path.join(test.workDir, "postmark")) + fs.readFileSync(path.join(test.workDir, "Pulumi.test.yaml"), "utf8");
    for (const secret of secrets) expect(written).not.toContain(secret);
    expect(written).toContain("config.requireSecret(");
  });

  it("the first preview shows only adoptions: a create carrying its adopt…Id for each object, no replace", async () => {
    const preview = await test.runCli(["preview", "--json"]);
    expect(preview.exitCode).toBe(0);
    const steps = (JSON.parse(preview.stdout).steps as { op: string; newState: { type: string; inputs: Record<string, unknown> } }[]).filter(
      (step) => step.newState.type !== "pulumi:pulumi:Stack",
    );
    expect(steps).toHaveLength(declared);
    for (const step of steps) {
      expect(step.op).toBe("create");
      expect(Object.keys(step.newState.inputs).filter((input) => input.startsWith("adopt"))).toHaveLength(1);
    }
  });

  it("the first up adopts every object with no write call to Postmark", async () => {
    await admin.clearRequests();
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toEqual({ create: declared + 1 });
    expect(await writeCalls()).toEqual([]);
  });

  it("refresh and preview afterwards show no changes", async () => {
    await admin.clearRequests();
    expect((await test.stack.refresh()).summary.resourceChanges).toEqual({ same: declared + 1 });
    expect((await test.stack.preview()).changeSummary).toEqual({ same: declared + 1 });
    expect(await writeCalls()).toEqual([]);
  });

  it("a hand edit after that is found by refresh, as for any resource", async () => {
    await admin.editTemplateByHand(account.billing.server.ID, "welcome", { Subject: "Changed in the web UI" });
    expect((await test.stack.refresh()).summary.resourceChanges).toEqual({ same: declared, update: 1 });
    const preview = await test.stack.preview();
    expect(preview.changeSummary).toEqual({ same: declared, update: 1 });
    expect(preview.stdout).toMatch(/billingProdWelcomeTemplate.*\[diff: ~subject\]/);
  });

  it("scan with a server selection writes only that server's objects (and the keys of its secrets to set)", async () => {
    // Without --stack, the token comes from the environment.
    const run = await scan(["--out", "billing-only", "--server", "billing*", "--no-account-objects"], { POSTMARK_ACCOUNT_TOKEN: accountToken });
    expect(run.exitCode).toBe(0);
    const resources = JSON.parse(fs.readFileSync(path.join(test.workDir, "billing-only", "import.json"), "utf8")).resources as { id: string; parent?: string }[];
    const billing = String(account.billing.server.ID);
    expect(resources.map((r) => r.id)).toEqual([billing, ...resources.slice(1).map((r) => r.id)]);
    expect(resources.slice(1).every((r) => r.id.startsWith(`${billing}/`) && r.parent === "billingProd")).toBe(true);
    expect(resources).toHaveLength(1 + 1 + 2 + 4 + 2);
    const program = fs.readFileSync(path.join(test.workDir, "billing-only", "index.ts"), "utf8");
    expect(program).not.toContain("marketingProd");
    expect(program).not.toContain("new PostmarkDomain(");
    expect(run.stdout).toContain("2 secrets to set before `pulumi preview`");
    expect(run.stdout).toMatch(/pulumi config set --secret billingProd\w+Password/);
  });
});
