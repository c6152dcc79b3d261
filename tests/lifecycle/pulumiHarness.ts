/**
 * Runs Pulumi programs through the real Pulumi CLI (Automation API) against a local file:// backend.
 * Each stack lives in its own temporary project whose node_modules is this repo's, so programs load
 * `pulumi-postmark` by package name, as an infra repo does.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";

/** Found by walking up to package.json, so this file also works compiled into build-scripts/ (npm run bench). */
export const repoRoot = findRepoRoot(__dirname);

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (dir === path.dirname(dir)) throw new Error(`no package.json above ${from}`);
  }
}

let binDir: string | undefined;

/** The pinned CLI, built by scripts/ensure-pulumi.sh (instant when already built). */
export function pulumiBinDir(): string {
  if (!binDir) {
    const out = execFileSync("bash", [path.join(repoRoot, "scripts", "ensure-pulumi.sh")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      // Explicitly: under jest, process.env is the test file's own copy, which child_process would not see.
      env: process.env,
    });
    binDir = out.trim().split("\n").pop()!;
  }
  return binDir;
}

export interface TestStackOptions {
  /** The program's index.js source (a JavaScript project is made around it)... */
  program?: string;
  /** ...or a YAML program's resources, outputs and variables (a YAML project using the postmark plugin is made around it)... */
  yaml?: string;
  /**
   * For a YAML project: the directory its `plugins.providers` names for the postmark plugin (default: this repo's build,
   * postmarkPluginDir()), or "installed" for none, so that the engine finds the plugin as a user's would (PATH, or
   * `pulumi plugin install`).
   */
  postmarkPlugin?: string;
  /** ...or an existing Pulumi project (e.g. an example) to copy, with its Pulumi.<stack>.yaml files. */
  projectDir?: string;
  /** The paths in projectDir to copy (default: all but node_modules). */
  projectFiles?: string[];
  /** Plain and secret stack config. */
  config?: Record<string, string>;
  secretConfig?: Record<string, string>;
  /** Environment for the CLI, its language host and the provider process. */
  env?: Record<string, string>;
  /**
   * A node_modules to use instead of the repo's (e.g. one where the package was installed from npm pack), or "own" for
   * none: the project installs its packages itself (`pulumi package add`, npm install).
   */
  nodeModules?: string;
  stackName?: string;
  /** A file:// backend directory to start from (copied), holding the stack already: it is selected, not created. */
  existingBackend?: string;
}

export interface TestStack {
  stack: Stack;
  workDir: string;
  /** `pulumi stack export` as the CLI prints it without --show-secrets. */
  exportState(): Promise<string>;
  /** Every file the file:// backend wrote (state, history, backups), concatenated. */
  rawBackendFiles(): string;
  /** Runs the CLI in the project with the stack's environment; returns stdout. */
  cli(args: string[]): string;
  /**
   * Runs the CLI as a CI job would and reports how it ended instead of throwing. Asynchronous, so an
   * emulator in this process keeps answering while the CLI runs. `env` adds to the stack's environment; `--stack` is
   * added unless `stack` is false (for commands that take none, like `pulumi plugin`).
   */
  runCli(args: string[], env?: Record<string, string>, stack?: boolean): Promise<CliRun>;
  /**
   * Starts the CLI in a process group of its own, as a CI runner starts a job's command, so that `kill()` can end it
   * the way a cancelled job or a dead runner does: SIGKILL to the whole group, with no chance to save anything.
   */
  startKillableCli(args: string[], env?: Record<string, string>): KillableCli;
  /** The file:// backend's directory (the state, its history, backups and locks). */
  backendDir: string;
  /** The environment the CLI runs with (PATH with the CLI, backend, passphrase, the stack's env), for other commands run on the stack. */
  env: Record<string, string>;
  /**
   * Runs another program in the project's folder with the stack's environment (the backend, the CLI on PATH), as a
   * user runs a command beside Pulumi (`node <bin> scan ...`); `env` adds to it.
   */
  run(file: string, args: string[], env?: Record<string, string>): Promise<CliRun>;
  setProgram(program: string): void;
  /** Replaces a YAML project's program (its resources, outputs and variables). */
  setYaml(body: string): void;
  cleanup(): Promise<void>;
}

