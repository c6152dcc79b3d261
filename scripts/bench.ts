/**
 * `npm run bench` (issue 6): how long pulumi up, preview, refresh, an update and destroy take for N
 * PostmarkServers against the local emulator, how many Servers API calls each makes, what a server costs in
 * state and how much memory the provider process needs. Each phase is set next to the same phase for N
 * do-nothing dynamic resources, run on the same engine in the same run: the floor no provider can beat.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { OpMap, Stack } from "@pulumi/pulumi/automation";
import { startEmulator } from "../emulator/server";
import { EmulatorAdmin, LoggedRequest } from "../tests/support/emulatorAdmin";
import { createTestStack, pulumiBinDir, TestStack, TestStackOptions } from "../tests/lifecycle/pulumiHarness";

/** What the CLI uses without --parallel (GOMAXPROCS * 4); passed explicitly, so the report states what ran. */
const defaultParallel = 4 * os.availableParallelism();

const usage = `Usage: npm run bench -- [--n N] [--latency-ms M] [--parallel P] [--json]

Times five phases through the real Pulumi CLI for N PostmarkServers against a local Postmark emulator:
up (create), a preview with no changes, refresh, up (trackOpens changed on every server) and destroy.
Each is set next to the same phase for N do-nothing dynamic resources (the engine's floor).

  --n N            servers in the stack, 1 to 10000 (default 100; the emulator logs the last 10000 calls)
  --latency-ms M   milliseconds the emulator adds to every Servers API request, 0 to 60000 (default 50)
  --parallel P     Pulumi's --parallel for every phase, 1 to 1000 (default: the CLI's own,
                   4 per core: ${defaultParallel} here)
  --json           print the figures as one JSON object on stdout, progress on stderr
                   (through npm: \`npm run -s bench -- --json\`, so npm's banner stays off stdout)
  --help           print this text

The provider keeps POSTMARK_MAX_CONCURRENT_REQUESTS from the environment, else its default of 4.
`;

interface BenchOptions {
  n: number;
  latencyMs: number;
  parallel: number;
  json: boolean;
}

const numericFlags: Record<string, { option: "n" | "latencyMs" | "parallel"; min: number; max: number }> = {
  "--n": { option: "n", min: 1, max: 10_000 },
  "--latency-ms": { option: "latencyMs", min: 0, max: 60_000 },
  "--parallel": { option: "parallel", min: 1, max: 1000 },
};

class UsageError extends Error {}

function parseArgs(argv: string[]): BenchOptions | "help" {
  const options: BenchOptions = { n: 100, latencyMs: 50, parallel: defaultParallel, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") return "help";
    if (arg === "--json") {
      options.json = true;
      continue;
    }
    const equals = arg.indexOf("=");
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    const spec = numericFlags[flag];
    if (!spec) throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    const value = equals > 0 ? arg.slice(equals + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < spec.min || number > spec.max) {
      throw new UsageError(`${flag} is ${JSON.stringify(value)}; it must be a whole number from ${spec.min} to ${spec.max}`);
    }
    options[spec.option] = number;
  }
  return options;
}

/** Both programs read `count` and `trackOpens` from stack config, so one list of phases drives both. */
const postmarkProgram = `
const pulumi = require("@pulumi/pulumi");
const { PostmarkServer } = require("pulumi-postmark");
const config = new pulumi.Config();
const trackOpens = config.requireBoolean("trackOpens");
for (let i = 0; i < config.requireNumber("count"); i++) {
  new PostmarkServer("server-" + i, { name: "Bench server " + i, color: "Blue", deliveryType: "Sandbox", trackOpens });
}
`;

const floorProgram = `
const pulumi = require("@pulumi/pulumi");
const provider = {
  async check(olds, news) { return { inputs: news }; },
  async diff(id, olds, news) { return { changes: olds.trackOpens !== news.trackOpens }; },
  async create(inputs) { return { id: inputs.name, outs: inputs }; },
  async read(id, props) { return { id, props }; },
  async update(id, olds, news) { return { outs: news }; },
  async delete() {},
};
class DoNothing extends pulumi.dynamic.Resource {
  constructor(name, args) { super(provider, name, args); }
}
const config = new pulumi.Config();
const trackOpens = config.requireBoolean("trackOpens");
for (let i = 0; i < config.requireNumber("count"); i++) {
  new DoNothing("thing-" + i, { name: "Bench thing " + i, trackOpens });
}
`;

