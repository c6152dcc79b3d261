/**
 * How a user gets the postmark plugin, each way through the real CLI with a small YAML program (a server, created and
 * destroyed): installed from the tarball `npm run plugin:pack` makes (`pulumi plugin install resource postmark <version>
 * -f <tarball>`), and run from source through provider/plugin's PulumiPlugin.yaml (the project's Node.js language host
 * runs it as Pulumi's does). The npm package's `pulumi-resource-postmark` bin on PATH is tested with the packed package
 * (packagedInstall.lifecycle.test.ts).
 */
import { execFileSync } from "child_process";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { EmulatorAdmin } from "../support/emulatorAdmin";
import { createTestStack, repoRoot, TestStack } from "./pulumiHarness";

jest.setTimeout(600_000);

const accountToken = "plugin-delivery-token-61fa";
const version: string = require(path.join(repoRoot, "package.json")).version;
const program = `resources:\n  billing:\n    type: postmark:index:Server\n    properties:\n      name: Delivered\n      color: Green\noutputs:\n  serverId: \${billing.serverId}\n`;

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
const stacks: TestStack[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ token: accountToken });
  admin = new EmulatorAdmin(emulator.url);
});
afterAll(async () => {
  for (const stack of stacks) await stack.cleanup();
  await emulator?.stop();
});

/** A YAML stack whose postmark plugin comes from `postmarkPlugin` (see TestStackOptions). */
async function yamlStack(postmarkPlugin: string): Promise<TestStack> {
  const test = await createTestStack({ yaml: program, postmarkPlugin, config: { "postmark:apiUrl": emulator.url }, secretConfig: { "postmark:accountToken": accountToken } });
  stacks.push(test);
  return test;
}

/** up makes the server, the stack's output is its ID, destroy deletes it. */
async function expectServerLifecycle(test: TestStack): Promise<void> {
  const up = await test.stack.up();
  const [server] = await admin.servers();
  expect(server).toMatchObject({ Name: "Delivered", Color: "green" });
  expect(up.outputs.serverId.value).toBe(server.ID);
  await test.stack.destroy();
  expect(await admin.servers()).toEqual([]);
}

describe("the postmark plugin, the ways a user gets it", () => {
  it(`installed from the tarball npm run plugin:pack makes: pulumi plugin install resource postmark ${version} -f <tarball>`, async () => {
    const tarball = execFileSync("node", [path.join(repoRoot, "scripts", "pack-plugin.js")], { encoding: "utf8" }).trim().split("\n").pop()!;
    expect(path.basename(tarball)).toBe(`pulumi-resource-postmark-v${version}.tar.gz`);
    const test = await yamlStack("installed");
    const run = await test.runCli(["plugin", "install", "resource", "postmark", version, "-f", tarball], {}, false);
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toMatchObject({ exitCode: 0 });
    expect((await test.runCli(["plugin", "ls"], {}, false)).stdout).toMatch(new RegExp(`postmark\\s+resource\\s+${version.replace(/\./g, "\\.")}`));
    await expectServerLifecycle(test);
  });

  it("run from source: a plugins.providers path naming provider/plugin (PulumiPlugin.yaml, runtime nodejs)", async () => {
    await expectServerLifecycle(await yamlStack(path.join(repoRoot, "provider", "plugin")));
  });
});