export interface CliRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface KillableCli {
  /** How the run ended (killed: exitCode null). */
  done: Promise<CliRun>;
  /**
   * SIGKILL to the CLI's whole process group, and to Pulumi's plugins (the language host, the program, the providers),
   * which Pulumi starts in process groups of their own and which would otherwise outlive it, as a dying CI runner takes
   * them all. Resolves once none of them is left.
   */
  kill(): Promise<CliRun>;
}

export async function createTestStack(options: TestStackOptions): Promise<TestStack> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-postmark-"));
  const stateDir = path.join(workDir, ".pulumi-state");
  if (options.existingBackend) fs.cpSync(options.existingBackend, stateDir, { recursive: true });
  else fs.mkdirSync(stateDir);
  if (options.nodeModules !== "own") fs.symlinkSync(options.nodeModules ?? path.join(repoRoot, "node_modules"), path.join(workDir, "node_modules"), "dir");
  const setProgram = (program: string) => fs.writeFileSync(path.join(workDir, "index.js"), program);
  const setYaml = (body: string) => fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), yamlProject(body, options.postmarkPlugin ?? postmarkPluginDir()));
  if (options.yaml !== undefined) {
    setYaml(options.yaml);
  } else if (options.projectDir) {
    // A copy, so that stack init's passphrase salt and any edits stay out of the repo.
    for (const file of options.projectFiles ?? fs.readdirSync(options.projectDir).filter((f) => f !== "node_modules")) {
      fs.cpSync(path.join(options.projectDir, file), path.join(workDir, file), { recursive: true });
    }
  } else {
    fs.writeFileSync(
      path.join(workDir, "Pulumi.yaml"),
      "name: lifecycle\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n",
    );
    fs.writeFileSync(path.join(workDir, "package.json"), JSON.stringify({ name: "lifecycle", private: true }));
    setProgram(options.program ?? "");
  }

  const bin = pulumiBinDir();
  const pulumiCommand = await PulumiCommand.get({ root: cliRoot(bin, workDir), skipVersionCheck: false });
  const envVars: Record<string, string> = {
    PATH: `${bin}:${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: "lifecycle-test-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_HOME: path.join(workDir, ".pulumi-home"),
    ...options.env,
  };
  const stackName = options.stackName ?? "test";
  const stack = options.existingBackend
    ? await LocalWorkspace.selectStack({ stackName, workDir }, { workDir, pulumiCommand, envVars })
    : await LocalWorkspace.createStack({ stackName, workDir }, { workDir, pulumiCommand, envVars });
  const cli = (args: string[]) =>
    execFileSync(path.join(bin, "pulumi"), [...args, "--stack", stackName], {
      cwd: workDir,
      env: { ...process.env, ...envVars },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
  const spawnProcess = (file: string, args: string[], env: Record<string, string>, detached: boolean) => {
    const child = spawn(file, args, { cwd: workDir, env: { ...process.env, ...envVars, ...env }, detached });
    const done = new Promise<CliRun>((resolve, reject) => {
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("error", reject);
      child.on("close", (exitCode) => resolve({ exitCode, stdout, stderr }));
    });
    return { child, done };
  };
  const run = (file: string, args: string[], env: Record<string, string> = {}) => spawnProcess(file, args, env, false).done;
  const spawnCli = (args: string[], env: Record<string, string>, detached: boolean, withStack = true) =>
    spawnProcess(path.join(bin, "pulumi"), [...args, ...(withStack ? ["--stack", stackName] : [])], env, detached);
  const runCli = (args: string[], env: Record<string, string> = {}, withStack = true) => spawnCli(args, env, false, withStack).done;
  const startKillableCli = (args: string[], env: Record<string, string> = {}): KillableCli => {
    const { child, done } = spawnCli(args, env, true);
    const kill = async () => {
      process.kill(-child.pid!, "SIGKILL");
      for (let sweep = 0; ; sweep++) {
        const left = processesIn(workDir);
        if (left.length === 0) return done;
        if (sweep === 50) throw new Error(`processes of the killed CLI still run: ${left.join(", ")}`);
        for (const pid of left) process.kill(pid, "SIGKILL");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    return { done, kill };
  };
  for (const [key, value] of Object.entries(options.config ?? {})) await stack.setConfig(key, { value });
  for (const [key, value] of Object.entries(options.secretConfig ?? {})) await stack.setConfig(key, { value, secret: true });

  return {
    stack,
    workDir,
    setProgram,
    setYaml,
    cli,
    runCli,
    startKillableCli,
    backendDir: stateDir,
    env: envVars,
    run,
    // Not stack.exportStack(): the Automation API exports with --show-secrets.
    exportState: async () => cli(["stack", "export"]),
    rawBackendFiles: () => readTree(stateDir),
    cleanup: async () => {
      await stack.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
      fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}

const pluginDirs = new Map<string, string>();

/**
 * A directory holding `pulumi-resource-postmark`, the postmark provider plugin as this repo builds it (dist/), or as
 * another copy of the package at `packageRoot` holds it, for a project's `plugins.providers` to name: the engine runs it
 * as it runs an installed plugin.
 */
export function postmarkPluginDir(packageRoot = repoRoot): string {
  let pluginDir = pluginDirs.get(packageRoot);
  if (!pluginDir) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-postmark-plugin-"));
    const main = path.join(packageRoot, "dist", "provider", "plugin", "main.js");
    fs.writeFileSync(path.join(dir, "pulumi-resource-postmark"), `#!/bin/sh\nexec node ${JSON.stringify(main)} "$@"\n`, { mode: 0o755 });
    process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    pluginDirs.set(packageRoot, (pluginDir = dir));
  }
  return pluginDir;
}