type PhaseName = "create" | "preview" | "refresh" | "update" | "destroy";

/** What every phase passes to the Automation API; `signal` stops the running CLI (with SIGINT) on Ctrl-C. */
interface OperationOptions {
  parallel: number;
  signal: AbortSignal;
}

interface Phase {
  name: PhaseName;
  /** The fewest Servers API calls that can do this phase for n servers. */
  minCalls(n: number): number;
  /** The engine's summary when the provider does just its job (the stack resource counts as one). */
  expectedChanges(n: number): OpMap;
  /** Untimed setup: the program's new desired state. */
  prepare?(stack: Stack): Promise<void>;
  run(stack: Stack, options: OperationOptions): Promise<OpMap>;
}

const phases: Phase[] = [
  {
    name: "create",
    // A POST each, plus the one listing before the first create that tells a lost create's server from one
    // that existed before (a GET per 100 servers in the account; the bench's account starts empty).
    minCalls: (n) => n + 1,
    expectedChanges: (n) => ({ create: n + 1 }),
    run: async (stack, options) => (await stack.up(options)).summary.resourceChanges ?? {},
  },
  {
    name: "preview",
    minCalls: () => 0,
    expectedChanges: (n) => ({ same: n + 1 }),
    run: async (stack, options) => (await stack.preview(options)).changeSummary,
  },
  {
    name: "refresh",
    minCalls: (n) => n,
    expectedChanges: (n) => ({ same: n + 1 }),
    run: async (stack, options) => (await stack.refresh(options)).summary.resourceChanges ?? {},
  },
  {
    name: "update",
    minCalls: (n) => n,
    expectedChanges: (n) => ({ update: n, same: 1 }),
    prepare: (stack) => stack.setConfig("trackOpens", { value: "true" }),
    run: async (stack, options) => (await stack.up(options)).summary.resourceChanges ?? {},
  },
  {
    name: "destroy",
    minCalls: (n) => n,
    expectedChanges: (n) => ({ delete: n + 1 }),
    run: async (stack, options) => (await stack.destroy(options)).summary.resourceChanges ?? {},
  },
];

interface PhaseResult {
  wallMs: number;
  calls: number;
  minCalls: number;
  floorWallMs: number;
  /** wallMs / floorWallMs. */
  floorRatio: number;
  providerPeakRssMb: number;
  /** The do-nothing provider's peak in the floor run: what Node and @pulumi/pulumi take on their own. */
  floorProviderPeakRssMb: number;
  /** Servers API calls by method, route and status, e.g. "GET /servers/{id} 200". */
  callsByRoute: Record<string, number>;
  changes: OpMap;
  floorChanges: OpMap;
}

const dynamicProviderCommand = "@pulumi/pulumi/cmd/dynamic-provider";

/**
 * Peak resident memory of one stack's dynamic provider processes. The engine starts a fresh one for every
 * CLI run, so /proc is polled while a phase runs; VmHWM is the kernel's own high-water mark, so a poll only
 * has to catch the process alive. Processes are told apart by PULUMI_HOME, which the harness sets per stack:
 * other stacks (tests run by others on this machine, the floor) have their own.
 */
class ProviderPeakMemory {
  private readonly homeVariable: string;
  private readonly pidsSeen = new Set<number>();
  private phasePeakKb = 0;
  private timer?: NodeJS.Timeout;

  constructor(workDir: string) {
    this.homeVariable = `PULUMI_HOME=${path.join(workDir, ".pulumi-home")}`;
  }

  get processCount(): number {
    return this.pidsSeen.size;
  }

  startPhase(): void {
    this.phasePeakKb = 0;
    this.timer = setInterval(() => this.sample(), 100);
  }

