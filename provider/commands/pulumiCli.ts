/**
 * The user's Pulumi CLI (`pulumi` on PATH) as the commands run it: in the current directory (the project), with the
 * user's environment (backend, passphrase), on one stack. What it prints on success (a state or config with its secrets)
 * is never shown; when it fails, its message is passed on, with what to do about what a killed run leaves in the backend.
 */
import { spawn } from "child_process";
import { ConfigLookup } from "../core/config";
import { PostmarkProviderError } from "../core/errors";
import { UntypedDeployment } from "./deployment";

/** What a killed `pulumi` leaves behind in a backend, how Pulumi then says it, and what the user does about it. */
const backendLeftovers = [
  {
    says: /currently locked/,
    advice: (stack: string) =>
      `The stack is still locked by the interrupted run (Pulumi's backend keeps a killed run's lock). If no other pulumi ` +
      `command is running on it, remove the lock with \`pulumi cancel --stack ${stack}\`, then run this again.`,
  },
  {
    says: /failed to load checkpoint: (EOF|unexpected end of JSON input)/,
    advice: () =>
      "The interrupted run left an empty metadata file (`.attrs`) beside the stack's state in the file backend. Delete the " +
      "empty `.attrs` files under the backend's directory (`find <backend dir> -name '*.attrs' -empty -delete`; they are " +
      "written again), then run this again.",
  },
];

/** `pulumi` ran and failed: what it said, and what to do where that is known. */
class PulumiFailed extends PostmarkProviderError {}

export class PulumiCli {
  constructor(private readonly executable = "pulumi") {}

  /** The stack `pulumi` selects when none is named, or undefined. */
  async selectedStack(): Promise<string | undefined> {
    const name = await this.run(["stack", "--show-name"], undefined, "").then(
      (out) => out.trim(),
      (e: unknown) => {
        if (e instanceof PulumiFailed) return ""; // no stack selected (or no project here)
        throw e;
      },
    );
    return name === "" ? undefined : name;
  }

  /** The stack's state, secrets in plaintext (never print it). */
  async exportState(stack: string): Promise<UntypedDeployment> {
    return JSON.parse(await this.run(["stack", "export", "--show-secrets", "--stack", stack], undefined, stack)) as UntypedDeployment;
  }

  /** The stack's config, secrets in plaintext (never print it), as the provider reads it. */
  async config(stack: string): Promise<ConfigLookup> {
    const config = JSON.parse(await this.run(["config", "--show-secrets", "--json", "--stack", stack], undefined, stack)) as Record<string, { value?: unknown }>;
    return (key) => (typeof config[key]?.value === "string" ? (config[key].value as string) : undefined);
  }

  /** Sets a secret config value of the stack, encrypted with its secrets provider; the value goes on stdin, never on a command line. */
  async setSecretConfig(stack: string, key: string, value: string): Promise<void> {
    // One trailing newline, which the CLI takes off a value read from stdin.
    await this.run(["config", "set", "--secret", key, "--stack", stack], `${value}\n`, stack);
  }

  /** Writes the stack's state; secrets given in plaintext are encrypted with the stack's secrets provider on the way. */
  async importState(stack: string, deployment: UntypedDeployment): Promise<void> {
    await this.run(["stack", "import", "--stack", stack], JSON.stringify(deployment), stack);
  }

  /** Runs `pulumi <args>`, feeding `input` (never a file: it may hold secrets); its stdout. */
  private run(args: string[], input: string | undefined, stack: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.executable, args, { stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("error", (e: NodeJS.ErrnoException) =>
        reject(e.code === "ENOENT" ? new PostmarkProviderError(`The Pulumi CLI (\`${this.executable}\`) is not on PATH: install it, or run this where \`pulumi up\` runs.`) : e),
      );
      child.on("close", (code) => {
        if (code === 0) return resolve(stdout);
        // Only stderr: what it printed on stdout may be a state or config, secrets included.
        const said = stderr.trim() || "(no message)";
        const advice = backendLeftovers.find((leftover) => leftover.says.test(said))?.advice(stack);
        reject(new PulumiFailed(`\`pulumi ${args.join(" ")}\` failed (exit ${code}):\n${said}${advice ? `\n${advice}` : ""}`));
      });
      child.stdin.end(input ?? "");
    });
  }
}
