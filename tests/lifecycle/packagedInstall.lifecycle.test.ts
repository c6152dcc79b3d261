/**
 * The package as users get it: `npm pack`, installed into a project outside the repo, used from its
 * node_modules (not from this repo's sources), through the real Pulumi CLI.
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
let consumerDir: string;
let emulator: RunningEmulator;
let test: TestStack;

beforeAll(async () => {
  consumerDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-postmark-consumer-"));
  const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", consumerDir], { cwd: repoRoot, encoding: "utf8" })
    .trim()
    .split("\n")
    .pop()!;
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
  fs.writeFileSync(
    path.join(consumerDir, "package.json"),
    JSON.stringify({
      name: "consumer",
      private: true,
      dependencies: { "pulumi-postmark": `file:./${packed}`, "@pulumi/pulumi": pkg.dependencies["@pulumi/pulumi"] },
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

describe("pulumi-postmark installed from npm pack into another project", () => {
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

  it("creates, previews without changes, and destroys a server through the Pulumi CLI", async () => {
    const admin = new EmulatorAdmin(emulator.url);
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
    const [stored] = await admin.servers();
    expect(up.outputs.serverId.value).toBe(stored.ID);
    expect((await test.stack.preview()).changeSummary).toEqual({ same: 2 });
    await test.stack.destroy();
    expect(await admin.servers()).toEqual([]);
    expect(await test.exportState()).not.toContain(accountToken);
  });
});
