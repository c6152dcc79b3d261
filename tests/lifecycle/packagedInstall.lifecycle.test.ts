/**
 * The package as users get it: `npm pack`, installed into a project outside the repo, used from its
 * node_modules (not from this repo's sources), through the real Pulumi CLI.
 *
 * The project pins @pulumi/pulumi exactly, as an infra repo does: by default to this repo's locked
 * version; with PULUMI_POSTMARK_TEST_SDK=minimum to the floor of package.json's range (CI runs both), or
 * to any version given there.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { EmulatorAdmin } from "../support/emulatorAdmin";
import { createTestStack, repoRoot, TestStack } from "./pulumiHarness";

jest.setTimeout(600_000);

const accountToken = "packaged-install-token-31d0";
const declaredSdkRange: string = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).dependencies["@pulumi/pulumi"];
const sdkVersion = ((requested) => {
  if (requested === "minimum") return /^\^(\d+\.\d+\.\d+)$/.exec(declaredSdkRange)![1];
  return requested || require("@pulumi/pulumi/package.json").version;
})(process.env.PULUMI_POSTMARK_TEST_SDK);
let consumerDir: string;
let emulator: RunningEmulator;
let test: TestStack;
const admin = () => new EmulatorAdmin(emulator.url);

beforeAll(async () => {
  consumerDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-postmark-consumer-"));
  const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", consumerDir], { cwd: repoRoot, encoding: "utf8" })
    .trim()
    .split("\n")
    .pop()!;
  fs.writeFileSync(
    path.join(consumerDir, "package.json"),
    JSON.stringify({
      name: "consumer",
      private: true,
      dependencies: { "pulumi-postmark": `file:./${packed}`, "@pulumi/pulumi": sdkVersion },
    }),
  );
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: consumerDir, stdio: "inherit" });
  emulator = await startEmulator({ token: accountToken });
});

afterAll(async () => {
  await test?.cleanup();
  await emulator?.stop();
  fs.rmSync(consumerDir, { recursive: true, force: true });
});

describe(`pulumi-postmark installed from npm pack into another project on @pulumi/pulumi ${sdkVersion}`, () => {
  it("is a real copy in the project's node_modules, with compiled JavaScript and type declarations", () => {
    const installed = path.join(consumerDir, "node_modules", "pulumi-postmark");
    expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
    for (const file of ["dist/provider/index.js", "dist/provider/index.d.ts", "dist/provider/providerRuntime.js", "dist/emulator/cli.js"]) {
      expect(fs.existsSync(path.join(installed, file))).toBe(true);
    }
    // Tests and sources stay out of the package.
    expect(fs.existsSync(path.join(installed, "tests"))).toBe(false);
    expect(fs.existsSync(path.join(installed, "provider"))).toBe(false);
  });

  it(`shares the project's @pulumi/pulumi ${sdkVersion} (declared: ${declaredSdkRange}): one copy of the SDK`, () => {
    const projectSdk = path.join(consumerDir, "node_modules", "@pulumi", "pulumi");
    expect(JSON.parse(fs.readFileSync(path.join(projectSdk, "package.json"), "utf8")).version).toBe(sdkVersion);
    expect(fs.existsSync(path.join(consumerDir, "node_modules", "pulumi-postmark", "node_modules", "@pulumi"))).toBe(false);
    const fromPackage = require.resolve("@pulumi/pulumi", { paths: [path.join(consumerDir, "node_modules", "pulumi-postmark")] });
    expect(fromPackage).toBe(require.resolve("@pulumi/pulumi", { paths: [consumerDir] }));
  });

  it("type-checks a TypeScript program that uses the public API", () => {
    fs.writeFileSync(
      path.join(consumerDir, "check.ts"),
      `import { PostmarkServer, ServerColors, DeliveryTypes, TrackLinksOptions, PostmarkServerArgs } from "pulumi-postmark";
       const args: PostmarkServerArgs = { name: "x", color: ServerColors.Red, deliveryType: DeliveryTypes.Sandbox, trackLinks: TrackLinksOptions.HtmlOnly };
       export const server = new PostmarkServer("x", args);
       export const tokens = server.apiTokens;
       // @ts-expect-error: an unknown color is a type error
       export const bad: PostmarkServerArgs = { name: "y", color: "Pink" };
      `,
    );
    const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    execFileSync("node", [tsc, "--noEmit", "--strict", "--skipLibCheck", "--esModuleInterop", "check.ts"], { cwd: consumerDir, stdio: "inherit" });
  });

  it("ships the emulator as the postmark-emulator bin, which prints its URL first", async () => {
    const child = spawn(path.join(consumerDir, "node_modules", ".bin", "postmark-emulator"), ["--port", "0", "--token", "bin-token"]);
    const firstLine = await new Promise<string>((resolve) => child.stdout.once("data", (d) => resolve(String(d).split("\n")[0])));
    child.kill("SIGTERM");
    expect(firstLine).toMatch(/^POSTMARK_API_URL=http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("creates a server through the Pulumi CLI, then previews without changes", async () => {
    test = await createTestStack({
      program: `
        const { PostmarkServer } = require("pulumi-postmark");
        const server = new PostmarkServer("billing", { name: "Billing", color: "red", trackOpens: true });
        exports.serverId = server.serverId;
      `,
      nodeModules: path.join(consumerDir, "node_modules"),
      secretConfig: { "postmark:accountToken": accountToken },
      env: { POSTMARK_API_URL: emulator.url },
    });
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ create: 2 });
    const [stored] = await admin().servers();
    expect(up.outputs.serverId.value).toBe(stored.ID);
    expect((await test.stack.preview()).changeSummary).toEqual({ same: 2 });
  });

  it("preview --refresh names a declared field changed by hand (read returns inputs: @pulumi/pulumi 3.216+)", async () => {
    const [stored] = await admin().servers();
    await admin().editByHand(stored.ID, { TrackOpens: false });
    const preview = await test.stack.preview({ refresh: true, diff: true });
    expect(preview.changeSummary).toMatchObject({ update: 1 });
    expect(preview.stdout).toMatch(/~ trackOpens\s*: false => true/);
  });

  it("ships the pulumi-postmark bin: recover on a stack with nothing pending says so and changes nothing", () => {
    const out = execFileSync(path.join(consumerDir, "node_modules", ".bin", "pulumi-postmark"), ["recover", "--stack", test.stack.name], {
      cwd: test.workDir,
      env: { ...process.env, ...test.env },
      encoding: "utf8",
    });
    expect(out).toBe(`Stack ${test.stack.name} has no pending operations: nothing to recover.\n`);
  });

  it("destroys the server, leaving no account token in the state", async () => {
    await test.stack.destroy();
    expect(await admin().servers()).toEqual([]);
    expect(await test.exportState()).not.toContain(accountToken);
  });

  it("ships the postmark provider plugin as the pulumi-resource-postmark bin: on PATH, it serves a YAML program", async () => {
    const yaml = await createTestStack({
      yaml: "resources:\n  billing:\n    type: postmark:index:Server\n    properties:\n      name: From YAML\n",
      postmarkPlugin: "installed",
      secretConfig: { "postmark:accountToken": accountToken },
      env: { POSTMARK_API_URL: emulator.url, PATH: `${path.join(consumerDir, "node_modules", ".bin")}:${process.env.PATH}` },
    });
    try {
      const up = await yaml.stack.up();
      // Pulumi says where it found the plugin.
      expect(up.stdout).toContain(`using pulumi-resource-postmark from $PATH at ${path.join(consumerDir, "node_modules", ".bin", "pulumi-resource-postmark")}`);
      expect((await admin().servers()).map((s) => s.Name)).toEqual(["From YAML"]);
      await yaml.stack.destroy();
      expect(await admin().servers()).toEqual([]);
    } finally {
      await yaml.cleanup();
    }
  });
});
