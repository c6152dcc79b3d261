#!/usr/bin/env node
/**
 * postmark-emulator: runs the local Postmark API until SIGINT/SIGTERM.
 * The first stdout line is `POSTMARK_API_URL=http://HOST:PORT`, for scripts to read. The account token is
 * never printed.
 */
import { parseArgs } from "node:util";
import { startEmulator, EmulatorOptions } from "./server";
import { checkSettings, EmulatorSettings, SettingError } from "./settings";

const usage = `Usage: postmark-emulator [options]
  --port N                 port to listen on; 0 picks a free one (default 0)
  --host HOST              address to listen on (default 127.0.0.1)
  --token TOKEN            the account token to accept (default emulator-account-token)
  --state-file FILE        keep servers, streams and webhooks in FILE across restarts (default: in memory)
  --delete-disabled        DELETE /servers/{id} answers 422 ErrorCode 604, like an account without delete access
  --latency-ms N           milliseconds added to every API request (default 0)
  --answer-delay-ms N      milliseconds between doing a write and answering it (default 0)
  --faults LIST            e.g. 429:0.2,500:0.05,503:0.05,reset:0.05,lost-create:0.1
  --seed N                 seed of the fault PRNG (default 1)
  --retry-after-rate R     share of 429 answers with Retry-After, 0 to 1 (default 0.5)
  --retry-after-seconds N  the Retry-After value (default 1)
  --missing-server 404|422 a missing server: bare 404 (default) or 422 ErrorCode 601
  --help                   show this help`;

/** Flags that map onto settings, by the setting's name. */
const settingFlags: Record<string, { setting: keyof EmulatorSettings; numeric?: boolean }> = {
  "latency-ms": { setting: "latencyMs", numeric: true },
  "answer-delay-ms": { setting: "answerDelayMs", numeric: true },
  faults: { setting: "faults" },
  seed: { setting: "seed", numeric: true },
  "retry-after-rate": { setting: "retryAfterRate", numeric: true },
  "retry-after-seconds": { setting: "retryAfterSeconds", numeric: true },
  "missing-server": { setting: "missingServer" },
};

class UsageError extends Error {}

function parseOptions(argv: string[]): EmulatorOptions | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        token: { type: "string" },
        "state-file": { type: "string" },
        "delete-disabled": { type: "boolean" },
        help: { type: "boolean" },
        ...Object.fromEntries(Object.keys(settingFlags).map((flag) => [flag, { type: "string" as const }])),
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.help) return "help";
  const text = (flag: string) => (parsed as Record<string, string | undefined>)[flag];
  const nonEmpty = (flag: string) => {
    const value = text(flag);
    if (value === "") throw new UsageError(`--${flag} must not be empty`);
    return value;
  };
  const port = text("port");
  if (port !== undefined && !(/^\d+$/.test(port) && Number(port) <= 65535)) {
    throw new UsageError(`--port must be an integer from 0 to 65535; got ${JSON.stringify(port)}`);
  }
  const options: Record<string, unknown> = {
    port: port === undefined ? undefined : Number(port),
    host: nonEmpty("host"),
    token: nonEmpty("token"),
    stateFile: nonEmpty("state-file"),
    deleteDisabled: parsed["delete-disabled"],
  };
  for (const [flag, { setting, numeric }] of Object.entries(settingFlags)) {
    const value = text(flag);
    if (value !== undefined) options[setting] = numeric ? (value.trim() === "" ? NaN : Number(value)) : value;
  }
  try {
    checkSettings(options);
  } catch (error) {
    if (!(error instanceof SettingError)) throw error;
    const flag = Object.keys(settingFlags).find((f) => settingFlags[f].setting === error.setting);
    throw new UsageError(`--${flag} must be ${error.expected}; got ${JSON.stringify(text(flag!))}`);
  }
  return options as EmulatorOptions;
}

async function main(): Promise<void> {
  let options: EmulatorOptions | "help";
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message);
    throw error;
  }
  if (options === "help") {
    console.log(usage);
    return;
  }
  let emulator;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    console.error(`postmark-emulator: cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
  const stop = () => {
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // Before the URL line: whoever reads it may signal us at once.
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  console.log(`POSTMARK_API_URL=${emulator.url}`);
  console.log(
    `Postmark emulator ready (${options.stateFile ? `state in ${options.stateFile}` : "in memory"}` +
      `${options.deleteDisabled ? ", delete disabled" : ""}${options.faults ? `, faults ${options.faults}` : ""}). Admin API: ${emulator.url}/__emulator/`,
  );
}

function fail(message: string): void {
  console.error(`postmark-emulator: ${message} (see --help)`);
  process.exit(2);
}

void main();
