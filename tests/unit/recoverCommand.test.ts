/**
 * `pulumi-postmark recover` as called: its usage, and bad usage refused with exit code 2 naming the flag and what is
 * allowed, before anything is run. What it does to a stack is tested through the real CLI in
 * tests/lifecycle/interruptedRun.lifecycle.test.ts.
 */
import { main } from "../../provider/commands/cli";

/** Runs the bin's main with `args`; its exit code and what it printed. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const printed = { stdout: "", stderr: "" };
  const { log, error } = console;
  console.log = (...parts: unknown[]) => void (printed.stdout += `${parts.join(" ")}\n`);
  console.error = (...parts: unknown[]) => void (printed.stderr += `${parts.join(" ")}\n`);
  try {
    return { code: await main(args), ...printed };
  } finally {
    Object.assign(console, { log, error });
  }
}

const allowed = "allowed: --stack (-s) <name>, --dry-run, --help";

it("the bin's usage lists recover", async () => {
  expect((await run("--help")).stdout).toMatch(/^ {2}recover +after an interrupted `pulumi up` or `destroy`/m);
});

it("--help shows what it does and its options", async () => {
  const { code, stdout } = await run("recover", "--help");
  expect(code).toBe(0);
  expect(stdout).toContain("Usage: pulumi-postmark recover [--stack <name>] [--dry-run]");
  expect(stdout).toContain("It changes nothing in Postmark. Safe to run again.");
});

it.each([
  [["--stak", "prod"], `unknown option --stak; ${allowed}`],
  [["-x", "prod"], `unknown option -x; ${allowed}`],
  [["prod"], `unexpected argument "prod"; ${allowed}`],
  [["--stack"], "--stack needs the name of a stack, e.g. --stack prod"],
  [["--stack="], "--stack needs the name of a stack, e.g. --stack prod"],
  [["--dry-run=yes"], "--dry-run takes no value"],
])("%j is refused with exit code 2, naming the flag", async (args, message) => {
  const { code, stdout, stderr } = await run("recover", ...args);
  expect(code).toBe(2);
  expect(stderr).toBe(`pulumi-postmark recover: ${message}\n`);
  expect(stdout).toBe("");
});

it.each([[["--stack", "prod"]], [[]]])("without the Pulumi CLI on PATH it says so, exit code 1 (%j)", async (args) => {
  const path = process.env.PATH;
  process.env.PATH = "/nonexistent";
  try {
    const { code, stderr } = await run("recover", ...args);
    expect(code).toBe(1);
    expect(stderr).toBe("pulumi-postmark recover: The Pulumi CLI (`pulumi`) is not on PATH: install it, or run this where `pulumi up` runs.\n");
  } finally {
    process.env.PATH = path;
  }
});
