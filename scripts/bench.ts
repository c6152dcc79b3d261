/**
 * `npm run bench` (issues 6, 10 and 18): how long pulumi up, preview, refresh, an update and destroy take against the
 * local emulator, for two stacks: N PostmarkServers, and N servers each with a Broadcasts message stream and two
 * webhooks. Each stack is run two ways (paths): the dynamic resources from a JavaScript program, and the same resources
 * from a YAML program through the postmark plugin. For each phase and path: the API calls made against the fewest that
 * can do it, the wall time set next to the same phase for the same number of do-nothing dynamic resources wired the
 * same way (the engine's floor, which no provider can beat), what each kind of resource costs in state and how much
 * memory the provider process needs.
 */
import { execFileSync } from "child_process";
import { setMaxListeners } from "events";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, OpMap, Stack } from "@pulumi/pulumi/automation";
import { startEmulator } from "../emulator/server";
import { EmulatorAdmin, LoggedRequest } from "../tests/support/emulatorAdmin";
import { createTestStack, postmarkPluginDir, pulumiBinDir, TestStack, TestStackOptions } from "../tests/lifecycle/pulumiHarness";

/** What the CLI uses without --parallel (GOMAXPROCS * 4); passed explicitly, so the report states what ran. */
const defaultParallel = 4 * os.availableParallelism();

type ScenarioName = "servers" | "environment";
type PhaseName = "create" | "preview" | "refresh" | "update" | "destroy";
const phaseNames: PhaseName[] = ["create", "preview", "refresh", "update", "destroy"];
/** The two ways to Postmark the bench can take (`--paths`). */
type PostmarkPath = "dynamic" | "plugin";
const postmarkPaths: PostmarkPath[] = ["dynamic", "plugin"];
/** Every stack of a scenario: the floor, and the Postmark paths benched. */
type PathName = "floor" | PostmarkPath;

const usage = `Usage: npm run bench -- [--n N] [--scenario S] [--paths P] [--latency-ms M] [--parallel P] [--preview-runs R] [--node-modules DIR] [--cpu-prof DIR] [--json]

Times five phases through the real Pulumi CLI against a local Postmark emulator: up (create), a preview with
no changes, refresh, up (one field changed on every resource) and destroy, for two stacks:
  servers       N PostmarkServers
  environment   N PostmarkServers, each with a Broadcasts PostmarkMessageStream and two PostmarkWebhooks
                (one on the stream, one on outbound): 4 N resources
each run two ways (paths), with the same names and values:
  dynamic       the dynamic resources (new PostmarkServer(...)), from a JavaScript program
  plugin        the postmark provider plugin (postmark:index:Server, ...), from a YAML program
Each phase is set next to the same phase for as many do-nothing dynamic resources, wired the same way (the
engine's floor), and its API calls next to the fewest that can do it.

  --n N            servers in each stack, 1 to 1000 (default 50; the emulator logs the last 10000 calls)
  --scenario S     servers, environment or all (default all)
  --paths P        dynamic, plugin or both, comma-separated (default dynamic,plugin)
  --latency-ms M   milliseconds the emulator adds to every request, 0 to 60000 (default 50)
  --parallel P     Pulumi's --parallel for every phase, 1 to 1000 (default: the CLI's own,
                   4 per core: ${defaultParallel} here)
  --preview-runs R times the no-op preview of each stack is timed, interleaved, 1 to 20 (default 3): the
                   table shows the medians
  --node-modules DIR
                   run the stacks against this node_modules instead of the repo's (e.g. one whose
                   pulumi-postmark is an older build, for before and after figures)
  --cpu-prof DIR   after each timed no-op preview, run one more with the Node.js processes (the program,
                   the dynamic provider, the plugin) profiled, write the profiles to DIR and print where the time goes
  --json           print the figures as one JSON object on stdout, progress on stderr
                   (through npm: \`npm run -s bench -- --json\`, so npm's banner stays off stdout)
  --help           print this text

The provider keeps POSTMARK_MAX_CONCURRENT_REQUESTS from the environment, else its default of 4.
`;