/** A YAML project around a program's body, its postmark plugin the one in `pluginDir` (or, "installed", found by the engine). */
const yamlProject = (body: string, pluginDir: string) =>
  `name: lifecycle\nruntime: yaml\n` +
  (pluginDir === "installed" ? "" : `plugins:\n  providers:\n    - name: postmark\n      path: ${pluginDir}\n`) +
  body;

/**
 * The Automation API runs `<root>/bin/pulumi`. A CLI found on PATH may live in a directory with another
 * name (Pulumi's release archives unpack into `pulumi/`), so such a directory is reached through a link.
 */
function cliRoot(bin: string, workDir: string): string {
  if (path.basename(bin) === "bin") return path.dirname(bin);
  const root = path.join(workDir, ".pulumi-cli");
  fs.mkdirSync(root);
  fs.symlinkSync(bin, path.join(root, "bin"), "dir");
  return root;
}

/** Output of a failed Automation API call, for asserting on the engine's error text. */
export async function failureText(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (e) {
    const err = e as { message?: string; commandResult?: { stdout?: string; stderr?: string } };
    return [err.message, err.commandResult?.stdout, err.commandResult?.stderr].join("\n");
  }
  throw new Error("expected the Pulumi operation to fail, and it succeeded");
}

/** The processes running in `dir` (Linux's /proc): a CLI run's plugins (language host, program, providers) run in its project. */
function processesIn(dir: string): number[] {
  const real = fs.realpathSync(dir);
  return fs.readdirSync("/proc").filter((entry) => {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) return false;
    try {
      return fs.readlinkSync(`/proc/${entry}/cwd`) === real;
    } catch {
      return false; // ended meanwhile, or another user's
    }
  }).map(Number);
}

function readTree(dir: string): string {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .map((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? readTree(full) : fs.readFileSync(full, "utf8");
    })
    .join("\n");
}
