/**
 * Every kind of Node.js Pulumi program loads pulumi-postmark by package name and runs up and destroy: a
 * CommonJS JavaScript program, a TypeScript program with the tsconfig `pulumi new typescript` writes
 * (`"module": "commonjs"`, type-checked by Pulumi's ts-node), and an ES module program (`"type": "module"`,
 * named imports from this CommonJS package). TypeScript without a tsconfig (Pulumi's nodenext default) is
 * what the examples are, in examples.lifecycle.test.ts.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { EmulatorAdmin } from "../support/emulatorAdmin";
import { createTestStack, TestStack } from "./pulumiHarness";

jest.setTimeout(300_000);

interface ProgramKind {
  kind: string;
  /** The server the program declares, so each kind's server is told apart in the emulator. */
  serverName: string;
  files: Record<string, string>;
}

const programKinds: ProgramKind[] = [
  {
    kind: "JavaScript (CommonJS)",
    serverName: "Billing (cjs)",
    files: {
      "Pulumi.yaml": "name: program-cjs\nruntime: nodejs\n",
      "package.json": JSON.stringify({ name: "program-cjs", private: true, main: "index.js" }),
      "index.js": `
        const { PostmarkServer, ServerColors } = require("pulumi-postmark");
        const server = new PostmarkServer("billing", { name: "Billing (cjs)", color: ServerColors.Red });
        exports.serverId = server.serverId;
      `,
    },
  },
  {
    kind: "TypeScript (tsconfig of pulumi new typescript: module commonjs, moduleResolution node)",
    serverName: "Billing (ts)",
    files: {
      "Pulumi.yaml": "name: program-ts\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
      "package.json": JSON.stringify({ name: "program-ts", private: true, main: "index.ts" }),
      // "module": "commonjs" needs "moduleResolution": "node": Pulumi's own default is nodenext, which
      // TypeScript refuses with any other module setting (TS5110).
      "tsconfig.json": JSON.stringify({
        compilerOptions: {
          strict: true,
          outDir: "bin",
          target: "es2020",
          module: "commonjs",
          moduleResolution: "node",
          sourceMap: true,
          experimentalDecorators: true,
          pretty: true,
          noFallthroughCasesInSwitch: true,
          noImplicitReturns: true,
          forceConsistentCasingInFileNames: true,
        },
        files: ["index.ts"],
      }),
      "index.ts": `
        import { PostmarkServer, PostmarkServerArgs, ServerColors } from "pulumi-postmark";
        const args: PostmarkServerArgs = { name: "Billing (ts)", color: ServerColors.Red };
        const server = new PostmarkServer("billing", args);
        export const serverId = server.serverId;
      `,
    },
  },
  {
    kind: 'ES module ("type": "module")',
    serverName: "Billing (esm)",
    files: {
      "Pulumi.yaml": "name: program-esm\nruntime: nodejs\n",
      "package.json": JSON.stringify({ name: "program-esm", private: true, type: "module", main: "index.js" }),
      "index.js": `
        import { PostmarkServer, ServerColors } from "pulumi-postmark";
        const server = new PostmarkServer("billing", { name: "Billing (esm)", color: ServerColors.Red });
        export const serverId = server.serverId;
      `,
    },
  },
];

const accountToken = "program-kinds-token-8c2f";
let emulator: RunningEmulator;
let admin: EmulatorAdmin;
const projectDirs: string[] = [];
const stacks: TestStack[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ token: accountToken });
  admin = new EmulatorAdmin(emulator.url);
});

afterAll(async () => {
  for (const stack of stacks) await stack.cleanup();
  for (const dir of projectDirs) fs.rmSync(dir, { recursive: true, force: true });
  await emulator?.stop();
});

describe("every kind of Node.js program loads pulumi-postmark", () => {
  it.each(programKinds)("$kind: up creates the server and exports its ID; destroy deletes it", async ({ serverName, files }) => {
    const projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-postmark-program-"));
    projectDirs.push(projectDir);
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(projectDir, file), text);
    const test = await createTestStack({
      projectDir,
      secretConfig: { "postmark:accountToken": accountToken },
      env: { POSTMARK_API_URL: emulator.url },
    });
    stacks.push(test);

    const up = await test.stack.up();
    const created = (await admin.servers()).find((s) => s.Name === serverName);
    expect(created).toMatchObject({ Color: "red" });
    expect(up.outputs.serverId.value).toBe(created!.ID);

    await test.stack.destroy();
    expect((await admin.servers()).map((s) => s.Name)).not.toContain(serverName);
  });
});