interface BenchOptions {
  n: number;
  scenarios: ScenarioName[];
  paths: PostmarkPath[];
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
  const options: BenchOptions = {
    n: 50,
    scenarios: ["servers", "environment"],
    paths: postmarkPaths,
    latencyMs: 50,
    parallel: defaultParallel,
    previewRuns: 3,
    json: false,
  };
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
    if (flag === "--paths") {
      const value = valueOf();
      const named = value.split(",");
      if (named.some((name) => !postmarkPaths.includes(name as PostmarkPath))) {
        throw new UsageError(`--paths is ${JSON.stringify(value)}; it must name dynamic, plugin or both, comma-separated`);
      }
      options.paths = postmarkPaths.filter((name) => named.includes(name));
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
  const pluginMain = path.join(packageRoot(options.nodeModules), benchPaths.plugin.providerScript);
  if (options.paths.includes("plugin") && !fs.existsSync(pluginMain)) {
    throw new UsageError(`${pluginMain} is missing: that build of pulumi-postmark has no plugin (bench it with --paths dynamic)`);
  }
  return options;
}

/** One call the provider cannot avoid, and how many of it a phase needs. */
interface MinimumCall {
  calls: number;
  what: string;
}

/** YAML resources by name (JSON is YAML), as a program's `resources:` holds them. */
type YamlResources = Record<string, { type: string; properties: Record<string, unknown> }>;

/**
 * A stack's program: JavaScript that reads `count` and `updated` from stack config, or the YAML resources of server
 * `i`, from which the YAML program is written out for N servers and rewritten for the update (YAML has neither loops
 * nor conditionals).
 */
type BenchProgram = { javascript: string } | { yaml: (i: number, updated: boolean) => YamlResources };

/**
 * A stack to bench: the do-nothing program wired the same way (the floor), the program of each path (the same
 * resources, names and values), and the fewest API calls each phase can make, whichever the path.
 */
interface Scenario {
  name: ScenarioName;
  /** For progress and the report, e.g. "50 PostmarkServers". */
  label(n: number): string;
  resourcesPerServer: number;
  programs: Record<PathName, BenchProgram>;
  minimum: Record<PhaseName, (n: number) => MinimumCall[]>;
}

/** How the engine reaches each path's provider: the process to watch, and what its resources' types are. */
interface BenchPath {
  /** What the provider process runs (its argv[1]), to find it in /proc and in CPU profiles. */
  providerScript: string;
  /** The report's name for a resource type of this path ("PostmarkServer"), undefined for any other type. */
  kindOf(type: string): string | undefined;
  /** For the report, e.g. "do-nothing dynamic resources". */
  description: string;
}

const dynamicProviderCommand = "@pulumi/pulumi/cmd/dynamic-provider";

const benchPaths: Record<PathName, BenchPath> = {
  floor: {
    providerScript: dynamicProviderCommand,
    kindOf: (type) => (type.endsWith(":Resource") && type.startsWith("pulumi-nodejs:dynamic") ? "DoNothing" : undefined),
    description: "do-nothing dynamic resources wired the same way (JavaScript)",
  },
  dynamic: {
    providerScript: dynamicProviderCommand,
    // "pulumi-nodejs:dynamic/postmark:PostmarkServer"
    kindOf: (type) => /^pulumi-nodejs:dynamic\/postmark:(Postmark\w+)$/.exec(type)?.[1],
    description: "the dynamic resources (JavaScript)",
  },
  plugin: {
    providerScript: "dist/provider/plugin/main.js",
    // "postmark:index:Server"
    kindOf: (type) => {
      const name = /^postmark:index:(\w+)$/.exec(type)?.[1];
      return name && `Postmark${name}`;
    },
    description: "the postmark plugin (YAML)",
  },
};

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

const yamlServer = (i: number, updated: boolean): YamlResources => ({
  [`server-${i}`]: { type: "postmark:index:Server", properties: { name: `Bench server ${i}`, color: "Blue", deliveryType: "Sandbox", trackOpens: updated } },
});

const scenarios: Record<ScenarioName, Scenario> = {
  servers: {
    name: "servers",
    label: (n) => `${n} PostmarkServers`,
    resourcesPerServer: 1,
    programs: {
      dynamic: {
        javascript: `
const pulumi = require("@pulumi/pulumi");
const { PostmarkServer } = require("pulumi-postmark");
const config = new pulumi.Config();
const updated = config.requireBoolean("updated");
for (let i = 0; i < config.requireNumber("count"); i++) {
  new PostmarkServer("server-" + i, { name: "Bench server " + i, color: "Blue", deliveryType: "Sandbox", trackOpens: updated });
}
`,
      },
      plugin: { yaml: yamlServer },
      floor: {
        javascript: `${doNothingPreamble}
for (let i = 0; i < config.requireNumber("count"); i++) new DoNothing("server-" + i, { name: "Bench server " + i, updated });
`,
      },
    },
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
    programs: {
      dynamic: {
        javascript: `
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
      },
      plugin: {
        yaml: (i, updated) => {
          const serverId = `\${server-${i}.serverId}`;
          return {
            ...yamlServer(i, updated),
            [`news-${i}`]: {
              type: "postmark:index:MessageStream",
              properties: { serverId, streamId: "newsletters", name: updated ? "Newsletters (updated)" : "Newsletters", messageStreamType: "Broadcasts" },
            },
            [`opens-${i}`]: {
              type: "postmark:index:Webhook",
              properties: {
                serverId,
                messageStream: `\${news-${i}.streamId}`,
                url: `https://hooks.example.com/${i}/opens`,
                triggers: { open: { enabled: true }, click: { enabled: updated } },
              },
            },
            [`bounces-${i}`]: {
              type: "postmark:index:Webhook",
              properties: { serverId, url: `https://hooks.example.com/${i}/bounces`, triggers: { bounce: { enabled: true }, delivery: { enabled: updated } } },
            },
          };
        },
      },
      floor: {
        javascript: `${doNothingPreamble}
for (let i = 0; i < config.requireNumber("count"); i++) {
  const server = new DoNothing("server-" + i, { name: "Bench server " + i, updated });
  const stream = new DoNothing("news-" + i, { name: "news " + i, serverId: server.name, updated });
  new DoNothing("opens-" + i, { name: "opens " + i, serverId: server.name, messageStream: stream.name, updated });
  new DoNothing("bounces-" + i, { name: "bounces " + i, serverId: server.name, updated });
}
`,
      },
    },
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
  prepare?(benched: BenchStack): Promise<void>;
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
    prepare: (benched) => benched.declareUpdated(),
    run: async (stack, options) => (await stack.up(options)).summary.resourceChanges ?? {},
  },
  destroy: {
    name: "destroy",
    expectedChanges: (r) => ({ delete: r + 1 }),
    run: async (stack, options) => (await stack.destroy(options)).summary.resourceChanges ?? {},
  },
};

