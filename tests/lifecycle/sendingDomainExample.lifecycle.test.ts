/**
 * examples/sending-domain: the program whose DKIM and Return-Path records go into Cloudflare, then are verified.
 * Cloudflare's plugin cannot be downloaded here, so the program is type-checked against the real
 * @pulumi/cloudflare npm package, and its twin (the same program with `dnsProvider: emulator`, whose records go
 * into the emulator's DNS) runs through the real CLI against the emulator, on one stack.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { EmulatorAdmin } from "../support/emulatorAdmin";
import { createTestStack, repoRoot, TestStack } from "./pulumiHarness";

jest.setTimeout(300_000);

const accountToken = "example-account-token-3c1f0a";
const exampleDir = path.join(repoRoot, "examples", "sending-domain");

describe("examples/sending-domain with Cloudflare: type-checked against the real @pulumi/cloudflare package", () => {
  let workDir: string;
  afterAll(() => workDir && fs.rmSync(workDir, { recursive: true, force: true }));

  it("the program and its Cloudflare module compile with the version its package.json names", () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "sending-domain-types-"));
    const project = path.join(workDir, "project");
    fs.cpSync(exampleDir, project, { recursive: true, filter: (source) => !source.includes("node_modules") });
    // The repo's packages (pulumi-postmark and @pulumi/pulumi included), plus Cloudflare's from npm (1.3 MB packed).
    const modules = path.join(project, "node_modules");
    fs.mkdirSync(path.join(modules, "@pulumi"), { recursive: true });
    const repoModules = path.join(repoRoot, "node_modules");
    for (const entry of fs.readdirSync(repoModules).filter((e) => e !== "@pulumi" && e !== ".bin")) {
      fs.symlinkSync(path.join(repoModules, entry), path.join(modules, entry));
    }
    fs.symlinkSync(path.join(repoModules, "@pulumi", "pulumi"), path.join(modules, "@pulumi", "pulumi"));
    const version = JSON.parse(fs.readFileSync(path.join(exampleDir, "package.json"), "utf8")).dependencies["@pulumi/cloudflare"];
    const packed = execFileSync("npm", ["pack", `@pulumi/cloudflare@${version}`, "--silent", "--pack-destination", workDir], { cwd: workDir, encoding: "utf8" })
      .trim()
      .split("\n")
      .pop()!;
    fs.mkdirSync(path.join(modules, "@pulumi", "cloudflare"));
    execFileSync("tar", ["-xzf", path.join(workDir, packed), "-C", path.join(modules, "@pulumi", "cloudflare"), "--strip-components=1"]);

    const tsc = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(repoModules, "typescript", "bin", "tsc"), "-p", path.join(project, "tsconfig.json"), ...args], { encoding: "utf8" });
    // The Cloudflare module is part of the compilation, not just present.
    expect(tsc("--listFilesOnly").stdout).toContain(path.join(project, "dns", "cloudflare.ts"));
    const compiled = tsc();
    expect(compiled.stdout + compiled.stderr).toBe("");
    expect(compiled.status).toBe(0);
  });
});

describe("examples/sending-domain's twin against the emulator: the DNS step is the emulator's DNS", () => {
  let emulator: RunningEmulator;
  let admin: EmulatorAdmin;
  let test: TestStack;

  beforeAll(async () => {
    emulator = await startEmulator({ token: accountToken });
    admin = new EmulatorAdmin(emulator.url);
    test = await createTestStack({
      projectDir: exampleDir,
      stackName: "emulated",
      secretConfig: { "postmark:accountToken": accountToken },
      env: { POSTMARK_API_URL: emulator.url },
    });
  });
  afterAll(async () => {
    await test?.cleanup();
    await emulator?.stop();
  });

  it("up publishes the CNAME, makes the domain, publishes its DKIM record and verifies both; preview is then empty", async () => {
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toEqual({ create: 5 });
    const [domain] = await admin.domains();
    expect(domain).toMatchObject({ Name: "example.com", ReturnPathDomain: "pm-bounces.example.com", DKIMVerified: true, ReturnPathDomainVerified: true });
    expect((await admin.dnsRecords()).map((r) => `${r.Type} ${r.Host} ${r.Value}`).sort()).toEqual(
      [`CNAME pm-bounces.example.com pm.mtasv.net`, `TXT ${domain.DKIMHost} ${domain.DKIMTextValue}`].sort(),
    );
    // One listing before the create, the create, then each check once: the records were there when it ran.
    expect((await admin.requests()).map((r) => `${r.method} ${r.path.split("?")[0]}`)).toEqual([
      "GET /domains",
      "POST /domains",
      `PUT /domains/${domain.ID}/verifyDkim`,
      `PUT /domains/${domain.ID}/verifyReturnPath`,
    ]);
    expect(up.outputs).toMatchObject({ dkimVerified: { value: true }, returnPathVerified: { value: true }, dkimHost: { value: domain.DKIMHost } });

    await admin.clearRequests();
    expect((await test.stack.preview()).changeSummary).toEqual({ same: 5 });
    expect(await admin.requests()).toEqual([]);
  });

  it("the domain does not wait for its Return-Path record (Postmark takes a Return-Path before its CNAME); the verification waits for both records", async () => {
    const resources: { urn: string; dependencies?: string[] }[] = JSON.parse(await test.exportState()).deployment.resources;
    const urnOf = (name: string) => resources.find((r) => r.urn.endsWith(`::${name}`))!.urn;
    const dependenciesOf = (kind: string) => resources.find((r) => r.urn.includes(`:${kind}::`))!.dependencies ?? [];
    expect(dependenciesOf("PostmarkDomain")).not.toContain(urnOf("postmark-return-path"));
    expect(dependenciesOf("PostmarkDomainVerification")).toEqual(expect.arrayContaining([urnOf("postmark-return-path"), urnOf("postmark-dkim")]));
  });

  it("a new Return-Path domain replaces its record, sets it on the domain and checks it again, in one up", async () => {
    const [domain] = await admin.domains();
    await test.stack.setConfig("returnPathSubdomain", { value: "bounces" });
    await admin.clearRequests();
    const up = await test.stack.up();
    // The CNAME record is replaced, the domain edited, and the verification replaced with it (replaceWith).
    expect(up.summary.resourceChanges).toEqual({ replace: 2, update: 1, same: 2 });
    expect((await admin.requests()).map((r) => `${r.method} ${r.path}`)).toEqual([
      `PUT /domains/${domain.ID}`,
      `PUT /domains/${domain.ID}/verifyDkim`,
      `PUT /domains/${domain.ID}/verifyReturnPath`,
    ]);
    expect((await admin.domains())[0]).toMatchObject({ ReturnPathDomain: "bounces.example.com", ReturnPathDomainVerified: true });
    expect((await admin.dnsRecords()).filter((r) => r.Type === "CNAME").map((r) => r.Host)).toEqual(["bounces.example.com"]);
    expect(up.outputs.returnPathVerified.value).toBe(true);
  });

  it("destroy removes the domain and its records", async () => {
    await test.stack.destroy();
    expect(await admin.domains()).toEqual([]);
    expect(await admin.dnsRecords()).toEqual([]);
  });
});