  /** The phase's peak in MB. */
  stopPhase(): number {
    clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    return this.phasePeakKb / 1024;
  }

  private sample(): void {
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // argv[1], the script: the wrapper's `node -e "require.resolve('...dynamic-provider')"` is not it.
        const script = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0")[1] ?? "";
        if (!script.includes(dynamicProviderCommand)) continue;
        if (!fs.readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(this.homeVariable)) continue;
        const hwm = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${entry}/status`, "utf8"));
        if (!hwm) continue;
        this.pidsSeen.add(Number(entry));
        this.phasePeakKb = Math.max(this.phasePeakKb, Number(hwm[1]));
      } catch {
        // The process exited between listing and reading.
      }
    }
  }
}

/** IDs and query strings differ per server; grouping them shows which kind of call is extra. */
function countByRoute(requests: LoggedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) {
    const route = r.path.split("?")[0].replace(/\/\d+(?=\/|$)/g, "/{id}");
    const key = `${r.method} ${route} ${r.status}${r.fault ? ` (${r.fault})` : ""}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

interface StateSizes {
  stateBytesPerServer: number;
  deploymentBytesPerServer: number;
  providerBytesPerServer: number;
  /** How many times the entry holds the serialized provider (the engine keeps it in inputs and outputs). */
  providerCopiesPerServer: number;
}

/** Sizes as compact JSON (the export is indented; whitespace is not what a server costs). */
function measureState(exported: string, n: number): StateSizes {
  const deployment = JSON.parse(exported).deployment;
  type ResourceEntry = { urn: string; inputs?: { __provider?: string }; outputs?: { __provider?: string } };
  const servers = (deployment.resources as ResourceEntry[]).filter((r) => r.urn.includes("PostmarkServer::"));
  if (servers.length !== n) throw new Error(`the state after create holds ${servers.length} PostmarkServers, not ${n}`);
  const bytes = (text: string) => Buffer.byteLength(text, "utf8");
  return {
    stateBytesPerServer: bytes(JSON.stringify(servers[0])),
    deploymentBytesPerServer: Math.round(bytes(JSON.stringify(deployment)) / n),
    providerBytesPerServer: bytes(servers[0].inputs?.__provider ?? ""),
    providerCopiesPerServer: [servers[0].inputs, servers[0].outputs].filter((props) => props?.__provider !== undefined).length,
  };
}

const sameChanges = (a: OpMap, b: OpMap) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** A stack the phases run on, with its dynamic provider processes to watch while they do. */
interface BenchStack {
  test: TestStack;
  /** For progress and errors, e.g. "100 PostmarkServers". */
  label: string;
  memory: ProviderPeakMemory;
}

async function openBenchStack(label: string, options: TestStackOptions, cleanups: (() => Promise<void>)[]): Promise<BenchStack> {
  const test = await createTestStack(options);
  cleanups.push(() => test.cleanup());
  return { test, label, memory: new ProviderPeakMemory(test.workDir) };
}

/** One phase on one stack: its wall time, the engine's change summary and the provider's peak memory. */
async function measurePhase(phase: Phase, benched: BenchStack, operation: OperationOptions) {
  operation.signal.throwIfAborted();
  progress(`${phase.name}: ${benched.label}`);
  benched.memory.startPhase();
  const started = performance.now();
  let changes: OpMap;
  let peakRssMb: number;
  try {
    changes = await phase.run(benched.test.stack, operation);
  } catch (error) {
    throw new Error(`${phase.name} of ${benched.label} failed: ${(error as Error).message}`);
  } finally {
    peakRssMb = benched.memory.stopPhase();
  }
  return { wallMs: Math.round(performance.now() - started), changes, peakRssMb: Number(peakRssMb.toFixed(1)) };
}

const progress = (text: string) => process.stderr.write(`bench: ${text}\n`);

async function bench(options: BenchOptions, cleanups: (() => Promise<void>)[], signal: AbortSignal) {
  const { n, parallel } = options;
  const operation: OperationOptions = { parallel, signal };
  // Other work on the machine (test runs) slows both stacks alike, but is worth knowing when reading the figures.
  const loadAverageAtStart = os.loadavg()[0];
  const pulumiVersion = execFileSync(path.join(pulumiBinDir(), "pulumi"), ["version"], { encoding: "utf8" }).trim();
  const maxConcurrentRequests = process.env.POSTMARK_MAX_CONCURRENT_REQUESTS || "4";

  const accountToken = "bench-account-token";
  const emulator = await startEmulator({ token: accountToken, latencyMs: options.latencyMs });
  cleanups.push(() => emulator.stop());
  const admin = new EmulatorAdmin(emulator.url);

  progress("creating the two temporary stacks");
  const config = { count: String(n), trackOpens: "false" };
  const doNothing = await openBenchStack(`${n} do-nothing resources`, { program: floorProgram, config, stackName: "floor" }, cleanups);
  const servers = await openBenchStack(
    `${n} PostmarkServers`,
    {
      program: postmarkProgram,
      config,
      stackName: "postmark",
      env: { POSTMARK_API_URL: emulator.url, POSTMARK_ACCOUNT_TOKEN: accountToken, POSTMARK_MAX_CONCURRENT_REQUESTS: maxConcurrentRequests },
    },
    cleanups,
  );

  // The first CLI run of a session reads node_modules and the plugins from a cold disk cache: not a phase cost.
  signal.throwIfAborted();
  progress("warm-up: a preview of the do-nothing stack (not measured)");
  await doNothing.test.stack.preview(operation);

  const results = {} as Record<PhaseName, PhaseResult>;
  const warnings: string[] = [];
  let sizes: StateSizes | undefined;
  for (const phase of phases) {
    await phase.prepare?.(doNothing.test.stack);
    await phase.prepare?.(servers.test.stack);
    // Interleaved, so a change in the machine's load mid-run falls on both stacks.
    const floor = await measurePhase(phase, doNothing, operation);
    await admin.clearRequests();
    const run = await measurePhase(phase, servers, operation);
    const requests = await admin.requests();
    results[phase.name] = {
      wallMs: run.wallMs,
      calls: requests.length,
      minCalls: phase.minCalls(n),
      floorWallMs: floor.wallMs,
      floorRatio: Number((run.wallMs / floor.wallMs).toFixed(2)),
      providerPeakRssMb: run.peakRssMb,
      floorProviderPeakRssMb: floor.peakRssMb,
      callsByRoute: countByRoute(requests),
      changes: run.changes,
      floorChanges: floor.changes,
    };
    const expected = phase.expectedChanges(n);
    for (const [benched, changes] of [[doNothing, floor.changes], [servers, run.changes]] as const) {
      if (!sameChanges(changes, expected)) {
        warnings.push(`${phase.name} of ${benched.label}: the engine reported ${JSON.stringify(changes)}, expected ${JSON.stringify(expected)}`);
      }
    }
    if (phase.name === "create") sizes = measureState(await servers.test.exportState(), n);
  }

  const cpus = os.cpus();
  return {
    n,
    latencyMs: options.latencyMs,
    parallel,
    maxConcurrentRequests: Number(maxConcurrentRequests),
    phases: results,
    ...sizes!,
    providerPeakRssMb: Math.max(...Object.values(results).map((r) => r.providerPeakRssMb)),
    floorProviderPeakRssMb: Math.max(...Object.values(results).map((r) => r.floorProviderPeakRssMb)),
    providerProcesses: servers.memory.processCount,
    warnings,
    machine: {
      cores: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? "unknown",
      totalMemoryMb: Math.round(os.totalmem() / 2 ** 20),
      node: process.version,
      pulumi: pulumiVersion,
      platform: `${os.platform()} ${os.arch()}`,
      loadAverage1m: { atStart: Number(loadAverageAtStart.toFixed(2)), atEnd: Number(os.loadavg()[0].toFixed(2)) },
    },
  };
}

type BenchReport = Awaited<ReturnType<typeof bench>>;

/** First column left-aligned, the figures right-aligned. */
function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  "))
    .join("\n");
}

function formatReport(report: BenchReport): string {
  const number = (value: number) => value.toLocaleString("en-US");
  const rows = [["phase", "wall ms", "API calls", "minimum", "floor ms", "x floor", "provider RSS MB", "floor RSS MB"]];
  for (const [name, phase] of Object.entries(report.phases)) {
    rows.push([
      name,
      number(phase.wallMs),
      number(phase.calls),
      number(phase.minCalls),
      number(phase.floorWallMs),
      phase.floorRatio.toFixed(2),
      phase.providerPeakRssMb.toFixed(1),
      phase.floorProviderPeakRssMb.toFixed(1),
    ]);
  }
  const offMinimum = Object.entries(report.phases)
    .filter(([, phase]) => phase.calls !== phase.minCalls)
    .map(([name, phase]) => {
      const routes = Object.entries(phase.callsByRoute).map(([route, count]) => `${route} x${count}`);
      return `  ${name}: ${phase.calls} calls, minimum ${phase.minCalls}: ${routes.join(", ")}`;
    });
  const { machine } = report;
  return [
    `pulumi-postmark bench: ${report.n} servers, emulator latency ${report.latencyMs} ms per Servers API request`,
    `Pulumi --parallel ${report.parallel} in every phase (the CLI's default here: ${defaultParallel}); ` +
      `provider POSTMARK_MAX_CONCURRENT_REQUESTS ${report.maxConcurrentRequests}`,
    `floor: the same phase for ${report.n} do-nothing dynamic resources, same engine, same run; ` +
      "RSS: the peak (VmHWM) of the phase's dynamic provider process",
    "",
    formatTable(rows),
    "",
    offMinimum.length > 0 ? `API calls off the minimum:\n${offMinimum.join("\n")}` : "API calls: every phase at its minimum",
    ...report.warnings.map((warning) => `warning: ${warning}`),
    "",
    `state per server: ${number(report.stateBytesPerServer)} B (its resource entry in \`pulumi stack export\`, compact JSON); ` +
      `whole deployment / ${report.n}: ${number(report.deploymentBytesPerServer)} B`,
    `serialized provider (__provider input) per server: ${number(report.providerBytesPerServer)} B, ` +
      `and the entry holds it ${report.providerCopiesPerServer} times (counting inputs and outputs)`,
    `provider peak RSS: ${report.providerPeakRssMb.toFixed(1)} MB (highest VmHWM of ${report.providerProcesses} dynamic provider processes); ` +
      `the do-nothing provider's: ${report.floorProviderPeakRssMb.toFixed(1)} MB`,
    `machine: ${machine.cores} cores (${machine.cpuModel}), ${number(machine.totalMemoryMb)} MB memory, ` +
      `Node ${machine.node}, pulumi ${machine.pulumi}, ${machine.platform}; ` +
      `1-minute load average ${machine.loadAverage1m.atStart} at start, ${machine.loadAverage1m.atEnd} at end`,
  ].join("\n");
}

async function main(): Promise<number> {
  let options: BenchOptions | "help";
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\nRun \`npm run bench -- --help\` for the flags.\n`);
    return 2;
  }
  if (options === "help") {
    process.stdout.write(usage);
    return 0;
  }

  // A signal stops the running CLI, and the finally below removes the stacks once it has exited: removing
  // them under a CLI still writing state would leave its files behind. `on`, not `once`: execa's
  // signal-exit re-raises the signal when it thinks it is alone, which would kill us mid-cleanup.
  const interruption = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (interruption.signal.aborted) return;
      progress(`${signal}: stopping, then removing the temporary stacks and the emulator`);
      interruption.abort(new Error(`interrupted by ${signal}`));
    });
  }
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const report = await bench(options, cleanups, interruption.signal);
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
    return 0;
  } catch (error) {
    progress(interruption.signal.aborted ? "interrupted" : `failed: ${(error as Error).message}`);
    return interruption.signal.aborted ? 130 : 1;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e: Error) => progress(`cleanup: ${e.message}`));
  }
}

main().then((code) => process.exit(code));
