/**
 * `npm run bench` (issues 6 and 10): how long pulumi up, preview, refresh, an update and destroy take against the
 * local emulator, for two stacks: N PostmarkServers, and N servers each with a Broadcasts message stream and two
 * webhooks. For each phase: the API calls made against the fewest that can do it, the wall time set next to the
 * same phase for the same number of do-nothing dynamic resources wired the same way (the engine's floor, which no
 * provider can beat), what each kind of resource costs in state and how much memory the provider process needs.
 */
import { execFileSync } from "child_process";
import { setMaxListeners } from "events";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, OpMap, Stack } from "@pulumi/pulumi/automation";
import { startEmulator } from "../emulator/server";
import { EmulatorAdmin, LoggedRequest } from "../tests/support/emulatorAdmin";
import { createTestStack, pulumiBinDir, TestStack, TestStackOptions } from "../tests/lifecycle/pulumiHarness";

/** What the CLI uses without --parallel (GOMAXPROCS * 4); passed explicitly, so the report states what ran. */
const defaultParallel = 4 * os.availableParallelism();

type ScenarioName = "servers" | "environment";
type PhaseName = "create" | "preview" | "refresh" | "update" | "destroy";
const phaseNames: PhaseName[] = ["create", "preview", "refresh", "update", "destroy"];

const usage = `Usage: npm run bench -- [--n N] [--scenario S] [--latency-ms M] [--parallel P] [--preview-runs R] [--node-modules DIR] [--cpu-prof DIR] [--json]

Times five phases through the real Pulumi CLI against a local Postmark emulator: up (create), a preview with
no changes, refresh, up (one field changed on every resource) and destroy, for two stacks:
  servers       N PostmarkServers
  environment   N PostmarkServers, each with a Broadcasts PostmarkMessageStream and two PostmarkWebhooks
                (one on the stream, one on outbound): 4 N resources
Each phase is set next to the same phase for as many do-nothing dynamic resources, wired the same way (the
engine's floor), and its API calls next to the fewest that can do it.

  --n N            servers in each stack, 1 to 1000 (default 50; the emulator logs the last 10000 calls)
  --scenario S     servers, environment or all (default all)
  --latency-ms M   milliseconds the emulator adds to every request, 0 to 60000 (default 50)
  --parallel P     Pulumi's --parallel for every phase, 1 to 1000 (default: the CLI's own,
                   4 per core: ${defaultParallel} here)
  --preview-runs R times the no-op preview of each stack is timed, interleaved, 1 to 20 (default 3): the
                   table shows the medians
  --node-modules DIR
                   run the stacks against this node_modules instead of the repo's (e.g. one whose
                   pulumi-postmark is an older build, for before and after figures)
  --cpu-prof DIR   after each timed no-op preview, run one more with the Node.js processes (the program
                   and the dynamic provider) profiled, write the profiles to DIR and print where the time goes
  --json           print the figures as one JSON object on stdout, progress on stderr
                   (through npm: \`npm run -s bench -- --json\`, so npm's banner stays off stdout)
  --help           print this text

The provider keeps POSTMARK_MAX_CONCURRENT_REQUESTS from the environment, else its default of 4.
`;

interface BenchOptions {
  n: number;
  scenarios: ScenarioName[];
  latencyMs: number;
  parallel: number;
  cpuProfileDir?: string;
  nodeModules?: string;
  previewRuns: number;
  json: boolean;
}

const numericFlags: Record<string, { option: "n" | "latencyMs" | "parallel" | "previewRuns"; min: number; max: number }> = {
  "--preview-runs": { option: "previewRuns", min: 1, max: 20 },
  "--n": { option: "n", min: 1, max: 1000 },
  "--latency-ms": { option: "latencyMs", min: 0, max: 60_000 },
  "--parallel": { option: "parallel", min: 1, max: 1000 },
};

class UsageError extends Error {}

function parseArgs(argv: string[]): BenchOptions | "help" {
  const options: BenchOptions = { n: 50, scenarios: ["servers", "environment"], latencyMs: 50, parallel: defaultParallel, previewRuns: 3, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") return "help";
    if (arg === "--json") {
      options.json = true;
      continue;
    }
    const equals = arg.indexOf("=");
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    const valueOf = () => {
      const value = equals > 0 ? arg.slice(equals + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      return value;
    };
    if (flag === "--scenario") {
      const value = valueOf();
      if (value === "all") options.scenarios = ["servers", "environment"];
      else if (value === "servers" || value === "environment") options.scenarios = [value];
      else throw new UsageError(`--scenario is ${JSON.stringify(value)}; it must be servers, environment or all`);
      continue;
    }
    if (flag === "--cpu-prof") {
      options.cpuProfileDir = path.resolve(valueOf());
      continue;
    }
    if (flag === "--node-modules") {
      options.nodeModules = path.resolve(valueOf());
      if (!fs.existsSync(path.join(options.nodeModules, "pulumi-postmark", "package.json"))) {
        throw new UsageError(`--node-modules ${options.nodeModules} holds no pulumi-postmark`);
      }
      continue;
    }
    const spec = numericFlags[flag];
    if (!spec) throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    const value = valueOf();
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < spec.min || number > spec.max) {
      throw new UsageError(`${flag} is ${JSON.stringify(value)}; it must be a whole number from ${spec.min} to ${spec.max}`);
    }
    options[spec.option] = number;
  }
  return options;
}

