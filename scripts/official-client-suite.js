#!/usr/bin/env node
/**
 * Runs the official Node client's own integration tests (ActiveCampaign/postmark.js, `test/integration`, written
 * against the live API) against the emulator, without editing them: the best outside check that the emulator
 * answers as Postmark does. The tests are not part of this repository; bring a checkout of postmark.js:
 *
 *   git clone https://github.com/ActiveCampaign/postmark.js && (cd postmark.js && npm install --ignore-scripts)
 *   npm run build && node scripts/official-client-suite.js ../postmark.js [mocha arguments]
 *
 * Without mocha arguments it runs the files of the APIs the emulator covers, sending excluded. The clients take
 * their host from `HttpClient.DefaultOptions`, which a `--require` file points at the emulator over http; the
 * tests read their tokens and addresses from the environment, set here. Exits with mocha's status.
 */
const { spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const { startEmulator } = require(path.join(root, "dist", "emulator", "server.js"));

const coveredFiles = ["Servers", "Server", "MessageStreams", "Webhook", "Domains", "Signatures", "Templates", "Triggers"].map(
  (name) => `test/integration/${name}.test.ts`,
);
const defaultArguments = ["--grep", "sending", "--invert", ...coveredFiles];

async function main() {
  const [checkoutArgument, ...mochaArguments] = process.argv.slice(2);
  if (!checkoutArgument) throw new Error("usage: node scripts/official-client-suite.js <postmark.js checkout> [mocha arguments]");
  const checkout = path.resolve(checkoutArgument);
  const mocha = path.join(checkout, "node_modules", ".bin", "mocha");
  if (!fs.existsSync(mocha)) throw new Error(`${mocha} is missing: run \`npm install --ignore-scripts\` in ${checkout} first`);

  const accountToken = "official-suite-account-token";
  const emulator = await startEmulator({ token: accountToken });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "official-client-suite-"));
  try {
    const call = async (method, route, body) => {
      const headers = { Accept: "application/json", "Content-Type": "application/json", "X-Postmark-Account-Token": accountToken };
      const res = await fetch(`${emulator.url}${route}`, { method, headers, body: body && JSON.stringify(body) });
      if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    // The push tests take server ID 1 to be another account's: the first ID goes to a server deleted at once.
    await call("DELETE", `/servers/${(await call("POST", "/servers", { Name: "deleted before the suite" })).ID}`);
    const server = await call("POST", "/servers", { Name: "official client suite" });

    const hostFile = path.join(workDir, "emulator-host.js");
    fs.writeFileSync(
      hostFile,
      'const { HttpClient } = require(process.cwd() + "/src/client/models/client/HttpClient");\n' +
        "HttpClient.DefaultOptions = { ...HttpClient.DefaultOptions, useHttps: false, requestHost: process.env.EMULATOR_HOST };\n",
    );
    const env = {
      ...process.env,
      EMULATOR_HOST: emulator.url.replace(/^http:\/\//, ""),
      ACCOUNT_API_TOKEN: accountToken,
      SERVER_API_TOKEN: server.ApiTokens[0],
      DOMAIN_NAME: "example.com",
      SENDER_EMAIL_ADDRESS: "sender@example.com",
      RECIPIENT_EMAIL_ADDRESS: "recipient@example.com",
    };
    const args = ["--timeout", "30000", "-r", "ts-node/register", "-r", hostFile, ...(mochaArguments.length > 0 ? mochaArguments : defaultArguments)];
    const child = spawn(mocha, args, { cwd: checkout, env, stdio: "inherit" });
    return await new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
    await emulator.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error.message);
    process.exit(1);
  },
);
