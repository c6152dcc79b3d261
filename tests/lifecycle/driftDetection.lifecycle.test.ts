/**
 * Drift detection as a scheduled CI job runs it: the `pulumi preview` line of
 * examples/drift-detection/postmark-drift.yml, through the real CLI, against servers edited by hand in
 * the emulator. One stack, created once; each case changes Postmark a little further.
 */
import * as fs from "fs";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { EmulatorAdmin, StoredServer } from "../support/emulatorAdmin";
import { CliRun, createTestStack, repoRoot, TestStack } from "./pulumiHarness";

jest.setTimeout(300_000);

const workflow = fs.readFileSync(path.join(repoRoot, "examples", "drift-detection", "postmark-drift.yml"), "utf8");
/** The workflow's command without its `--stack` (the harness adds the test stack's). */
const driftCheck = /^\s*pulumi (preview .*?) --stack /m.exec(workflow)![1].split(/\s+/);
/** What the workflow's `case` treats as drift (the CLI's code for "changes were proposed", v3.226.1+). */
const driftExitCode = 7;

const accountToken = "drift-account-token-5e1c";
let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let test: TestStack;
let billing: StoredServer;

beforeAll(async () => {
  emulator = await startEmulator({ token: accountToken });
  admin = new EmulatorAdmin(emulator.url);
  test = await createTestStack({
    program: `
      const { PostmarkServer } = require("pulumi-postmark");
      new PostmarkServer("billing", { name: "Billing", color: "Red", trackOpens: true, inboundSpamThreshold: 10 });
    `,
    secretConfig: { "postmark:accountToken": accountToken },
    env: { POSTMARK_API_URL: emulator.url },
  });
  await test.stack.up();
  [billing] = await admin.servers();
});

afterAll(async () => {
  await test?.cleanup();
  await emulator?.stop();
});

/** The check's whole output, after asserting that no secret is in it. */
function output(run: CliRun): string {
  const text = run.stdout + run.stderr;
  expect(text).not.toContain(accountToken);
  for (const token of billing.ApiTokens as string[]) expect(text).not.toContain(token);
  return text;
}

describe("drift detection: pulumi preview --refresh --expect-no-changes", () => {
  it("the workflow's command is a refreshing preview that expects no changes", () => {
    expect(driftCheck).toEqual(expect.arrayContaining(["preview", "--refresh", "--expect-no-changes", "--diff"]));
  });

  it("exits 0 when Postmark matches the program", async () => {
    const run = await test.runCli(driftCheck);
    expect(output(run)).toMatch(/2 unchanged/);
    expect(run.exitCode).toBe(0);
  });

  it("exits 0 when only fields the program does not declare were changed by hand", async () => {
    await admin.editByHand(billing.ID, { TrackLinks: "HtmlOnly", SmtpApiActivated: true });
    const run = await test.runCli(driftCheck);
    // The refresh shows what Postmark now holds; no change is proposed.
    expect(output(run)).toMatch(/~ trackLinks\s*: "None" => "HtmlOnly"/);
    expect(run.exitCode).toBe(0);
  });

  it(`exits ${driftExitCode} when a declared field was changed by hand, naming the server and the field`, async () => {
    await admin.editByHand(billing.ID, { TrackOpens: false });
    const run = await test.runCli(driftCheck);
    const text = output(run);
    expect(text).toMatch(/~ pulumi-nodejs:dynamic\/postmark:PostmarkServer: \(update\)[\s\S]*PostmarkServer::billing\][\s\S]*name\s*: "Billing"/);
    expect(text).toMatch(/~ trackOpens\s*: false => true/);
    expect(text).not.toMatch(/~ trackLinks\s*: "HtmlOnly" =>/);
    expect(text).toContain("no changes were expected");
    expect(run.exitCode).toBe(driftExitCode);
    // A preview writes nothing: the state still has the value from before the hand edit.
    expect(JSON.parse(await test.exportState()).deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::billing")).outputs.trackOpens).toBe(true);
  });

  it(`exits ${driftExitCode} when a server was deleted by hand, proposing to create it again`, async () => {
    await admin.deleteByHand(billing.ID);
    const run = await test.runCli(driftCheck);
    expect(output(run)).toMatch(/\+ pulumi-nodejs:dynamic\/postmark:PostmarkServer: \(create\)[\s\S]*PostmarkServer::billing\]/);
    expect(run.exitCode).toBe(driftExitCode);
  });

  it(`exits with another code than 0 or ${driftExitCode} when the check itself cannot run (Postmark unreachable)`, async () => {
    const run = await test.runCli(driftCheck, { POSTMARK_API_URL: "http://127.0.0.1:1", POSTMARK_MAX_ATTEMPTS: "1" });
    expect(output(run)).toMatch(/Postmark read server \(\d+\) failed: no answer/);
    expect(run.exitCode).not.toBe(0);
    expect(run.exitCode).not.toBe(driftExitCode);
  });
});