/** One call the provider cannot avoid, and how many of it a phase needs. */
interface MinimumCall {
  calls: number;
  what: string;
}

/**
 * A stack to bench: its program, the do-nothing program wired the same way (the floor), and the fewest API calls
 * each phase can make. Every program reads `count` and `updated` from stack config, so one list of phases drives all.
 */
interface Scenario {
  name: ScenarioName;
  /** For progress and the report, e.g. "50 PostmarkServers". */
  label(n: number): string;
  resourcesPerServer: number;
  program: string;
  floorProgram: string;
  minimum: Record<PhaseName, (n: number) => MinimumCall[]>;
}

/** The do-nothing provider both floor programs use: no API, no state beyond the inputs. */
const doNothingPreamble = `
const pulumi = require("@pulumi/pulumi");
const provider = {
  async check(olds, news) { return { inputs: news }; },
  async diff(id, olds, news) { return { changes: olds.updated !== news.updated }; },
  async create(inputs) { return { id: inputs.name, outs: inputs }; },
  async read(id, props) { return { id, props }; },
  async update(id, olds, news) { return { outs: news }; },
  async delete() {},
};
class DoNothing extends pulumi.dynamic.Resource {
  constructor(name, args) { super(provider, name, args); }
}
const config = new pulumi.Config();
const updated = config.requireBoolean("updated");
`;

// Lost-create recovery lists a scope once per run, before its first create, so that a create whose answer was lost
// never takes an object that existed before: the account's servers (one GET per 100 servers there; the bench's
// account starts empty), and each server's streams and webhooks.
const serverListing: MinimumCall = { calls: 1, what: "GET /servers: the servers there before this run's first create (lost-create recovery)" };
const tokenLookups = (n: number): MinimumCall => ({ calls: n, what: "GET /servers/{id}: each server's token, once per run" });

const scenarios: Record<ScenarioName, Scenario> = {
  servers: {
    name: "servers",
    label: (n) => `${n} PostmarkServers`,
    resourcesPerServer: 1,
    program: `
const pulumi = require("@pulumi/pulumi");
const { PostmarkServer } = require("pulumi-postmark");
const config = new pulumi.Config();
const updated = config.requireBoolean("updated");
for (let i = 0; i < config.requireNumber("count"); i++) {
  new PostmarkServer("server-" + i, { name: "Bench server " + i, color: "Blue", deliveryType: "Sandbox", trackOpens: updated });
}
`,
    floorProgram: `${doNothingPreamble}
for (let i = 0; i < config.requireNumber("count"); i++) new DoNothing("server-" + i, { name: "Bench server " + i, updated });
`,
    minimum: {
      create: (n) => [serverListing, { calls: n, what: "POST /servers" }],
      preview: () => [],
      refresh: (n) => [{ calls: n, what: "GET /servers/{id}" }],
      update: (n) => [{ calls: n, what: "PUT /servers/{id} (trackOpens)" }],
      destroy: (n) => [{ calls: n, what: "DELETE /servers/{id}" }],
    },
  },
  environment: {
    name: "environment",
    label: (n) => `${n} servers with a stream and 2 webhooks each`,
    resourcesPerServer: 4,
    program: `
const pulumi = require("@pulumi/pulumi");
const { PostmarkServer, PostmarkMessageStream, PostmarkWebhook } = require("pulumi-postmark");
const config = new pulumi.Config();
const updated = config.requireBoolean("updated");
for (let i = 0; i < config.requireNumber("count"); i++) {
  const server = new PostmarkServer("server-" + i, { name: "Bench server " + i, color: "Blue", deliveryType: "Sandbox", trackOpens: updated });
  const stream = new PostmarkMessageStream("news-" + i, {
    serverId: server.serverId, streamId: "newsletters", name: updated ? "Newsletters (updated)" : "Newsletters", messageStreamType: "Broadcasts",
  });
  new PostmarkWebhook("opens-" + i, {
    serverId: server.serverId, messageStream: stream.streamId, url: "https://hooks.example.com/" + i + "/opens",
    triggers: { open: { enabled: true }, click: { enabled: updated } },
  });
  new PostmarkWebhook("bounces-" + i, {
    serverId: server.serverId, url: "https://hooks.example.com/" + i + "/bounces",
    triggers: { bounce: { enabled: true }, delivery: { enabled: updated } },
  });
}
`,
    floorProgram: `${doNothingPreamble}
for (let i = 0; i < config.requireNumber("count"); i++) {
  const server = new DoNothing("server-" + i, { name: "Bench server " + i, updated });
  const stream = new DoNothing("news-" + i, { name: "news " + i, serverId: server.name, updated });
  new DoNothing("opens-" + i, { name: "opens " + i, serverId: server.name, messageStream: stream.name, updated });
  new DoNothing("bounces-" + i, { name: "bounces " + i, serverId: server.name, updated });
}
`,
    minimum: {
      create: (n) => [
        serverListing,
        { calls: n, what: "POST /servers" },
        tokenLookups(n),
        { calls: n, what: "GET /message-streams: each server's streams before its first create" },
        { calls: n, what: "POST /message-streams" },
        { calls: n, what: "GET /webhooks: each server's webhooks before its first create" },
        { calls: 2 * n, what: "POST /webhooks" },
      ],
      preview: () => [],
      refresh: (n) => [
        { calls: n, what: "GET /servers/{id}: the server" },
        tokenLookups(n),
        { calls: n, what: "GET /message-streams/newsletters" },
        { calls: 2 * n, what: "GET /webhooks/{id}" },
      ],
      update: (n) => [
        { calls: n, what: "PUT /servers/{id} (trackOpens)" },
        tokenLookups(n),
        { calls: n, what: "PATCH /message-streams/newsletters (name)" },
        { calls: 2 * n, what: "PUT /webhooks/{id} (one trigger)" },
      ],
      destroy: (n) => [
        { calls: 2 * n, what: "DELETE /webhooks/{id}" },
        tokenLookups(n),
        { calls: n, what: "POST /message-streams/newsletters/archive (Postmark has no delete)" },
        { calls: n, what: "DELETE /servers/{id}" },
      ],
    },
  },
};

