#!/usr/bin/env node
/**
 * pulumi-postmark: the commands a user runs beside Pulumi (`npx pulumi-postmark <command>`). Each command is one
 * module of this folder exporting a `Command`; they share the core's client, settings and errors.
 */
import { isExpectedError } from "../core/errors";
import { scanCommand } from "./scan";

/** One subcommand: its one-line summary for the usage text, and what it runs (resolving to the exit code). */
export interface Command {
  readonly summary: string;
  run(argv: string[]): Promise<number>;
}

/** Every command, by name. A new command is one module and one line here. */
const commands: Record<string, () => Command> = {
  recover: () => (require("./recover") as typeof import("./recover")).recoverCommand,
  scan: () => scanCommand,
};

/** A mistake in how the command was called: its message and the usage are printed, exit code 2. */
export class UsageError extends Error {}

function usage(): string {
  const names = Object.keys(commands);
  const width = Math.max(0, ...names.map((n) => n.length));
  const lines = names.map((name) => `  ${name.padEnd(width)}  ${commands[name]().summary}`);
  return ["Usage: pulumi-postmark <command> [options]   (pulumi-postmark <command> --help for its options)", "", ...lines].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`pulumi-postmark: no command "${name}".\n\n${usage()}`);
    return 2;
  }
  try {
    return await command().run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`pulumi-postmark ${name}: ${e.message}`);
      return 2;
    }
    // Expected failures carry what to do; a bug keeps its stack. No error here carries a token.
    if (isExpectedError(e)) {
      console.error(`pulumi-postmark ${name}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
