/**
 * A TypeScript program using the postmark plugin through its generated SDK (`import * as postmark from
 * "pulumi-postmark-sdk"`, not the dynamic classes), through the real CLI on one stack: `pulumi package add` of this
 * repository's provider/plugin (the project's Node.js host generates the SDK, links and installs it), then create,
 * a hand edit found by refresh and put back, an update, `pulumi import` writing TypeScript that compiles and previews
 * with no changes, and destroy.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { EmulatorAdmin } from "../support/emulatorAdmin";
import { createTestStack, repoRoot, TestStack } from "./pulumiHarness";

jest.setTimeout(900_000);

const accountToken = "sdk-program-token-3f1d";
const pluginDir = path.join(repoRoot, "provider", "plugin");
const version: string = require(path.join(repoRoot, "package.json")).version;

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let test: TestStack;

const program = (streamName: string) => `import * as postmark from "pulumi-postmark-sdk";

const billing = new postmark.Server("billing", { name: "SDK Billing", color: postmark.ServerColor.Blue, trackOpens: true });
new postmark.MessageStream("news", {
  serverId: billing.serverId,
  streamId: "newsletters",
  name: ${JSON.stringify(streamName)},
  messageStreamType: postmark.MessageStreamType.Broadcasts,
});
export const serverId = billing.serverId;
export const tokens = billing.apiTokens;
`;
const setProgram = (text: string) => fs.writeFileSync(path.join(test.workDir, "index.ts"), text);
const calls = async () => (await admin.requests()).map((r) => `${r.method} ${r.path.split("?")[0]}`);
const billing = async () => (await admin.servers()).find((s) => s.Name === "SDK Billing")!;
/** The program's types, checked as `tsc` does with the project's tsconfig (strict). */
const typecheck = () => execFileSync(path.join(repoRoot, "node_modules", ".bin", "tsc"), ["-p", test.workDir], { encoding: "utf8" });

beforeAll(async () => {
  emulator = await startEmulator({ token: accountToken });
  admin = new EmulatorAdmin(emulator.url);
  test = await createTestStack({
    projectDir: path.join(repoRoot, "tests", "fixtures", "sdk-program"),
    nodeModules: "own",
    config: { "postmark:apiUrl": emulator.url },
    secretConfig: { "postmark:accountToken": accountToken },
  });
  // The Pulumi SDK the repository has (the npm cache has it), as a user's program depends on its own.
  const pulumiVersion: string = require("@pulumi/pulumi/package.json").version;
  fs.writeFileSync(path.join(test.workDir, "package.json"), JSON.stringify({ name: "sdk-program", private: true, dependencies: { "@pulumi/pulumi": pulumiVersion } }));
});
afterAll(async () => {
  await test?.cleanup();
  await emulator?.stop();
});