/** What every phase passes to the Automation API; `signal` stops the running CLI (with SIGINT) on Ctrl-C. */
interface OperationOptions {
  parallel: number;
  signal: AbortSignal;
}

interface Phase {
  name: PhaseName;
  /** The engine's summary when the provider does just its job, for `resources` resources (the stack counts as one more). */
  expectedChanges(resources: number): OpMap;
  /** Untimed setup: the program's new desired state. */
  prepare?(stack: Stack): Promise<void>;
  run(stack: Stack, options: OperationOptions): Promise<OpMap>;
}

const phases: Record<PhaseName, Phase> = {
  create: {
    name: "create",
    expectedChanges: (r) => ({ create: r + 1 }),
    run: async (stack, options) => (await stack.up(options)).summary.resourceChanges ?? {},
  },
  preview: {
    name: "preview",
    expectedChanges: (r) => ({ same: r + 1 }),
    run: async (stack, options) => (await stack.preview(options)).changeSummary,
  },
  refresh: {
    name: "refresh",
    expectedChanges: (r) => ({ same: r + 1 }),
    run: async (stack, options) => (await stack.refresh(options)).summary.resourceChanges ?? {},
  },
  update: {
    name: "update",
    expectedChanges: (r) => ({ update: r, same: 1 }),
    prepare: (stack) => stack.setConfig("updated", { value: "true" }),
    run: async (stack, options) => (await stack.up(options)).summary.resourceChanges ?? {},
  },
  destroy: {
    name: "destroy",
    expectedChanges: (r) => ({ delete: r + 1 }),
    run: async (stack, options) => (await stack.destroy(options)).summary.resourceChanges ?? {},
  },
};

