#!/usr/bin/env node
/**
 * `npm run demo`: a small but whole Postmark environment (examples/demo) through its lifecycle, against a local
 * Postmark emulator and a throwaway file:// backend, then the same environment as a YAML program through the
 * `postmark` provider plugin. No Postmark account and no Pulumi Cloud account are needed. The programs run from a
 * temporary copy, so your files stay as they were.
 *
 * tests/lifecycle/demo.lifecycle.test.ts runs it through runDemo and checks each step in the emulator.
 */
const { execFileSync, spawn } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
/** The streams Postmark gives every new server. */
const defaultStreams = ["outbound", "inbound", "broadcast"];
const { startEmulator } = require(path.join(root, "dist", "emulator", "server.js"));

/** The steps, in order: each one's key (what afterStep is called with) and the heading the user reads. */
const steps = [
  ["setup", "Setting up: the Pulumi CLI, a local Postmark emulator, a throwaway state backend"],
  ["create", "pulumi up: a whole Postmark environment from examples/demo/index.ts"],
  ["outputs", "The stack's outputs: the DNS records to publish in the clear, tokens and webhook auth [secret]"],
  ["templateEdit", "A template edit: the preview names the one field, and up sends one edit"],
  ["handEdit", "A hand edit in Postmark: pulumi refresh finds it, pulumi up puts it back"],
  ["destroy", "pulumi destroy: the Broadcasts stream archived, everything else deleted"],
  ["yaml", "The same environment as a YAML program, through the postmark provider plugin"],
];

/**
 * Runs the demo. `write` takes everything it prints (Pulumi's output included, which then is not a terminal's);
 * `afterStep(key, { emulatorUrl })` is awaited after each step (the YAML step: after its `up`, then as "yamlDestroy"
 * after its `destroy`), while the emulator still holds that step's objects and its API calls.
 */
