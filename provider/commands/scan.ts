/**
 * `pulumi-postmark scan`: brings an existing Postmark account under code. It reads the whole account with the account
 * token (GET calls only: its client refuses any other) and writes a TypeScript module that declares every object with
 * the values Postmark holds and its adoption input, the files that module reads, and a `pulumi import --file` JSON
 * for programs in other languages. Secrets Postmark returns in clear become secret stack config (`--stack`), or keys
 * to set; tokens are never written.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigLookup, resolveClientSettings } from "../core/config";
import { PostmarkProviderError } from "../core/errors";
import { Call, PostmarkClient } from "../core/postmarkClient";
import { Command, UsageError } from "./cli";
import { PulumiCli } from "./pulumiCli";
import { accountKinds, AccountScan, plural, scanAccount, Selection } from "./scan/account";
import { importFile, importFileName } from "./scan/importFile";
import { ProgramSecret, programFile, writeProgram } from "./scan/program";

/** Exit code when the files were written but some objects could not be brought under code (they are listed). */
export const someSkippedExitCode = 3;

const accountNouns = () => accountKinds.map((d) => `${d.noun}s`).join(", ");

const usage = () => `Usage: pulumi-postmark scan [options]

Reads the whole Postmark account with the account token (POSTMARK_ACCOUNT_TOKEN, or the postmark:accountToken of
--stack's config; reads only) and writes, in --out:
  ${programFile}      a TypeScript module declaring every object as Postmark holds it, with its adopt…Id
                (add \`import "./<out>";\` to your program: the first \`pulumi up\` reads and writes nothing)
  templates/    the template bodies it reads
  ${importFileName}   for \`pulumi import --file\` (programs in other languages, with the provider plugin)

Options:
  --out <dir>             where to write (default: postmark); an existing non-empty folder needs --force
  --server <name>         only servers with this name; * and ? are wildcards, any case; repeat for several
                          (default: every server)
  --no-servers            no server, only the account-level objects (${accountNouns()})
  --no-account-objects    leave out the account-level objects (${accountNouns()})
  --stack <name>          set the secrets Postmark returns in clear (webhook passwords, header values) as secret
                          config of this stack, with the Pulumi CLI, in the current folder (a Pulumi project)
  --force                 replace what an earlier scan wrote in --out

Exit code: 0 when every object was taken, ${someSkippedExitCode} when some were not (each is listed, with the reason), 1 on
an error, 2 on bad usage.`;

interface ScanOptions {
  out: string;
  selection: Selection;
  stack?: string;
  force: boolean;
}

/** The options, or undefined for --help; a mistake is a UsageError naming the flag and what is allowed. */
export function parseScanOptions(argv: readonly string[]): ScanOptions | undefined {
  let out = "postmark";
  const servers: string[] = [];
  let noServers = false;
  let accountObjects = true;
  let stack: string | undefined;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith("--") && argv[i].includes("=") ? [argv[i].slice(0, argv[i].indexOf("=")), argv[i].slice(argv[i].indexOf("=") + 1)] : [argv[i], undefined];
    const value = (what: string): string => {
      const given = inline ?? argv[++i];
      if (given === undefined || given === "" || (inline === undefined && given.startsWith("--"))) throw new UsageError(`${flag} needs ${what}.`);
      return given;
    };
    switch (flag) {
      case "--help":
      case "-h":
        return undefined;
      case "--out":
        out = value("a folder to write to");
        break;
      case "--server":
        servers.push(value("a server name (* and ? are wildcards)"));
        break;
      case "--no-servers":
        noServers = true;
        break;
      case "--no-account-objects":
        accountObjects = false;
        break;
      case "--stack":
        stack = value("the name of a stack of the Pulumi project in the current folder");
        break;
      case "--force":
        force = true;
        break;
      default:
        throw new UsageError(`unknown option "${argv[i]}"; allowed: --out, --server, --no-servers, --no-account-objects, --stack, --force, --help.`);
    }
  }
  if (noServers && servers.length > 0) throw new UsageError("--server and --no-servers exclude each other.");
  if (noServers && !accountObjects) throw new UsageError("--no-servers with --no-account-objects leaves nothing to scan.");
  return { out, selection: { servers: noServers ? "none" : servers.length > 0 ? servers : "all", accountObjects }, stack, force };
}

/** The core's client, refusing anything but a read: a scan never writes to Postmark. */
export class ReadOnlyClient extends PostmarkClient {
  override send<T>(call: Call): Promise<T> {
    if (call.method !== "GET") return Promise.reject(new PostmarkProviderError(`a scan only reads: "${call.operation}" (${call.method}) was refused.`));
    return super.send<T>(call);
  }
}

/** What a scan writes in --out, and nothing else: an earlier scan's files are replaced, never anything of the user's. */
const scanOutputs = [programFile, importFileName, "templates"];

/** Checked before the account is read: a long scan never ends refusing to write. */
function checkOutFolder(out: string, force: boolean): void {
  if (!force && fs.existsSync(out) && fs.readdirSync(out).length > 0) {
    throw new UsageError(`--out ${out} is not empty: pass --force to replace what a scan writes there (${scanOutputs.join(", ")}), or choose another folder.`);
  }
}