/** One path's run of one phase. */
interface PhaseResult {
  /** The median when the phase was timed more than once (the no-op preview). */
  wallMs: number;
  wallMsSamples?: number[];
  /** CPU time of the CLI and every process it ran (the median, like wallMs). */
  cpuMs: number;
  /** wallMs / the floor's wallMs (1 for the floor). */
  floorRatio: number;
  /** cpuMs / the floor's cpuMs: steadier than floorRatio on a machine others use. */
  cpuFloorRatio: number;
  /** The peak of the phase's provider processes; the floor's is what Node and @pulumi/pulumi take on their own. */
  providerPeakRssMb: number;
  /** Provider processes the engine started in one run of the phase (a YAML program's run loads the plugin's schema from one more). */
  providerProcesses: number;
  /** API calls made (none for the floor), and by method, route and status, e.g. "GET /servers/{id} 200". */
  calls: number;
  callsByRoute: Record<string, number>;
  changes: OpMap;
}

/**
 * Peak resident memory of one stack's provider processes. The engine starts a fresh one for every CLI run, so
 * /proc is polled while a phase runs; VmHWM is the kernel's own high-water mark, so a poll only has to catch the
 * process alive. Processes are told apart by PULUMI_HOME, which the harness sets per stack: other stacks (tests run by
 * others on this machine, the floor, the other path) have their own.
 */