describe("a TypeScript program through the generated SDK", () => {
  it("pulumi package add <repo>/provider/plugin generates the SDK, adds it to package.json, installs it and records the package in Pulumi.yaml", async () => {
    const add = await test.runCli(["package", "add", pluginDir], {}, false);
    expect({ exitCode: add.exitCode, stderr: add.stderr }).toMatchObject({ exitCode: 0 });
    expect(add.stdout).toContain('import * as postmark from "pulumi-postmark-sdk";');
    expect(fs.readFileSync(path.join(test.workDir, "Pulumi.yaml"), "utf8")).toContain(`packages:\n  postmark: ${pluginDir}\n`);
    const manifest = JSON.parse(fs.readFileSync(path.join(test.workDir, "package.json"), "utf8"));
    expect(manifest.dependencies["pulumi-postmark-sdk"]).toBe("file:sdks/postmark");
    const sdk = JSON.parse(fs.readFileSync(path.join(test.workDir, "node_modules", "pulumi-postmark-sdk", "package.json"), "utf8"));
    expect(sdk).toMatchObject({ version, pulumi: { resource: true, name: "postmark", version } });
    // Compiled by its postinstall, with the program's one copy of @pulumi/pulumi.
    expect(fs.existsSync(path.join(test.workDir, "sdks", "postmark", "bin", "index.js"))).toBe(true);
    expect(fs.existsSync(path.join(test.workDir, "sdks", "postmark", "node_modules", "@pulumi", "pulumi"))).toBe(false);
  });

  it("up creates what the program declares; the outputs are typed and the tokens secret", async () => {
    setProgram(program("Newsletters"));
    typecheck();
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toEqual({ create: 3 });
    const server = await billing();
    expect(server).toMatchObject({ Color: "blue", TrackOpens: true });
    expect((await admin.streams(server.ID)).find((s) => s.ID === "newsletters")).toMatchObject({ Name: "Newsletters", MessageStreamType: "Broadcasts" });
    expect(up.outputs.serverId.value).toBe(server.ID);
    expect(up.outputs.tokens.secret).toBe(true);
  });

  it("refresh shows a change made by hand, and up puts it back with one edit", async () => {
    const server = await billing();
    await admin.editByHand(server.ID, { Color: "red" });
    const refresh = await test.stack.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ update: 1 });
    await admin.clearRequests();
    await test.stack.up();
    expect((await calls()).filter((c) => !c.startsWith("GET"))).toEqual([`PUT /servers/${server.ID}`]);
    expect((await billing()).Color).toBe("blue");
  });

  it("an edited program updates in place, with one edit", async () => {
    setProgram(program("Monthly newsletters"));
    await admin.clearRequests();
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect((await calls()).filter((c) => !c.startsWith("GET"))).toEqual(["PATCH /message-streams/newsletters"]);
    expect((await admin.streams((await billing()).ID)).find((s) => s.ID === "newsletters")!.Name).toBe("Monthly newsletters");
  });

  it("pulumi import writes TypeScript that compiles and, added to the program, previews with no changes", async () => {
    const server = await admin.createByHand({ Name: "Imported by hand", Color: "Purple", TrackLinks: "HtmlOnly" });
    const hook = await admin.createWebhookByHand(server.ID, { Url: "https://hooks.example.com/imported", MessageStream: "outbound", Triggers: { Bounce: { Enabled: true } } });
    const file = {
      resources: [
        { type: "postmark:index:Server", name: "legacy", id: String(server.ID) },
        { type: "postmark:index:Webhook", name: "legacyHook", id: `${server.ID}/${hook.ID}` },
      ],
    };
    fs.writeFileSync(path.join(test.workDir, "import.json"), JSON.stringify(file));
    const run = await test.runCli(["import", "--file", "import.json", "--out", "imported.ts", "--yes", "--protect=false", "--non-interactive"]);
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: "" });
    const imported = fs.readFileSync(path.join(test.workDir, "imported.ts"), "utf8");
    expect(imported).toContain('import * as postmark from "pulumi-postmark-sdk";');
    expect(imported).toMatch(/new postmark\.Server\("legacy", \{[^}]*color: postmark\.ServerColor\.Purple/);

    setProgram(`${program("Monthly newsletters")}import "./imported";\n`);
    fs.writeFileSync(path.join(test.workDir, "tsconfig.json"), fs.readFileSync(path.join(test.workDir, "tsconfig.json"), "utf8").replace('"index.ts"', '"index.ts", "imported.ts"'));
    typecheck();
    await admin.clearRequests();
    const preview = await test.stack.preview();
    expect(preview.changeSummary).toEqual({ same: 5 }); // the stack, the program's two, the two imported
    await test.stack.up();
    expect((await calls()).filter((c) => !c.startsWith("GET"))).toEqual([]);
  });

  it("destroy removes everything", async () => {
    const destroy = await test.stack.destroy();
    expect(destroy.summary.resourceChanges).toEqual({ delete: 5 });
    expect(await admin.servers()).toEqual([]);
  });
});
