/**
 * scripts/ensure-pulumi.sh, which the demo, the tests and CI use to find a Pulumi CLI: a suitable `pulumi`
 * on PATH is used as it is, with nothing built; anything else falls back to the build. Each run here has
 * an empty cache and no Go on PATH, so a fallback shows as the build failing at once ("Go is required").
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { pulumiBinDir, repoRoot, TestStack } from "./pulumiHarness";

jest.setTimeout(120_000);

const script = path.join(repoRoot, "scripts", "ensure-pulumi.sh");
const cliFiles = ["pulumi", "pulumi-language-nodejs", "pulumi-language-yaml", "pulumi-resource-pulumi-nodejs"];
// Enough for the script (bash, sed, readlink, sha256sum), and without Go.
const systemPath = "/usr/bin:/bin";
const buildAttempted = "Go is required to build the Pulumi CLI";
const minimumVersion = /"@pulumi\/pulumi": "\^(\d+)\.(\d+)\.(\d+)"/.exec(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"))!;
const [, major, minor] = minimumVersion.map(Number);

let scratch: string;
/** A copy of the CLI in a directory named like Pulumi's release archive, not `bin`. */
let installedCli: string;
let test: TestStack | undefined;
const originalPath = process.env.PATH;

beforeAll(() => {
  const cli = pulumiBinDir();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-postmark-ensure-"));
  installedCli = path.join(scratch, "pulumi");
  fs.mkdirSync(installedCli);
  // Copies, not links: the script follows links to the directory of the real binary.
  for (const file of cliFiles) fs.copyFileSync(path.join(cli, file), path.join(installedCli, file), fs.constants.COPYFILE_FICLONE);
  for (const file of cliFiles) fs.chmodSync(path.join(installedCli, file), 0o755);
});

afterAll(async () => {
  process.env.PATH = originalPath;
  await test?.cleanup();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** A `pulumi` that only prints a version, with or without the plugins beside it. */
function fakeCli(name: string, version: string, withPlugins: boolean): string {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  for (const file of withPlugins ? cliFiles : ["pulumi"]) {
    fs.writeFileSync(path.join(dir, file), `#!/bin/sh\necho ${version}\n`, { mode: 0o755 });
  }
  return dir;
}

function ensurePulumi(env: Record<string, string>) {
  const emptyCache = fs.mkdtempSync(path.join(scratch, "cache-"));
  const run = spawnSync("bash", [script], { encoding: "utf8", env: { HOME: process.env.HOME!, PULUMI_POSTMARK_CACHE: emptyCache, ...env } });
  return { ...run, printedDir: run.stdout.trim().split("\n").pop(), emptyCache };
}

describe("scripts/ensure-pulumi.sh", () => {
  it("uses a suitable pulumi on PATH and prints its directory, building nothing", () => {
    const run = ensurePulumi({ PATH: `${installedCli}:${systemPath}` });
    expect(run.stderr).toMatch(new RegExp(`using the Pulumi CLI on PATH: v3\\.\\d+\\.\\d+ in ${installedCli}`));
    expect(run.status).toBe(0);
    expect(run.printedDir).toBe(installedCli);
    expect(fs.readdirSync(run.emptyCache)).toEqual([]);
  });

  it(`falls back to the build when the pulumi on PATH is older than v${major}.${minor}.0`, () => {
    const run = ensurePulumi({ PATH: `${fakeCli("old", `v${major}.${minor - 1}.0`, true)}:${systemPath}` });
    expect(run.stderr).toContain(`it is v${major}.${minor - 1}.0; this project needs v3, at least v${major}.${minor}.0`);
    expect(run.stderr).toContain(buildAttempted);
    expect(run.status).toBe(1);
  });

  it("falls back to the build when the pulumi on PATH is not v3, or has no Node.js language host beside it", () => {
    const v4 = ensurePulumi({ PATH: `${fakeCli("v4", "v4.0.0", true)}:${systemPath}` });
    expect(v4.stderr).toContain("it is v4.0.0; this project needs v3");
    expect(v4.stderr).toContain(buildAttempted);
    const alone = ensurePulumi({ PATH: `${fakeCli("alone", "v3.300.0", false)}:${systemPath}` });
    expect(alone.stderr).toContain("it has no pulumi-language-nodejs beside it");
    expect(alone.stderr).toContain(buildAttempted);
  });

  it("PULUMI_POSTMARK_BUILD_CLI=1 builds even with a suitable pulumi on PATH", () => {
    const run = ensurePulumi({ PATH: `${installedCli}:${systemPath}`, PULUMI_POSTMARK_BUILD_CLI: "1" });
    expect(run.stderr).toContain("PULUMI_POSTMARK_BUILD_CLI=1: not looking for a pulumi on PATH");
    expect(run.stderr).toContain(buildAttempted);
  });

  it("the lifecycle tests then run on the pulumi from PATH", async () => {
    // This file's module registry is its own, so pulumiBinDir() asks the script again, with the new PATH.
    jest.resetModules();
    process.env.PATH = `${installedCli}:${originalPath}`;
    const harness: typeof import("./pulumiHarness") = require("./pulumiHarness");
    expect(harness.pulumiBinDir()).toBe(installedCli);
    test = await harness.createTestStack({ program: "exports.answer = 42;" });
    expect(fs.realpathSync((test.stack.workspace as LocalWorkspace).pulumiCommand.command)).toBe(path.join(installedCli, "pulumi"));
    const up = await test.stack.up();
    expect(up.outputs.answer.value).toBe(42);
  });
});