class ProviderPeakMemory {
  private readonly homeVariable: string;
  private readonly pidsSeen = new Set<number>();
  private readonly phasePids = new Set<number>();
  private phasePeakKb = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    workDir: string,
    private readonly providerScript: string,
  ) {
    this.homeVariable = `PULUMI_HOME=${path.join(workDir, ".pulumi-home")}`;
  }

  get processCount(): number {
    return this.pidsSeen.size;
  }

  startPhase(): void {
    this.phasePeakKb = 0;
    this.phasePids.clear();
    this.timer = setInterval(() => this.sample(), 100);
  }

  /** The phase's peak in MB, and how many provider processes it started. */
  stopPhase(): { peakRssMb: number; processes: number } {
    clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    return { peakRssMb: Number((this.phasePeakKb / 1024).toFixed(1)), processes: this.phasePids.size };
  }

  private sample(): void {
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // argv[1], the script: the wrapper's `node -e "require.resolve('...dynamic-provider')"` is not it.
        const script = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0")[1] ?? "";
        if (!script.includes(this.providerScript)) continue;
        if (!fs.readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(this.homeVariable)) continue;
        const hwm = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${entry}/status`, "utf8"));
        if (!hwm) continue;
        this.pidsSeen.add(Number(entry));
        this.phasePids.add(Number(entry));
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
  /** The provider's text (the `__provider` input the dynamic-provider host loads; none through the plugin), and how many times the entry holds it (inputs, outputs). */
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

const sameChanges = (a: OpMap, b: OpMap) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** A path's stack the phases run on, with its provider processes to watch while they do. */
interface BenchStack {
  path: PathName;
  test: TestStack;
  /** For progress and errors, e.g. "50 PostmarkServers, plugin". */
  label: string;
  /** For profile directories, e.g. "servers-plugin". */
  slug: string;
  memory: ProviderPeakMemory;
  /** Its Postmark, whose request log counts the path's API calls (none for the floor). */
  emulator?: BenchEmulator;
  /** The program's desired state for the update phase: one field changed on every resource. */
  declareUpdated(): Promise<void>;
}

interface BenchEmulator {
  url: string;
  admin: EmulatorAdmin;
  accountToken: string;
}

/** Which pulumi-postmark the stacks load: the repo (through its link in node_modules), or --node-modules's. */
const packageRoot = (nodeModules = path.join(__dirname, "..", "..", "node_modules")) => fs.realpathSync(path.join(nodeModules, "pulumi-postmark"));

/** The YAML program of N servers' resources. */
const yamlProgram = (resourcesOf: (i: number, updated: boolean) => YamlResources, n: number, updated: boolean) =>
  `resources: ${JSON.stringify(Object.assign({}, ...Array.from({ length: n }, (_, i) => resourcesOf(i, updated))), null, 1)}\n`;

async function openBenchStack(
  scenario: Scenario,
  pathName: PathName,
  options: BenchOptions,
  emulator: BenchEmulator | undefined,
  cleanups: (() => Promise<void>)[],
): Promise<BenchStack> {
  const { n } = options;
  const program = scenario.programs[pathName];
  const env: Record<string, string> = emulator
    ? {
        POSTMARK_API_URL: emulator.url,
        POSTMARK_ACCOUNT_TOKEN: emulator.accountToken,
        POSTMARK_MAX_CONCURRENT_REQUESTS: process.env.POSTMARK_MAX_CONCURRENT_REQUESTS || "4",
      }
    : {};
  const shared: TestStackOptions = { stackName: `${scenario.name}-${pathName}`, nodeModules: options.nodeModules, env };
  const test = await createTestStack(
    "javascript" in program
      ? { ...shared, program: program.javascript, config: { count: String(n), updated: "false" } }
      : { ...shared, yaml: yamlProgram(program.yaml, n, false), postmarkPlugin: postmarkPluginDir(packageRoot(options.nodeModules)) },
  );
  cleanups.push(() => test.cleanup());
  return {
    path: pathName,
    test,
    label: pathName === "floor" ? `${n * scenario.resourcesPerServer} do-nothing resources` : `${scenario.label(n)}, ${pathName}`,
    slug: `${scenario.name}-${pathName}`,
    memory: new ProviderPeakMemory(test.workDir, benchPaths[pathName].providerScript),
    emulator,
    declareUpdated: async () => {
      if ("javascript" in program) await test.stack.setConfig("updated", { value: "true" });
      else test.setYaml(yamlProgram(program.yaml, n, true));
    },
  };
}

/** One phase on one stack: its wall time, CPU time, the engine's change summary, the provider's peak memory and the API calls. */
async function measurePhase(phase: Phase, benched: BenchStack, operation: OperationOptions, profileDir?: string) {
  operation.signal.throwIfAborted();
  progress(`${phase.name}: ${benched.label}`);
  // NODE_OPTIONS reaches every Node.js process of the run: the program's, the dynamic provider's, the plugin's.
  const workspaceEnv = (benched.test.stack.workspace as LocalWorkspace).envVars;
  if (profileDir) {
    fs.mkdirSync(profileDir, { recursive: true });
    const preload = path.join(profileDir, "profile-preload.js");
    fs.writeFileSync(preload, profilerPreload);
    workspaceEnv.NODE_OPTIONS = `--require=${preload}`;
    workspaceEnv.BENCH_PROFILE_DIR = profileDir;
  }
  await benched.emulator?.admin.clearRequests();
  benched.memory.startPhase();
  const started = performance.now();
  const cpuAtStart = childrenCpuMs();
  let changes: OpMap;
  let providers: { peakRssMb: number; processes: number };
  try {
    changes = await phase.run(benched.test.stack, operation);
  } catch (error) {
    throw new Error(`${phase.name} of ${benched.label} failed: ${(error as Error).message}`);
  } finally {
    providers = benched.memory.stopPhase();
    delete workspaceEnv.NODE_OPTIONS;
    delete workspaceEnv.BENCH_PROFILE_DIR;
  }
  return {
    wallMs: Math.round(performance.now() - started),
    cpuMs: Math.round(childrenCpuMs() - cpuAtStart),
    changes,
    ...providers,
    requests: (await benched.emulator?.admin.requests()) ?? [],
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

/** One path through all the phases of a scenario. */
interface PathReport {
  phases: Record<PhaseName, PhaseResult>;
  state: StateReport;
  /** The highest of the phases' provider peaks, and how many provider processes the phases started. */
  providerPeakRssMb: number;
  providerProcesses: number;
  /** Where each no-op preview's CPU time went, with --cpu-prof. */
  previewProfiles?: ProfileSummary[];
}

interface ScenarioReport {
  scenario: ScenarioName;
  label: string;
  resources: number;
  /** The fewest API calls each phase can make, whichever the path, and what they are. */
  minimum: Record<PhaseName, { calls: number; itemised: MinimumCall[] }>;
  /** The floor, then each Postmark path benched. */
  paths: Partial<Record<PathName, PathReport>>;
  warnings: string[];
}

async function benchScenario(
  scenario: Scenario,
  options: BenchOptions,
  emulators: Partial<Record<PostmarkPath, BenchEmulator>>,
  cleanups: (() => Promise<void>)[],
  signal: AbortSignal,
): Promise<ScenarioReport> {
  const { n, parallel } = options;
  const resources = n * scenario.resourcesPerServer;
  const operation: OperationOptions = { parallel, signal };
  const pathNames: PathName[] = ["floor", ...options.paths];
  progress(`${scenario.name}: creating the temporary stacks (${pathNames.join(", ")})`);
  const stacks: BenchStack[] = [];
  for (const name of pathNames) stacks.push(await openBenchStack(scenario, name, options, name === "floor" ? undefined : emulators[name], cleanups));

  // The first CLI run of a stack reads node_modules, the language host and the plugins from a cold disk cache: not a
  // phase cost. Previews before the first create make no API call.
  for (const benched of stacks) {
    signal.throwIfAborted();
    progress(`${scenario.name}: warm-up, a preview of ${benched.label} (not measured)`);
    await benched.test.stack.preview(operation);
  }

  const results = Object.fromEntries(pathNames.map((name) => [name, {}])) as Record<PathName, Record<PhaseName, PhaseResult>>;
  const states = {} as Record<PathName, StateReport>;
  const profiles = Object.fromEntries(pathNames.map((name) => [name, [] as ProfileSummary[]])) as Record<PathName, ProfileSummary[]>;
  const warnings: string[] = [];
  for (const name of phaseNames) {
    const phase = phases[name];
    for (const benched of stacks) await phase.prepare?.(benched);
    // Interleaved, so a change in the machine's load mid-run falls on every stack. A no-op preview changes nothing,
    // so it can be timed again: the median of a few runs is steadier than one.
    const samples = stacks.map(() => [] as Awaited<ReturnType<typeof measurePhase>>[]);
    for (let run = 0; run < (name === "preview" ? options.previewRuns : 1); run++) {
      for (const [i, benched] of stacks.entries()) samples[i].push(await measurePhase(phase, benched, operation));
    }
    const [floorSamples] = samples; // stacks[0] is the floor
    const floorWallMs = median(floorSamples.map((sample) => sample.wallMs));
    const floorCpuMs = median(floorSamples.map((sample) => sample.cpuMs));
    const expected = phase.expectedChanges(resources);
    for (const [i, benched] of stacks.entries()) {
      const wallMs = median(samples[i].map((sample) => sample.wallMs));
      const cpuMs = median(samples[i].map((sample) => sample.cpuMs));
      // The API calls of the first run: the ones a single run of the phase makes.
      const [{ requests, changes }] = samples[i];
      results[benched.path][name] = {
        wallMs,
        ...(samples[i].length > 1 && { wallMsSamples: samples[i].map((sample) => sample.wallMs) }),
        cpuMs,
        floorRatio: Number((wallMs / floorWallMs).toFixed(2)),
        cpuFloorRatio: Number((cpuMs / floorCpuMs).toFixed(2)),
        providerPeakRssMb: Math.max(...samples[i].map((sample) => sample.peakRssMb)),
        providerProcesses: samples[i][0].processes,
        calls: requests.length,
        callsByRoute: countByRoute(requests),
        changes,
      };
      if (!sameChanges(changes, expected)) {
        warnings.push(`${name} of ${benched.label}: the engine reported ${JSON.stringify(changes)}, expected ${JSON.stringify(expected)}`);
      }
      if (name === "create") states[benched.path] = measureState(await benched.test.exportState(), resources, benchPaths[benched.path].kindOf);
      if (name === "preview" && options.cpuProfileDir) {
        // One more preview of each stack, profiled and not timed: the profiler slows the processes it watches.
        const dir = path.join(options.cpuProfileDir, benched.slug);
        await measurePhase(phase, benched, operation, dir);
        profiles[benched.path].push(...summarizeProfiles(dir, benched.label, benchPaths[benched.path].providerScript));
      }
    }
  }
  const minimum = Object.fromEntries(
    phaseNames.map((name) => {
      const itemised = scenario.minimum[name](n);
      return [name, { calls: itemised.reduce((sum, m) => sum + m.calls, 0), itemised }];
    }),
  ) as ScenarioReport["minimum"];
  return {
    scenario: scenario.name,
    label: scenario.label(n),
    resources,
    minimum,
    paths: Object.fromEntries(
      stacks.map((benched): [PathName, PathReport] => [
        benched.path,
        {
          phases: results[benched.path],
          state: states[benched.path],
          providerPeakRssMb: Math.max(...Object.values(results[benched.path]).map((r) => r.providerPeakRssMb)),
          providerProcesses: benched.memory.processCount,
          ...(options.cpuProfileDir && { previewProfiles: profiles[benched.path] }),
        },
      ]),
    ),
    warnings,
  };
}

async function bench(options: BenchOptions, cleanups: (() => Promise<void>)[], signal: AbortSignal) {
  // Other work on the machine (test runs) slows both stacks alike, but is worth knowing when reading the figures.
  const loadAverageAtStart = os.loadavg()[0];
  const pulumiVersion = execFileSync(path.join(pulumiBinDir(), "pulumi"), ["version"], { encoding: "utf8" }).trim();
  // One Postmark account per path, so that neither path's servers are in the other's listings.
  const emulators: Partial<Record<PostmarkPath, BenchEmulator>> = {};
  for (const name of options.paths) {
    const accountToken = `bench-${name}-account-token`;
    const running = await startEmulator({ token: accountToken, latencyMs: options.latencyMs });
    cleanups.push(() => running.stop());
    emulators[name] = { url: running.url, admin: new EmulatorAdmin(running.url), accountToken };
  }

  const reports: ScenarioReport[] = [];
  for (const name of options.scenarios) reports.push(await benchScenario(scenarios[name], options, emulators, cleanups, signal));

  const cpus = os.cpus();
  return {
    n: options.n,
    package: packageUnderTest(options.nodeModules),
    paths: options.paths,
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
function packageUnderTest(nodeModules?: string): string {
  const root = packageRoot(nodeModules);
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
  /** "program" (a JavaScript Pulumi program) or "provider" (the dynamic provider, the plugin). */
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

function summarizeProfiles(dir: string, stack: string, providerScript: string): ProfileSummary[] {
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
        process: urls.some((url) => url.includes(providerScript)) ? "provider" : urls.some((url) => url.includes("cmd/run")) ? "program" : "other",
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
    // The dynamic provider's launcher runs a `node -e` of its own to find the provider: not part of the preview's work.
    .filter((summary) => summary.process !== "other");
}

type BenchReport = Awaited<ReturnType<typeof bench>>;

/** The first `namesColumns` columns left-aligned, the figures right-aligned. */
function formatTable(rows: string[][], namesColumns = 1): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) => row.map((cell, column) => (column < namesColumns ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  "))
    .join("\n");
}

const number = (value: number) => value.toLocaleString("en-US");

const ratio = (value: number, base: number) => (value / base).toFixed(2);

/** One table for the phases, with a row per path (the floor first), then API calls, state, memory and profiles. */
function formatScenario(report: ScenarioReport): string {
  const paths = Object.entries(report.paths) as [PathName, PathReport][];
  const { floor, dynamic } = report.paths;
  const rows = [["phase", "path", "wall ms", "x floor", "x dynamic", "CPU ms", "CPU x floor", "CPU x dynamic", "API calls", "minimum", "provider RSS MB", "providers started"]];
  for (const name of phaseNames) {
    for (const [pathName, { phases }] of paths) {
      const phase = phases[name];
      const againstDynamic = pathName === "plugin" && dynamic;
      rows.push([
        pathName === "floor" ? name : "",
        pathName,
        number(phase.wallMs),
        pathName === "floor" ? "" : phase.floorRatio.toFixed(2),
        againstDynamic ? ratio(phase.wallMs, dynamic.phases[name].wallMs) : "",
        number(phase.cpuMs),
        pathName === "floor" ? "" : phase.cpuFloorRatio.toFixed(2),
        againstDynamic ? ratio(phase.cpuMs, dynamic.phases[name].cpuMs) : "",
        number(phase.calls),
        pathName === "floor" ? "" : number(report.minimum[name].calls),
        phase.providerPeakRssMb.toFixed(1),
        String(phase.providerProcesses),
      ]);
    }
  }
  const timedAgain = phaseNames.filter((name) => floor?.phases[name].wallMsSamples);
  const minimumLines = phaseNames
    .filter((name) => report.minimum[name].itemised.length > 0)
    .map((name) => `  ${name}: ${report.minimum[name].itemised.map((m) => `${m.calls} ${m.what}`).join("; ")}`);
  const offMinimum = paths
    .filter(([pathName]) => pathName !== "floor")
    .flatMap(([pathName, { phases }]) =>
      phaseNames
        .filter((name) => phases[name].calls !== report.minimum[name].calls)
        .map((name) => {
          const routes = Object.entries(phases[name].callsByRoute).map(([route, count]) => `${route} x${count}`);
          return `  ${pathName} ${name}: ${phases[name].calls} calls, minimum ${report.minimum[name].calls}: ${routes.join(", ")}`;
        }),
    );
  const stateRows = [["state per resource (B)", "entry", "without stack trace", "__provider", "copies", "inputs", "outputs", "engine", "of which stack trace"]];
  for (const [pathName, { state }] of paths) {
    for (const kind of state.kinds) {
      stateRows.push([
        `${pathName} ${kind.kind} (${kind.resources})`,
        number(kind.entryBytes),
        number(kind.entryBytes - kind.stackTraceBytes),
        number(kind.providerBytes),
        String(kind.providerCopies),
        number(kind.inputBytes),
        number(kind.outputBytes),
        number(kind.engineBytes),
        number(kind.stackTraceBytes),
      ]);
    }
  }
  const profiles = paths
    .flatMap(([, { previewProfiles }]) => previewProfiles ?? [])
    .map((p) => {
      const origins = Object.entries(p.byOrigin)
        .filter(([, ms]) => ms > 0)
        .map(([origin, ms]) => `${origin} ${number(ms)}`)
        .join(", ");
      const top = p.topFunctions.map((f) => `${f.name} ${number(f.selfMs)}`).join("; ");
      return `  ${p.stack}, ${p.process} (${p.file}): ${number(p.wallMs)} ms profiled; self ms by origin: ${origins}\n    top: ${top}`;
    });
  const perPath = (figure: (report: PathReport) => string) => paths.map(([pathName, pathReport]) => `${pathName} ${figure(pathReport)}`).join(", ");
  return [
    `== ${report.label}: ${report.resources} resources in each stack`,
    "",
    formatTable(rows, 2),
    ...timedAgain.map(
      (name) =>
        `${name} timed ${floor!.phases[name].wallMsSamples!.length} times, interleaved (medians above): ` +
        perPath(({ phases }) => `${phases[name].wallMsSamples!.map(number).join(", ")} ms`),
    ),
    "",
    `minimum API calls (what the provider cannot avoid, whichever the path):\n${minimumLines.join("\n")}`,
    offMinimum.length > 0 ? `API calls off the minimum:\n${offMinimum.join("\n")}` : "API calls: every phase of every path at its minimum",
    ...report.warnings.map((warning) => `warning: ${warning}`),
    "",
    formatTable(stateRows),
    "  (entry: the resource's compact JSON in `pulumi stack export`; __provider: the provider text the dynamic-provider host loads, stored `copies` " +
      "times; engine: URN, type, parent, provider reference, dependencies, timestamps, source position and stack trace: the language host's, " +
      "which for YAML is its own interpreter's Go frames)",
    `whole deployment / resources (stack and default provider included): ${perPath(({ state }) => `${number(state.deploymentBytesPerResource)} B`)}`,
    `provider peak RSS (highest VmHWM of the phases' provider processes): ${perPath((r) => `${r.providerPeakRssMb.toFixed(1)} MB (${r.providerProcesses} processes)`)}`,
    ...(profiles.length > 0 ? ["", "no-op preview, CPU profiles (--cpu-prof; an extra, untimed preview, slowed by the profiler):", ...profiles] : []),
  ].join("\n");
}

function formatReport(report: BenchReport): string {
  const { machine } = report;
  return [
    `pulumi-postmark bench (${report.package}): N = ${report.n} servers, emulator latency ${report.latencyMs} ms per request`,
    `Pulumi --parallel ${report.parallel} in every phase (the CLI's default here: ${defaultParallel}); ` +
      `provider POSTMARK_MAX_CONCURRENT_REQUESTS ${report.maxConcurrentRequests}`,
    `paths: ${(["floor", ...report.paths] as PathName[]).map((name) => `${name}, ${benchPaths[name].description}`).join("; ")}`,
    "CPU: user and system time of the CLI and every process it ran; RSS: the peak (VmHWM) of the phase's provider process (dynamic provider or plugin)",
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