interface PhaseResult {
  /** The median when the phase was timed more than once (the no-op preview). */
  wallMs: number;
  wallMsSamples?: number[];
  floorWallMsSamples?: number[];
  calls: number;
  minCalls: number;
  /** The calls the minimum is made of. */
  minimum: MinimumCall[];
  floorWallMs: number;
  /** wallMs / floorWallMs. */
  floorRatio: number;
  /** CPU time of the CLI and every process it ran (the median, like wallMs), and the floor's. */
  cpuMs: number;
  floorCpuMs: number;
  /** cpuMs / floorCpuMs: steadier than floorRatio on a machine others use. */
  cpuFloorRatio: number;
  providerPeakRssMb: number;
  /** The do-nothing provider's peak in the floor run: what Node and @pulumi/pulumi take on their own. */
  floorProviderPeakRssMb: number;
  /** API calls by method, route and status, e.g. "GET /servers/{id} 200". */
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

/** IDs and query strings differ per resource; grouping them shows which kind of call is extra. */
function countByRoute(requests: LoggedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) {
    const route = r.path.split("?")[0].replace(/\/\d+(?=\/|$)/g, "/{id}");
    const key = `${r.method} ${route} ${r.status}${r.fault ? ` (${r.fault})` : ""}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Bytes of one resource kind's entries in `pulumi stack export`, as compact JSON, and what they are made of. */
interface KindState {
  kind: string;
  resources: number;
  /** The mean resource entry. */
  entryBytes: number;
  /** The provider's text (the `__provider` input the dynamic-provider host loads), and how many times the entry holds it (inputs, outputs). */
  providerBytes: number;
  providerCopies: number;
  /** Inputs and outputs without the provider text. */
  inputBytes: number;
  outputBytes: number;
  /** Everything else the engine writes: URN, type, parent, provider reference, dependencies, timestamps, source position and stack trace. */
  engineBytes: number;
  /** Of those, the registration's source position and stack trace. */
  stackTraceBytes: number;
}

interface StateReport {
  kinds: KindState[];
  /** The whole deployment divided by the number of resources (the stack and the default provider included). */
  deploymentBytesPerResource: number;
}

const compactBytes = (value: unknown) => (value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value), "utf8"));

function measureState(exported: string, resources: number, kindOf: (type: string) => string | undefined): StateReport {
  const deployment = JSON.parse(exported).deployment;
  type Props = Record<string, unknown> & { __provider?: string };
  type Entry = Record<string, unknown> & { type: string; inputs?: Props; outputs?: Props };
  const byKind = new Map<string, Entry[]>();
  for (const entry of deployment.resources as Entry[]) {
    const kind = kindOf(entry.type);
    if (kind) byKind.set(kind, [...(byKind.get(kind) ?? []), entry]);
  }
  const counted = [...byKind.values()].reduce((sum, entries) => sum + entries.length, 0);
  if (counted !== resources) throw new Error(`the state after create holds ${counted} benched resources, not ${resources}`);
  const withoutProvider = (props?: Props) => props && Object.fromEntries(Object.entries(props).filter(([key]) => key !== "__provider"));
  const mean = (entries: Entry[], size: (entry: Entry) => number) => Math.round(entries.reduce((sum, e) => sum + size(e), 0) / entries.length);
  const kinds = [...byKind].map(([kind, entries]): KindState => {
    const engineFields = (entry: Entry) => Object.fromEntries(Object.entries(entry).filter(([key]) => key !== "inputs" && key !== "outputs"));
    const first = entries[0];
    return {
      kind,
      resources: entries.length,
      entryBytes: mean(entries, compactBytes),
      providerBytes: Buffer.byteLength(first.inputs?.__provider ?? "", "utf8"),
      providerCopies: [first.inputs, first.outputs].filter((props) => props?.__provider !== undefined).length,
      inputBytes: mean(entries, (e) => compactBytes(withoutProvider(e.inputs))),
      outputBytes: mean(entries, (e) => compactBytes(withoutProvider(e.outputs))),
      engineBytes: mean(entries, (e) => compactBytes(engineFields(e))),
      stackTraceBytes: mean(entries, (e) => compactBytes(e.sourcePosition) + compactBytes(e.stackTrace)),
    };
  });
  return { kinds, deploymentBytesPerResource: Math.round(compactBytes(deployment) / (resources + 2)) };
}

/** "pulumi-nodejs:dynamic/postmark:PostmarkServer" is a PostmarkServer; the floor's resources are all "DoNothing". */
const postmarkKind = (type: string) => /:(Postmark\w+)$/.exec(type)?.[1];
const floorKind = (type: string) => (type.endsWith(":Resource") && type.startsWith("pulumi-nodejs:dynamic") ? "DoNothing" : undefined);

const sameChanges = (a: OpMap, b: OpMap) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** A stack the phases run on, with its dynamic provider processes to watch while they do. */
interface BenchStack {
  test: TestStack;
  /** For progress, errors and profile file names, e.g. "50 PostmarkServers". */
  label: string;
  /** For profile file names, e.g. "servers-postmark". */
  slug: string;
  memory: ProviderPeakMemory;
}

async function openBenchStack(label: string, slug: string, options: TestStackOptions, cleanups: (() => Promise<void>)[]): Promise<BenchStack> {
  const test = await createTestStack(options);
  cleanups.push(() => test.cleanup());
  return { test, label, slug, memory: new ProviderPeakMemory(test.workDir) };
}

/** One phase on one stack: its wall time, the engine's change summary and the provider's peak memory. */
async function measurePhase(phase: Phase, benched: BenchStack, operation: OperationOptions, profileDir?: string) {
  operation.signal.throwIfAborted();
  progress(`${phase.name}: ${benched.label}`);
  // NODE_OPTIONS reaches every Node.js process of the run: the program's and the dynamic provider's.
  const workspaceEnv = (benched.test.stack.workspace as LocalWorkspace).envVars;
  if (profileDir) {
    fs.mkdirSync(profileDir, { recursive: true });
    const preload = path.join(profileDir, "profile-preload.js");
    fs.writeFileSync(preload, profilerPreload);
    workspaceEnv.NODE_OPTIONS = `--require=${preload}`;
    workspaceEnv.BENCH_PROFILE_DIR = profileDir;
  }
  benched.memory.startPhase();
  const started = performance.now();
  const cpuAtStart = childrenCpuMs();
  let changes: OpMap;
  let peakRssMb: number;
  try {
    changes = await phase.run(benched.test.stack, operation);
  } catch (error) {
    throw new Error(`${phase.name} of ${benched.label} failed: ${(error as Error).message}`);
  } finally {
    peakRssMb = benched.memory.stopPhase();
    delete workspaceEnv.NODE_OPTIONS;
    delete workspaceEnv.BENCH_PROFILE_DIR;
  }
  return {
    wallMs: Math.round(performance.now() - started),
    cpuMs: Math.round(childrenCpuMs() - cpuAtStart),
    changes,
    peakRssMb: Number(peakRssMb.toFixed(1)),
  };
}

const clockTicksPerSecond = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time used by this process's children once they have ended: the CLI and everything it ran (engine, language
 * host, program, dynamic provider), from /proc/self/stat (cutime and cstime). Unlike wall time, it hardly moves
 * when other work competes for the machine's cores. The emulator runs in this process and is not counted.
 */
function childrenCpuMs(): number {
  const afterName = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  // Fields 16 and 17 of stat(5); afterName starts at field 3.
  return ((Number(afterName[13]) + Number(afterName[14])) * 1000) / clockTicksPerSecond;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : Math.round((sorted[middle - 1] + sorted[middle]) / 2);
}

const progress = (text: string) => process.stderr.write(`bench: ${text}\n`);

interface ScenarioReport {
  scenario: ScenarioName;
  label: string;
  resources: number;
  phases: Record<PhaseName, PhaseResult>;
  state: StateReport;
  floorState: StateReport;
  providerPeakRssMb: number;
  floorProviderPeakRssMb: number;
  providerProcesses: number;
  /** Where each no-op preview's CPU time went, with --cpu-prof. */
  previewProfiles?: ProfileSummary[];
  warnings: string[];
}

async function benchScenario(
  scenario: Scenario,
  options: BenchOptions,
  emulator: { url: string; admin: EmulatorAdmin; accountToken: string },
  cleanups: (() => Promise<void>)[],
  signal: AbortSignal,
): Promise<ScenarioReport> {
  const { n, parallel } = options;
  const resources = n * scenario.resourcesPerServer;
  const operation: OperationOptions = { parallel, signal };
  const maxConcurrentRequests = process.env.POSTMARK_MAX_CONCURRENT_REQUESTS || "4";
  progress(`${scenario.name}: creating the two temporary stacks`);
  const config = { count: String(n), updated: "false" };
  const doNothing = await openBenchStack(
    `${resources} do-nothing resources`,
    `${scenario.name}-floor`,
    { program: scenario.floorProgram, config, stackName: `${scenario.name}-floor`, nodeModules: options.nodeModules },
    cleanups,
  );
  const postmark = await openBenchStack(
    scenario.label(n),
    `${scenario.name}-postmark`,
    {
      program: scenario.program,
      config,
      stackName: `${scenario.name}-postmark`,
      nodeModules: options.nodeModules,
      env: { POSTMARK_API_URL: emulator.url, POSTMARK_ACCOUNT_TOKEN: emulator.accountToken, POSTMARK_MAX_CONCURRENT_REQUESTS: maxConcurrentRequests },
    },
    cleanups,
  );

  // The first CLI run of a session reads node_modules and the plugins from a cold disk cache: not a phase cost.
  signal.throwIfAborted();
  progress(`${scenario.name}: warm-up, a preview of the do-nothing stack (not measured)`);
  await doNothing.test.stack.preview(operation);

  const results = {} as Record<PhaseName, PhaseResult>;
  const warnings: string[] = [];
  let state: StateReport | undefined;
  let floorState: StateReport | undefined;
  const previewProfiles: ProfileSummary[] = [];
  for (const name of phaseNames) {
    const phase = phases[name];
    await phase.prepare?.(doNothing.test.stack);
    await phase.prepare?.(postmark.test.stack);
    // Interleaved, so a change in the machine's load mid-run falls on both stacks.
    const floor = await measurePhase(phase, doNothing, operation);
    await emulator.admin.clearRequests();
    const run = await measurePhase(phase, postmark, operation);
    const requests = await emulator.admin.requests();
    // A no-op preview changes nothing, so it can be timed again: the median of a few runs is steadier than one.
    const floorSamples = [floor];
    const runSamples = [run];
    for (let i = 1; name === "preview" && i < options.previewRuns; i++) {
      floorSamples.push(await measurePhase(phase, doNothing, operation));
      runSamples.push(await measurePhase(phase, postmark, operation));
    }
    floor.wallMs = median(floorSamples.map((sample) => sample.wallMs));
    run.wallMs = median(runSamples.map((sample) => sample.wallMs));
    floor.cpuMs = median(floorSamples.map((sample) => sample.cpuMs));
    run.cpuMs = median(runSamples.map((sample) => sample.cpuMs));
    const minimum = scenario.minimum[name](n);
    results[name] = {
      wallMs: run.wallMs,
      ...(runSamples.length > 1 && {
        wallMsSamples: runSamples.map((sample) => sample.wallMs),
        floorWallMsSamples: floorSamples.map((sample) => sample.wallMs),
      }),
      cpuMs: run.cpuMs,
      floorCpuMs: floor.cpuMs,
      cpuFloorRatio: Number((run.cpuMs / floor.cpuMs).toFixed(2)),
      calls: requests.length,
      minCalls: minimum.reduce((sum, m) => sum + m.calls, 0),
      minimum,
      floorWallMs: floor.wallMs,
      floorRatio: Number((run.wallMs / floor.wallMs).toFixed(2)),
      providerPeakRssMb: run.peakRssMb,
      floorProviderPeakRssMb: floor.peakRssMb,
      callsByRoute: countByRoute(requests),
      changes: run.changes,
      floorChanges: floor.changes,
    };
    const expected = phase.expectedChanges(resources);
    for (const [benched, changes] of [[doNothing, floor.changes], [postmark, run.changes]] as const) {
      if (!sameChanges(changes, expected)) {
        warnings.push(`${name} of ${benched.label}: the engine reported ${JSON.stringify(changes)}, expected ${JSON.stringify(expected)}`);
      }
    }
    if (name === "create") {
      state = measureState(await postmark.test.exportState(), resources, postmarkKind);
      floorState = measureState(await doNothing.test.exportState(), resources, floorKind);
    }
    if (name === "preview" && options.cpuProfileDir) {
      // One more preview of each stack, profiled and not timed: the profiler slows the processes it watches.
      for (const benched of [doNothing, postmark]) {
        const dir = path.join(options.cpuProfileDir, benched.slug);
        await measurePhase(phase, benched, operation, dir);
        previewProfiles.push(...summarizeProfiles(dir, benched.label));
      }
    }
  }
  return {
    scenario: scenario.name,
    label: scenario.label(n),
    resources,
    phases: results,
    state: state!,
    floorState: floorState!,
    providerPeakRssMb: Math.max(...Object.values(results).map((r) => r.providerPeakRssMb)),
    floorProviderPeakRssMb: Math.max(...Object.values(results).map((r) => r.floorProviderPeakRssMb)),
    providerProcesses: postmark.memory.processCount,
    ...(options.cpuProfileDir && { previewProfiles }),
    warnings,
  };
}

async function bench(options: BenchOptions, cleanups: (() => Promise<void>)[], signal: AbortSignal) {
  // Other work on the machine (test runs) slows both stacks alike, but is worth knowing when reading the figures.
  const loadAverageAtStart = os.loadavg()[0];
  const pulumiVersion = execFileSync(path.join(pulumiBinDir(), "pulumi"), ["version"], { encoding: "utf8" }).trim();
  const accountToken = "bench-account-token";
  const running = await startEmulator({ token: accountToken, latencyMs: options.latencyMs });
  cleanups.push(() => running.stop());
  const emulator = { url: running.url, admin: new EmulatorAdmin(running.url), accountToken };

  const reports: ScenarioReport[] = [];
  for (const name of options.scenarios) reports.push(await benchScenario(scenarios[name], options, emulator, cleanups, signal));

  const cpus = os.cpus();
  return {
    n: options.n,
    package: packageUnderTest(options.nodeModules),
    latencyMs: options.latencyMs,
    parallel: options.parallel,
    maxConcurrentRequests: Number(process.env.POSTMARK_MAX_CONCURRENT_REQUESTS || "4"),
    scenarios: reports,
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

/**
 * Node 20 refuses --cpu-prof in NODE_OPTIONS, so each process is profiled from a preloaded script through the
 * inspector, and writes its profile when it ends: the program exits on its own, the engine stops the dynamic
 * provider with SIGINT (then SIGKILL after 5 s).
 */
const profilerPreload = `
const inspector = require("inspector");
const fs = require("fs");
const path = require("path");
const session = new inspector.Session();
session.connect();
session.post("Profiler.enable");
session.post("Profiler.setSamplingInterval", { interval: 500 });
session.post("Profiler.start");
let written = false;
function write() {
  if (written) return;
  written = true;
  // The main thread's session answers synchronously, so this works in an exit handler.
  session.post("Profiler.stop", (error, result) => {
    if (!error) fs.writeFileSync(path.join(process.env.BENCH_PROFILE_DIR, process.pid + ".cpuprofile"), JSON.stringify(result.profile));
  });
}
process.on("exit", write);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => { write(); process.exit(130); });
`;

/** Which pulumi-postmark the stacks load: where it lives, and its git commit when it is a checkout. */
function packageUnderTest(nodeModules = path.join(__dirname, "..", "..", "node_modules")): string {
  const root = fs.realpathSync(path.join(nodeModules, "pulumi-postmark"));
  let commit = "";
  try {
    commit = execFileSync("git", ["-C", root, "log", "-1", "--format=%h"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    // Not a checkout (an npm install, an export): the path says what it is.
  }
  return commit ? `${root} at ${commit}` : root;
}

/** Where one Node.js process spent its CPU time during a no-op preview, from its CPU profile. */
interface ProfileSummary {
  stack: string;
  /** "program" (the Pulumi program) or "dynamic provider". */
  process: string;
  file: string;
  /** From the process's start of profiling to its end. */
  wallMs: number;
  /** Sampled time, by where the code comes from. */
  byOrigin: Record<string, number>;
  /** The functions with the most self time. */
  topFunctions: { name: string; selfMs: number }[];
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** Which part of the process a function belongs to, from its script URL. */
function originOf(frame: CpuProfileNode["callFrame"]): string {
  const { url, functionName } = frame;
  if (!url) return ["(garbage collector)", "(idle)", "(program)"].includes(functionName) ? functionName : "(native)";
  if (/\/dist\/provider\//.test(url) || url.includes("pulumi-postmark")) return "pulumi-postmark";
  if (url.includes("@grpc/") || url.includes("google-protobuf") || url.includes("/proto/")) return "gRPC and protobuf";
  if (url.includes("/runtime/closure/")) return "@pulumi/pulumi closure serializer";
  if (url.includes("@pulumi/pulumi") || url.includes("@pulumi/")) return "@pulumi/pulumi";
  if (url.startsWith("node:internal/modules") || url.includes("source-map-support") || url.includes("require-from-string")) {
    return "module loading";
  }
  if (url.startsWith("node:")) return "Node.js internals";
  if (url.includes("/node_modules/")) return "other packages";
  return "the program";
}

function summarizeProfiles(dir: string, stack: string): ProfileSummary[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith(".cpuprofile"))
    .map((file): ProfileSummary => {
      const profile = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as {
        nodes: CpuProfileNode[];
        samples: number[];
        timeDeltas: number[];
        startTime: number;
        endTime: number;
      };
      const byId = new Map(profile.nodes.map((node) => [node.id, node]));
      const selfUs = new Map<number, number>();
      profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0)));
      const byOrigin: Record<string, number> = {};
      const byFunction = new Map<string, number>();
      for (const [id, us] of selfUs) {
        const frame = byId.get(id)!.callFrame;
        const origin = originOf(frame);
        byOrigin[origin] = (byOrigin[origin] ?? 0) + us / 1000;
        const name = `${frame.functionName || "(anonymous)"} ${frame.url ? `${frame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/dist\//, "dist/")}:${frame.lineNumber + 1}` : ""}`;
        byFunction.set(name, (byFunction.get(name) ?? 0) + us / 1000);
      }
      const urls = profile.nodes.map((node) => node.callFrame.url);
      return {
        stack,
        process: urls.some((url) => url.includes("cmd/dynamic-provider")) ? "dynamic provider" : urls.some((url) => url.includes("cmd/run")) ? "program" : "other",
        file,
        wallMs: Math.round((profile.endTime - profile.startTime) / 1000),
        byOrigin: Object.fromEntries(
          Object.entries(byOrigin)
            .map(([origin, ms]): [string, number] => [origin, Math.round(ms)])
            .sort((a, b) => b[1] - a[1]),
        ),
        topFunctions: [...byFunction]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8)
          .map(([name, ms]) => ({ name, selfMs: Math.round(ms) })),
      };
    })
    // The plugin's launcher runs a `node -e` of its own to find the provider: not part of the preview's work.
    .filter((summary) => summary.process !== "other");
}

type BenchReport = Awaited<ReturnType<typeof bench>>;

/** First column left-aligned, the figures right-aligned. */
function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  "))
    .join("\n");
}

const number = (value: number) => value.toLocaleString("en-US");

function formatScenario(report: ScenarioReport): string {
  const rows = [["phase", "wall ms", "API calls", "minimum", "floor ms", "x floor", "CPU ms", "floor CPU ms", "x floor CPU", "provider RSS MB", "floor RSS MB"]];
  for (const [name, phase] of Object.entries(report.phases)) {
    rows.push([
      name,
      number(phase.wallMs),
      number(phase.calls),
      number(phase.minCalls),
      number(phase.floorWallMs),
      phase.floorRatio.toFixed(2),
      number(phase.cpuMs),
      number(phase.floorCpuMs),
      phase.cpuFloorRatio.toFixed(2),
      phase.providerPeakRssMb.toFixed(1),
      phase.floorProviderPeakRssMb.toFixed(1),
    ]);
  }
  const minimumLines = Object.entries(report.phases)
    .filter(([, phase]) => phase.minimum.length > 0)
    .map(([name, phase]) => `  ${name}: ${phase.minimum.map((m) => `${m.calls} ${m.what}`).join("; ")}`);
  const offMinimum = Object.entries(report.phases)
    .filter(([, phase]) => phase.calls !== phase.minCalls)
    .map(([name, phase]) => {
      const routes = Object.entries(phase.callsByRoute).map(([route, count]) => `${route} x${count}`);
      return `  ${name}: ${phase.calls} calls, minimum ${phase.minCalls}: ${routes.join(", ")}`;
    });
  const stateRows = [["state per resource (B)", "entry", "__provider", "copies", "inputs", "outputs", "engine", "of which stack trace"]];
  for (const kind of [...report.state.kinds, ...report.floorState.kinds]) {
    stateRows.push([
      `${kind.kind} (${kind.resources})`,
      number(kind.entryBytes),
      number(kind.providerBytes),
      String(kind.providerCopies),
      number(kind.inputBytes),
      number(kind.outputBytes),
      number(kind.engineBytes),
      number(kind.stackTraceBytes),
    ]);
  }
  const profiles = (report.previewProfiles ?? []).map((p) => {
    const origins = Object.entries(p.byOrigin)
      .filter(([, ms]) => ms > 0)
      .map(([origin, ms]) => `${origin} ${number(ms)}`)
      .join(", ");
    const top = p.topFunctions.map((f) => `${f.name} ${number(f.selfMs)}`).join("; ");
    return `  ${p.stack}, ${p.process} (${p.file}): ${number(p.wallMs)} ms profiled; self ms by origin: ${origins}\n    top: ${top}`;
  });
  return [
    `== ${report.label}: ${report.resources} resources (floor: ${report.resources} do-nothing dynamic resources wired the same way)`,
    "",
    formatTable(rows),
    ...Object.entries(report.phases)
      .filter(([, phase]) => phase.wallMsSamples)
      .map(
        ([name, phase]) =>
          `${name} timed ${phase.wallMsSamples!.length} times, interleaved with the floor (medians above): ` +
          `${phase.wallMsSamples!.map(number).join(", ")} ms; floor ${phase.floorWallMsSamples!.map(number).join(", ")} ms`,
      ),
    "",
    `minimum API calls (what the provider cannot avoid):\n${minimumLines.join("\n")}`,
    offMinimum.length > 0 ? `API calls off the minimum:\n${offMinimum.join("\n")}` : "API calls: every phase at its minimum",
    ...report.warnings.map((warning) => `warning: ${warning}`),
    "",
    formatTable(stateRows),
    "  (entry: the resource's compact JSON in `pulumi stack export`; __provider: the provider text the dynamic-provider host loads, stored `copies` " +
      "times; engine: URN, type, parent, provider reference, dependencies, timestamps, source position and stack trace)",
    `whole deployment / resources (stack and default provider included): ${number(report.state.deploymentBytesPerResource)} B; ` +
      `floor: ${number(report.floorState.deploymentBytesPerResource)} B`,
    `provider peak RSS: ${report.providerPeakRssMb.toFixed(1)} MB (highest VmHWM of ${report.providerProcesses} dynamic provider processes); ` +
      `the do-nothing provider's: ${report.floorProviderPeakRssMb.toFixed(1)} MB`,
    ...(profiles.length > 0 ? ["", "no-op preview, CPU profiles (--cpu-prof; an extra, untimed preview, slowed by the profiler):", ...profiles] : []),
  ].join("\n");
}

function formatReport(report: BenchReport): string {
  const { machine } = report;
  return [
    `pulumi-postmark bench (${report.package}): N = ${report.n} servers, emulator latency ${report.latencyMs} ms per request`,
    `Pulumi --parallel ${report.parallel} in every phase (the CLI's default here: ${defaultParallel}); ` +
      `provider POSTMARK_MAX_CONCURRENT_REQUESTS ${report.maxConcurrentRequests}`,
    "CPU: user and system time of the CLI and every process it ran; RSS: the peak (VmHWM) of the phase's dynamic provider process",
    `machine: ${machine.cores} cores (${machine.cpuModel}), ${number(machine.totalMemoryMb)} MB memory, ` +
      `Node ${machine.node}, pulumi ${machine.pulumi}, ${machine.platform}; ` +
      `1-minute load average ${machine.loadAverage1m.atStart} at start, ${machine.loadAverage1m.atEnd} at end`,
    ...report.scenarios.flatMap((scenario) => ["", formatScenario(scenario)]),
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
  // The Automation API adds an abort listener per CLI run (about a dozen per scenario), which Node warns about past 10.
  setMaxListeners(100, interruption.signal);
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