async function runDemo({ write, afterStep = async () => undefined } = {}) {
  const started = Date.now();
  const print = write ?? ((text) => process.stdout.write(text));
  const style = (code, text) => (write || !process.stdout.isTTY ? text : `\x1b[${code}m${text}\x1b[0m`);
  const say = (text) => print(`   ${text}\n`);
  let emulator;
  let stepIndex = 0;
  // Each step starts with an empty request log, so that what it prints (and afterStep sees) are its own API calls.
  const step = async () => {
    const [, heading] = steps[stepIndex];
    print(`\n${style(1, `== ${++stepIndex}/${steps.length} ${heading}`)}\n`);
    if (emulator) await admin("DELETE", "requests");
  };
  const stepDone = (key = steps[stepIndex - 1][0]) => afterStep(key, { emulatorUrl: emulator.url });

  await step();
  const binDir = execFileSync("bash", [path.join(root, "scripts", "ensure-pulumi.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    env: process.env,
  })
    .trim()
    .split("\n")
    .pop();
  say(`pulumi ${execFileSync(path.join(binDir, "pulumi"), ["version"], { encoding: "utf8" }).trim()} in ${binDir}`);

  const accountToken = "demo-account-token";
  emulator = await startEmulator({ token: accountToken });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-postmark-demo-"));
  // The programs' copy: the template edit happens here, and `stack init` writes its config files here.
  const project = path.join(workDir, "demo");
  fs.cpSync(path.join(root, "examples", "demo"), project, { recursive: true });
  fs.symlinkSync(path.join(root, "node_modules"), path.join(project, "node_modules"), "dir");
  say(`Postmark API: ${emulator.url}    state backend: file://${workDir}/state    programs: a copy in ${project}`);

  const env = {
    ...process.env,
    PATH: `${binDir}:${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${path.join(workDir, "state")}`,
    PULUMI_HOME: path.join(workDir, "pulumi-home"),
    PULUMI_CONFIG_PASSPHRASE: "demo-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // In an infra repo: `pulumi config set --secret postmark:accountToken <token>` per stack instead.
    POSTMARK_ACCOUNT_TOKEN: accountToken,
    POSTMARK_API_URL: emulator.url,
  };
  fs.mkdirSync(path.join(workDir, "state"));

  /** Runs the CLI in `cwd`; `shown` replaces the arguments in what is printed (a secret's value). Asynchronous, so the emulator keeps answering. */
  const pulumiIn = (cwd) => (args, shown = args) => {
    print(style(2, `   $ pulumi ${shown.join(" ")}\n`));
    const child = spawn(path.join(binDir, "pulumi"), [...args, "--stack", "demo"], { cwd, env, stdio: write ? ["ignore", "pipe", "pipe"] : "inherit" });
    if (write) for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk) => write(String(chunk)));
    return new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`pulumi ${args[0]} failed (exit ${code})`))));
    });
  };
  const admin = async (method, route, body) => {
    const res = await fetch(`${emulator.url}/__emulator/${route}`, { method, body: body && JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator admin ${method} ${route}: HTTP ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const apiCalls = async (filter = () => true) => (await admin("GET", "requests")).filter(filter).map((r) => `${r.method} ${r.path.split("?")[0]}`);
  /** What a DNS provider does for the program: publishes each new domain's DKIM TXT and Return-Path CNAME, here in the emulator's DNS. */
  const publishingDns = async (running) => {
    // Said once Pulumi is done: a line printed in the middle would break its display in a terminal.
    const published = new Map();
    let finished = false;
    const publish = async () => {
      for (const domain of await admin("GET", "domains")) {
        if (published.has(domain.ID)) continue;
        await admin("PUT", `domains/${domain.ID}/dns`, { dkim: true, returnPath: true });
        published.set(domain.ID, `TXT ${domain.DKIMPendingHost || domain.DKIMHost} and CNAME ${domain.ReturnPathDomain}`);
      }
    };
    let failure;
    const watching = (async () => {
      while (!finished) {
        await publish();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })().catch((e) => (failure = e)); // kept for after `up`, so that it never goes unhandled meanwhile
    try {
      await running;
    } finally {
      finished = true;
      await watching;
    }
    if (failure) throw failure;
    for (const records of published.values()) say(`The demo published ${records} in the emulator's DNS while up ran, as your DNS provider would.`);
  };
  const showPostmark = async () => {
    for (const server of await admin("GET", "servers")) {
      say(`server #${server.ID} "${server.Name}": ${server.DeliveryType}, color ${server.Color}`);
      const streams = (await admin("GET", `servers/${server.ID}/message-streams`)).filter((s) => !s.ArchivedAt && !defaultStreams.includes(s.ID));
      say(`  streams: ${streams.map((s) => `${s.ID} (${s.MessageStreamType})`).join(", ")}, besides the defaults ${defaultStreams.join(", ")}`);
      for (const hook of await admin("GET", `webhooks?serverId=${server.ID}`)) {
        const on = Object.keys(hook.Triggers).filter((t) => hook.Triggers[t].Enabled);
        say(`  webhook #${hook.ID} on ${hook.MessageStream}: ${hook.Url}, ${on.join(" and ")}, basic auth as ${hook.HttpAuth.Username}`);
      }
      const templates = (await admin("GET", `servers/${server.ID}/templates`)).filter((t) => t.Active);
      say(`  templates: ${templates.map((t) => `${t.Alias} (${t.TemplateType}${t.LayoutTemplate ? `, in ${t.LayoutTemplate}` : ""})`).join(", ")}`);
      say(`  inbound rules: ${(await admin("GET", `servers/${server.ID}/inbound-rules`)).map((r) => r.Rule).join(", ")}`);
    }
    for (const d of await admin("GET", "domains")) {
      say(`domain ${d.Name}: DKIM verified ${d.DKIMVerified}, Return-Path ${d.ReturnPathDomain} verified ${d.ReturnPathDomainVerified}`);
    }
    for (const s of await admin("GET", "senders")) say(`sender signature ${s.EmailAddress} ("${s.Name}"): confirmed ${s.Confirmed}`);
  };
  const sayWhatIsLeft = async () => {
    const left = await Promise.all(["servers", "domains", "senders"].map(async (kind) => `${(await admin("GET", kind)).length} ${kind}`));
    say(`Postmark now holds ${left.join(", ")}.`);
  };

  const hookPassword = crypto.randomBytes(12).toString("hex");
  const pulumi = pulumiIn(project);
  try {
    await pulumi(["stack", "init"], ["stack", "init", "demo"]);
    await pulumi(["config", "set", "--secret", "hookPassword", hookPassword], ["config", "set", "--secret", "hookPassword", "<generated>"]);
    await stepDone();

    await step();
    say("a server with a Broadcasts stream and a webhook with secret auth, a layout and a template using it, an inbound");
    say("rule, a sending domain with its DNS verification, and a sender signature");
    await publishingDns(pulumi(["up", "--yes", "--skip-preview", "--suppress-outputs"]));
    say("Postmark now holds:");
    await showPostmark();
    const tokenLookups = await apiCalls((r) => r.method === "GET" && /^\/servers\/\d+$/.test(r.path));
    say(`The stream, webhook, templates and rule give only the serverId: the server's token was looked up once (${tokenLookups.join(", ")}).`);
    await stepDone();

    await step();
    await pulumi(["stack", "output"]);
    say("State holds the secrets encrypted; `pulumi stack output --show-secrets` shows them.");
    await stepDone();

    await step();
    const welcomeFile = path.join(project, "templates", "welcome.html");
    const welcome = fs.readFileSync(welcomeFile, "utf8");
    const [before, after] = ["<h1>Welcome, {{name}}!</h1>", "<h1>Welcome aboard, {{name}}!</h1>"];
    if (!welcome.includes(before)) throw new Error(`examples/demo/templates/welcome.html no longer holds ${before}`);
    fs.writeFileSync(welcomeFile, welcome.replace(before, after));
    say(`templates/welcome.html: ${before} becomes ${after}`);
    await pulumi(["preview"]);
    await admin("DELETE", "requests");
    await pulumi(["up", "--yes", "--skip-preview", "--suppress-outputs"]);
    say(`API calls: ${(await apiCalls()).join(", ")}`);
    say("One edit, with only HtmlBody; the GETs find the server's token and read the template back (Postmark's answer has no bodies).");
    await stepDone();

    await step();
    const [server] = await admin("GET", "servers");
    const [hook] = await admin("GET", `webhooks?serverId=${server.ID}`);
    say(`Someone, in Postmark's web app, turns server #${server.ID} green and the webhook's click trigger off.`);
    await admin("PATCH", `servers/${server.ID}`, { Color: "green" });
    await admin("PATCH", `webhooks/${hook.ID}`, { Triggers: { ...hook.Triggers, Click: { Enabled: false } } });
    await pulumi(["refresh", "--yes", "--skip-preview", "--suppress-outputs"]);
    say("The next preview shows what up puts back, and nothing else: what is inside the server stays unchanged.");
    await pulumi(["preview", "--diff"]);
    await admin("DELETE", "requests");
    await pulumi(["up", "--yes", "--skip-preview", "--suppress-outputs"]);
    say(`API calls that change something: ${(await apiCalls((r) => r.method !== "GET")).join(", ")}`);
    const [serverNow] = await admin("GET", "servers");
    const [hookNow] = await admin("GET", `webhooks?serverId=${server.ID}`);
    say(`Postmark holds server #${server.ID} ${serverNow.Color} and the click trigger ${hookNow.Triggers.Click.Enabled ? "on" : "off"} again.`);
    await stepDone();

    await step();
    await pulumi(["destroy", "--yes", "--skip-preview"]);
    say(`API calls that change something: ${(await apiCalls((r) => r.method !== "GET")).join(", ")}`);
    await sayWhatIsLeft();
    await stepDone();

    await step();
    const yamlProject = path.join(project, "yaml");
    const yamlFile = path.join(yamlProject, "Pulumi.yaml");
    const yaml = fs.readFileSync(yamlFile, "utf8");
    say("examples/demo/yaml/Pulumi.yaml:");
    print(style(2, yaml.trimEnd().replace(/^/gm, "   | ")) + "\n");
    // The plugin path is relative to examples/demo/yaml; the copy runs elsewhere.
    fs.writeFileSync(yamlFile, yaml.replace("path: ../../../provider/plugin", `path: ${path.join(root, "provider", "plugin")}`));
    const yamlPulumi = pulumiIn(yamlProject);
    await yamlPulumi(["stack", "init"], ["stack", "init", "demo"]);
    await yamlPulumi(["config", "set", "--secret", "hookPassword", hookPassword], ["config", "set", "--secret", "hookPassword", "<generated>"]);
    await publishingDns(yamlPulumi(["up", "--yes", "--skip-preview"]));
    say("Postmark now holds:");
    await showPostmark();
    await stepDone();
    await admin("DELETE", "requests");
    await yamlPulumi(["destroy", "--yes", "--skip-preview"]);
    await sayWhatIsLeft();
    await stepDone("yamlDestroy");

    print(`\nDone in ${Math.round((Date.now() - started) / 1000)} s. Next: README.md, 'Use it in your infra repo'.\n`);
  } finally {
    await emulator.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

module.exports = { runDemo, steps };

if (require.main === module) {
  runDemo().catch((e) => {
    console.error(`demo failed: ${e.message}`);
    process.exit(1);
  });
}
