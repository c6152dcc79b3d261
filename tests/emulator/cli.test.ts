/**
 * The postmark-emulator bin, spawned as a compiled Node program. It is compiled from the current sources
 * into a temporary folder (not dist/, which may be stale or mid-build by someone else).
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { request } from "./emulatorHarness";

const sourceDir = path.resolve(__dirname, "..", "..", "emulator");
let outDir: string;
let cli: string;

beforeAll(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), "postmark-emulator-cli-"));
  // Recursive: the API modules live in emulator/apis/.
  for (const file of (fs.readdirSync(sourceDir, { recursive: true }) as string[]).filter((f) => f.endsWith(".ts"))) {
    const source = fs.readFileSync(path.join(sourceDir, file), "utf8");
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
    fs.mkdirSync(path.dirname(path.join(outDir, file)), { recursive: true });
    fs.writeFileSync(path.join(outDir, file.replace(/\.ts$/, ".js")), outputText);
  }
  cli = path.join(outDir, "cli.js");
});
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  url: string;
  firstLine: string;
  /** Everything printed so far on stdout and stderr. */
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/** Spawns the CLI and waits for its first stdout line. */
function startCli(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  running.push(child);
  let out = "";
  child.stdout!.on("data", (chunk) => (out += chunk));
  child.stderr!.on("data", (chunk) => (out += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let stdout = "";
    child.stdout!.on("data", (chunk) => {
      stdout += chunk;
      const newline = stdout.indexOf("\n");
      if (newline >= 0) {
        const firstLine = stdout.slice(0, newline);
        resolve({ child, firstLine, url: firstLine.replace(/^POSTMARK_API_URL=/, ""), output: () => out, exited });
      }
    });
    void exited.then(() => reject(new Error(`the CLI exited before printing its URL: ${out}`)));
  });
}

test("the compiled CLI keeps its #!/usr/bin/env node line", () => {
  expect(fs.readFileSync(cli, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
});

test("the first stdout line is exactly POSTMARK_API_URL=http://HOST:PORT, and the API answers there", async () => {
  const cliRun = await startCli(["--port", "0", "--token", "cli-token"]);
  expect(cliRun.firstLine).toMatch(/^POSTMARK_API_URL=http:\/\/127\.0\.0\.1:\d+$/);
  const res = await request(cliRun.url, "/servers", { method: "POST", body: { Name: "From CLI" }, headers: { "X-Postmark-Account-Token": "cli-token" } });
  expect(res.status).toBe(200);
});

test.each(["SIGTERM", "SIGINT"] as const)("%s stops it cleanly with exit code 0", async (signal) => {
  const cliRun = await startCli([]);
  cliRun.child.kill(signal);
  expect(await cliRun.exited).toEqual({ code: 0, signal: null });
  await expect(request(cliRun.url, "/__emulator/servers")).rejects.toThrow(/ECONNREFUSED/);
});

test("the account token never appears in its output, even when requests use a wrong one", async () => {
  const secret = "very-secret-account-token-1234";
  const cliRun = await startCli(["--token", secret, "--faults", "500:0.5", "--latency-ms", "1"]);
  await request(cliRun.url, "/servers", { method: "POST", body: { Name: "Secretive" }, headers: { "X-Postmark-Account-Token": secret } });
  await request(cliRun.url, "/servers/1", { headers: { "X-Postmark-Account-Token": "wrong" } });
  cliRun.child.kill("SIGTERM");
  await cliRun.exited;
  expect(cliRun.output()).toContain("POSTMARK_API_URL=");
  expect(cliRun.output()).not.toContain(secret);
});

test("--delete-disabled, --missing-server, --seed and --retry-after-rate reach the running emulator", async () => {
  const cliRun = await startCli(["--delete-disabled", "--missing-server=422", "--seed", "5", "--retry-after-rate", "0.25", "--retry-after-seconds", "4"]);
  const settings = (await request(cliRun.url, "/__emulator/settings")).json;
  expect(settings).toMatchObject({ deleteDisabled: true, missingServer: "422", seed: 5, retryAfterRate: 0.25, retryAfterSeconds: 4 });
  const missing = await request(cliRun.url, "/servers/9", { headers: { "X-Postmark-Account-Token": "emulator-account-token" } });
  expect(missing.status).toBe(422);
  expect(missing.json.ErrorCode).toBe(601);
});

test("--state-file keeps servers across a restart of the CLI", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "postmark-emulator-cli-state-"));
  const stateFile = path.join(dir, "state.json");
  try {
    const first = await startCli(["--state-file", stateFile]);
    await request(first.url, "/__emulator/servers", { method: "POST", body: { Name: "Durable" } });
    first.child.kill("SIGTERM");
    await first.exited;
    const second = await startCli(["--state-file", stateFile]);
    expect((await request(second.url, "/__emulator/servers")).json.map((s: { Name: string }) => s.Name)).toEqual(["Durable"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.each([
  [["--port", "abc"], /--port .*"abc"/],
  [["--port", "70000"], /--port .*"70000"/],
  [["--latency-ms=-5"], /--latency-ms .*"-5"/],
  [["--latency-ms", ""], /--latency-ms .*""/],
  [["--faults", "explode:0.5"], /--faults .*unknown fault "explode".*"explode:0.5"/],
  [["--faults", "429:0.8,500:0.8"], /--faults .*more than 1.*"429:0.8,500:0.8"/],
  [["--seed", "1.5"], /--seed .*"1.5"/],
  [["--retry-after-rate", "2"], /--retry-after-rate .*"2"/],
  [["--missing-server", "410"], /--missing-server .*"410"/],
  [["--host", ""], /--host must not be empty/],
  [["--no-such-flag"], /--no-such-flag/],
  [["--port"], /--port/],
])("bad flags %j exit 2 with an error naming the flag and value", (args, message) => {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 10_000 });
  expect(result.status).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(message);
});
