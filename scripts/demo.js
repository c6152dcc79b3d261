#!/usr/bin/env node
/**
 * `npm run demo`: the whole lifecycle of this repo's `dev` stack (Pulumi.dev.yaml) against a local Postmark
 * emulator and a throwaway file:// backend. No Postmark account and no Pulumi Cloud account are needed.
 */
const { execFileSync, spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const { startEmulator } = require(path.join(root, "dist", "emulator", "server.js"));

const step = (n, text) => console.log(`\n\x1b[1m== ${n}/8 ${text}\x1b[0m`);
const say = (text) => console.log(`   ${text}`);

async function main() {
  step(1, "Building (or reusing) the Pulumi CLI: scripts/ensure-pulumi.sh");
  const binDir = execFileSync("bash", [path.join(root, "scripts", "ensure-pulumi.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  })
    .trim()
    .split("\n")
    .pop();
  say(`pulumi ${execFileSync(path.join(binDir, "pulumi"), ["version"], { encoding: "utf8" }).trim()} in ${binDir}`);

  step(2, "Starting the local Postmark emulator (stands in for api.postmarkapp.com)");
  const accountToken = "demo-account-token";
  const emulator = await startEmulator({ token: accountToken });
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-postmark-demo-"));
  say(`Postmark API: ${emulator.url}    state backend: file://${stateDir}`);

  const env = {
    ...process.env,
    PATH: `${binDir}:${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: "demo-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // In an infra repo: `pulumi config set --secret postmark:accountToken <token>` per stack instead.
    POSTMARK_ACCOUNT_TOKEN: accountToken,
    POSTMARK_API_URL: emulator.url,
  };
  // Asynchronous on purpose: the emulator answers from this very process while pulumi runs.
  const pulumi = (...args) => {
    console.log(`\x1b[2m   $ pulumi ${args.join(" ")}\x1b[0m`);
    const stackArgs = args[0] === "stack" ? [] : ["--stack", "dev"];
    const child = spawn(path.join(binDir, "pulumi"), [...args, ...stackArgs], { cwd: root, env, stdio: "inherit" });
    return new Promise((resolve, reject) =>
      child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`pulumi ${args[0]} failed (exit ${code})`)))),
    );
  };
  const admin = async (method, route, body) => {
    const res = await fetch(`${emulator.url}/__emulator/${route}`, {
      method,
      headers: { "Content-Type": "application/json" },
      body: body && JSON.stringify(body),
    });
    return res.json();
  };
  const showPostmark = async () => {
    for (const s of await admin("GET", "servers")) {
      say(`Postmark holds #${s.ID} "${s.Name}": ${s.DeliveryType}, color ${s.Color}, smtp ${s.SmtpApiActivated}`);
    }
  };

  // `stack init` writes this stack's passphrase salt into Pulumi.dev.yaml: put the file back afterwards.
  const stackConfigFile = path.join(root, "Pulumi.dev.yaml");
  const stackConfig = fs.readFileSync(stackConfigFile, "utf8");
  try {
    await pulumi("stack", "init", "dev");

    step(3, "pulumi up: create the servers declared in Pulumi.dev.yaml");
    await pulumi("up", "--yes", "--skip-preview");
    await showPostmark();

    step(4, "The stack's outputs: IDs and links in the clear, API tokens kept secret");
    await pulumi("stack", "output");

    step(5, 'Someone edits "Billing (dev)" by hand in Postmark: color green, SMTP turned off');
    const billing = (await admin("GET", "servers")).find((s) => s.Name === "Billing (dev)");
    await admin("PATCH", `servers/${billing.ID}`, { Color: "green", SmtpApiActivated: false });
    await showPostmark();

    step(6, "pulumi refresh: Pulumi reads Postmark and shows the drift");
    await pulumi("refresh", "--yes", "--skip-preview", "--diff");
    say("and the next preview shows what `up` will put back:");
    await pulumi("preview", "--diff");

    step(7, "pulumi up: Postmark matches the code again (one edit, only the drifted fields)");
    await admin("DELETE", "requests");
    await pulumi("up", "--yes", "--skip-preview");
    for (const r of await admin("GET", "requests")) say(`API call: ${r.method} ${r.path} -> ${r.status}`);
    await showPostmark();

    step(8, "pulumi destroy: the servers are removed");
    await pulumi("destroy", "--yes", "--skip-preview");
    say(`Postmark now holds ${(await admin("GET", "servers")).length} servers.`);
    console.log("\nDone. Next: README.md, 'Use it in your infra repo'.");
  } finally {
    fs.writeFileSync(stackConfigFile, stackConfig);
    await emulator.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`demo failed: ${e.message}`);
  process.exit(1);
});