function writeFiles(out: string, files: Map<string, string>): void {
  for (const entry of scanOutputs) fs.rmSync(path.join(out, entry), { recursive: true, force: true });
  for (const [file, content] of files) {
    fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
    fs.writeFileSync(path.join(out, file), content);
  }
}

function header(scan: AccountScan, options: ScanOptions, secrets: ProgramSecret[]): string[] {
  const servers = options.selection.servers;
  const where = servers === "all" ? "every server" : servers === "none" ? "no server" : `servers ${servers.map((s) => JSON.stringify(s)).join(", ")}`;
  const notDeclared = notDeclaredLines(scan);
  return [
    `Written by \`pulumi-postmark scan\` (${where}; account-level objects: ${options.selection.accountObjects ? "yes" : "no"}).`,
    "Every object is declared as Postmark holds it, with its adopt…Id: the first `pulumi up` reads each one and writes",
    "nothing (the preview shows each as a create: an adoption). Edit freely afterwards; a new scan rewrites this folder.",
    ...(secrets.length > 0
      ? [
          `${secrets.length} secrets Postmark returns in clear are read from secret stack config (${options.stack ? `set by the scan in stack "${options.stack}"` : "`pulumi config set --secret <key>`"}):`,
          ...secrets.map((s) => `  ${s.key}: ${s.description}`),
        ]
      : []),
    ...(notDeclared.length > 0 ? ["", "Not declared:", ...notDeclared.map((line) => `  ${line}`)] : []),
  ];
}

function notDeclaredLines(scan: AccountScan): string[] {
  return [
    ...scan.skipped.map((s) => `${s.declaration.noun} "${s.label}"${s.server ? ` of server "${s.server.label}"` : ""} (ID ${s.apiId}): ${s.reason}.`),
    ...[...scan.madeByPostmark].map(([d, n]) => `${plural(n, d.noun)} as Postmark made them with their server (declare one to manage it).`),
    ...scan.unlisted.map((d) => `${d.kind}: Postmark lists no such objects; declare one where you need it (docs/scan.md).`),
  ];
}

async function run(argv: string[]): Promise<number> {
  const options = parseScanOptions(argv);
  if (!options) {
    console.log(usage());
    return 0;
  }
  checkOutFolder(options.out, options.force);
  const pulumi = new PulumiCli();
  const config: ConfigLookup = options.stack ? await pulumi.config(options.stack) : () => undefined;
  if (!config("postmark:accountToken") && !process.env.POSTMARK_ACCOUNT_TOKEN) {
    throw new UsageError(
      "no account token: set POSTMARK_ACCOUNT_TOKEN (Postmark: Account > API Tokens), or pass --stack <name> of a stack whose config has postmark:accountToken. It is never written anywhere.",
    );
  }
  const settings = resolveClientSettings(config, process.env);
  const progress = (line: string) => console.error(line);
  progress(`pulumi-postmark scan: reading the Postmark account at ${settings.apiUrl} (reads only)`);
  const scan = await scanAccount(new ReadOnlyClient(settings), options.selection, progress);

  const written = writeProgram(scan, (secrets) => header(scan, options, secrets));
  const files = new Map([...written.files, [importFileName, JSON.stringify(importFile(scan.objects, written.names), null, 2) + "\n"]]);
  writeFiles(options.out, files);
  if (options.stack) {
    for (const secret of written.secrets) {
      await pulumi.setSecretConfig(options.stack, secret.key, typeof secret.value === "string" ? secret.value : JSON.stringify(secret.value));
    }
  }
  console.log(summary(scan, options, written.secrets, written.files.size - 1));
  return scan.skipped.length > 0 ? someSkippedExitCode : 0;
}

function summary(scan: AccountScan, options: ScanOptions, secrets: ProgramSecret[], textFiles: number): string {
  const counts = new Map<string, number>();
  for (const object of scan.objects) counts.set(object.declaration.noun, (counts.get(object.declaration.noun) ?? 0) + 1);
  const notDeclared = notDeclaredLines(scan);
  const out = options.out;
  return [
    `Wrote ${path.join(out, programFile)} (${[...counts].map(([noun, n]) => plural(n, noun)).join(", ") || "nothing"}), ${textFiles} text files beside it, and ${path.join(out, importFileName)}.`,
    ...(secrets.length === 0
      ? []
      : options.stack
        ? [`${secrets.length} secrets set as secret config of stack "${options.stack}": ${secrets.map((s) => s.key).join(", ")}.`]
        : [
            `${secrets.length} secrets to set before \`pulumi preview\` (their values are in Postmark; or run the scan again with --stack <name>):`,
            ...secrets.map((s) => `  pulumi config set --secret ${s.key}   # ${s.description}`),
          ]),
    ...(notDeclared.length > 0 ? ["Not declared:", ...notDeclared.map((line) => `  - ${line}`)] : []),
    `Next: add \`import "./${out.replace(/\\/g, "/")}";\` to your program, then \`pulumi preview\` (each object a create with its adopt…Id: an adoption) and \`pulumi up\` (reads only).`,
    `Programs in other languages, with the provider plugin: \`pulumi import --file ${path.join(out, importFileName)}\`` +
      (secrets.length > 0 ? " (the code it writes holds the secrets in plaintext: replace them with the config keys above)." : "."),
  ].join("\n");
}

export const scanCommand: Command = {
  summary: "write a program (and a `pulumi import` file) that brings the whole Postmark account under code; reads only",
  run,
};
