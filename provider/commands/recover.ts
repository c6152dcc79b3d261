/**
 * `pulumi-postmark recover`: after a `pulumi up` or `pulumi destroy` was interrupted (killed, cancelled, its runner lost),
 * settles what Pulumi's engine left pending in the stack's state, changing nothing in Postmark:
 * - a pending create: the object it made (found by the rule that recovers a create whose answer was lost, and owned by no
 *   resource of the state) goes into the state with the outputs the create would have returned; one that made nothing
 *   (or that the next `pulumi up` simply does again: an adoption, a verification) is cleared;
 * - a pending delete: a resource whose object is gone leaves the state, one whose object is still there stays;
 * - a pending update: the resource stays as it was, and the next `pulumi up` makes the edit again.
 * Pulumi's own way to take a pending create (`pulumi refresh --import-pending-creates`) leaves a dynamic resource out of the
 * state, so the state is edited here and written with `pulumi stack import`. Running it twice is safe: the second run
 * finds nothing pending.
 */
import { parseArgs } from "node:util";
import { ResourceDeclaration } from "../core/declaration";
import { PostmarkProviderError } from "../core/errors";
import { ResourceOperations } from "../core/operations";
import { configure, operationsFor } from "../core/providerProcess";
import { declarations } from "../resources";
import { Command, UsageError } from "./cli";
import { Deployment, neededByOthers, PendingOperation, plainValues, Recovery, recoveredDeployment, stateResourceOf } from "./deployment";
import { PulumiCli } from "./pulumiCli";

const usage = `Usage: pulumi-postmark recover [--stack <name>] [--dry-run]

After a \`pulumi up\` or \`pulumi destroy\` was interrupted (killed, cancelled), run it where you run \`pulumi up\`:
it takes what the interrupted creates made into the stack's state and drops what its deletes removed, then
\`pulumi up\` (or \`pulumi destroy\`) carries on. It changes nothing in Postmark. Safe to run again.

  -s, --stack <name>  the stack (default: the selected stack)
  --dry-run           say what it would do, and leave the state as it is
  --help              show this help`;

const options = { stack: { type: "string", short: "s" }, "dry-run": { type: "boolean" }, help: { type: "boolean" } } as const;

/** The type Pulumi records for a resource kind of this package (PostmarkResource registers them so). */
const typePrefix = "pulumi-nodejs:dynamic/postmark:";
const declarationOf = (type: string): ResourceDeclaration | undefined =>
  type.startsWith(typePrefix) ? declarations.find((d) => d.kind === type.slice(typePrefix.length)) : undefined;

/** "PostmarkWebhook engagement" (the kind and the resource's name in the program, from its URN). */
const described = (operation: PendingOperation) => `${operation.resource.type.slice(typePrefix.length)} "${operation.resource.urn.split("::").pop()}"`;

function parse(argv: string[]): { stack?: string; dryRun: boolean; help: boolean } {
  const allowed = "allowed: --stack (-s) <name>, --dry-run, --help";
  // Not strict: the messages are ours, the same on every Node.js version.
  const { values, tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === "positional") throw new UsageError(`unexpected argument "${token.value}"; ${allowed}`);
    if (token.kind === "option" && !(token.name in options)) throw new UsageError(`unknown option ${token.rawName}; ${allowed}`);
  }
  if (values.stack !== undefined && (typeof values.stack !== "string" || values.stack === "")) {
    throw new UsageError("--stack needs the name of a stack, e.g. --stack prod");
  }
  for (const flag of ["dry-run", "help"] as const) {
    if (values[flag] !== undefined && typeof values[flag] !== "boolean") throw new UsageError(`--${flag} takes no value`);
  }
  return { stack: values.stack as string | undefined, dryRun: values["dry-run"] === true, help: values.help === true };
}

/**
 * Pending operations this command cannot settle: another provider's creates (`pulumi stack import` would drop them, and
 * with them what they may have made) and operations it does not know.
 */
export function unsettleable(pending: PendingOperation[]): PendingOperation[] {
  return pending.filter((op) => !["creating", "updating", "deleting"].includes(op.type) || (op.type === "creating" && !declarationOf(op.resource.type)));
}

/** The value of `key` in `map`, made (and kept) the first time. */
function entry<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  if (!map.has(key)) map.set(key, make());
  return map.get(key)!;
}

/** The Pulumi IDs the state's resources hold, per type: never taken for a pending create. */
function ownedIds(deployment: Deployment): Map<string, Set<string>> {
  const owned = new Map<string, Set<string>>();
  for (const resource of deployment.resources ?? []) if (resource.id) entry(owned, resource.type, () => new Set<string>()).add(resource.id);
  return owned;
}

interface Settled {
  recovery: Recovery;
  /** One line of the report: what is done with the operation, and why. */
  report: string;
}

/** A pending create: the object it made goes into the state, or (none, or several alike) the operation only goes. */
async function settleCreate(operation: PendingOperation, declaration: ResourceDeclaration, operations: ResourceOperations, owned: Set<string>, deployment: Deployment): Promise<Settled> {
  const what = described(operation);
  const found = await operations.findInterruptedCreate(plainValues(operation.resource.inputs), owned);
  if (found.length === 1) {
    owned.add(found[0].id); // so that no later pending create takes it
    return {
      recovery: { operation, action: "import", ...found[0] },
      report: `import    ${what}: ${declaration.noun} ${found[0].id} (${declaration.label(found[0].outs)}) is what its create made`,
    };
  }
  const clear: Recovery = { operation, action: "clear" };
  if (found.length > 1) {
    return {
      recovery: clear,
      report:
        `clear     ${what}: ${declaration.noun}s ${found.map((f) => f.id).join(", ")} are each exactly what its create makes, and no resource ` +
        `of the stack owns them: which one it made cannot be told. Keep one (\`${declaration.adopt?.input}\`) and delete the others in Postmark`,
    };
  }
  const inStack = (deployment.resources ?? []).some((r) => r.urn === operation.resource.urn && !r.delete);
  return { recovery: clear, report: `clear     ${what}: its create made nothing to take over; ${inStack ? "a later run put it in the stack" : "the next `pulumi up` creates it"}` };
}

/** A pending delete: the resource leaves the state if its object is gone, and stays if not. */
async function settleDelete(operation: PendingOperation, declaration: ResourceDeclaration, operations: ResourceOperations, deployment: Deployment): Promise<Settled> {
  const what = described(operation);
  const clear: Recovery = { operation, action: "clear" };
  const resource = stateResourceOf(deployment, operation);
  if (!resource) return { recovery: clear, report: `clear     ${what}: its delete is done, and it is out of the stack already` };
  const where = `${declaration.noun} ${resource.id}`;
  if ((await operations.read(resource.id!, plainValues(resource.outputs))).id !== "") {
    return { recovery: clear, report: `keep      ${what}: its delete was not done (${where} is still there), so it stays in the stack` };
  }
  if (neededByOthers(deployment, resource)) {
    return { recovery: clear, report: `keep      ${what}: ${where} is gone, but other resources of the state need it; \`pulumi refresh\` settles it` };
  }
  return { recovery: { operation, action: "remove" }, report: `remove    ${what}: its delete was done (${where} is gone from Postmark)` };
}

async function settle(
  operation: PendingOperation,
  deployment: Deployment,
  owned: Map<string, Set<string>>,
  operationsOf: (declaration: ResourceDeclaration) => ResourceOperations,
): Promise<Settled> {
  const declaration = declarationOf(operation.resource.type);
  const clear: Recovery = { operation, action: "clear" };
  // Another provider's update or delete (unsettleable() refuses its creates): the next deployment would drop it too.
  if (!declaration) return { recovery: clear, report: `keep      ${operation.resource.urn}: not a Postmark resource; left as it is` };
  if (operation.type === "creating") {
    return settleCreate(operation, declaration, operationsOf(declaration), entry(owned, operation.resource.type, () => new Set<string>()), deployment);
  }
  if (operation.type === "deleting") return settleDelete(operation, declaration, operationsOf(declaration), deployment);
  return { recovery: clear, report: `keep      ${described(operation)}: its update was interrupted; the next \`pulumi up\` makes it again` };
}

export const recoverCommand: Command = {
  summary: "after an interrupted `pulumi up` or `destroy`: put what it made into the stack's state, so that nothing is left twice or orphaned",
  async run(argv: string[]): Promise<number> {
    const args = parse(argv);
    if (args.help) {
      console.log(usage);
      return 0;
    }
    const pulumi = new PulumiCli();
    const stack = args.stack ?? (await pulumi.selectedStack());
    if (!stack) throw new UsageError("--stack is required here (no stack is selected): the stack whose interrupted run to recover, e.g. --stack prod");

    const exported = await pulumi.exportState(stack);
    const deployment = exported.deployment;
    const pending = deployment.pending_operations ?? [];
    if (pending.length === 0) {
      console.log(`Stack ${stack} has no pending operations: nothing to recover.`);
      return 0;
    }
    const foreign = unsettleable(pending);
    if (foreign.length > 0) {
      throw new PostmarkProviderError(
        `Stack ${stack} has pending operations this command cannot settle:\n${foreign.map((op) => `  ${op.type} ${op.resource.urn}`).join("\n")}\n` +
          "Writing the state would drop them. Settle them first with an interactive `pulumi refresh` (choose \"skip\" for the " +
          "Postmark ones), then run this again. Nothing was changed.",
      );
    }

    // The provider process's own settings, client and operations, configured as `pulumi up` configures them.
    configure(await pulumi.config(stack));
    const owned = ownedIds(deployment);
    console.log(`Stack ${stack}: ${pending.length} operation${pending.length === 1 ? " was" : "s were"} pending when a run was interrupted.`);
    const recoveries: Recovery[] = [];
    // One at a time, in the engine's order: a create takes an object only if no earlier one took it.
    for (const operation of pending) {
      const { recovery, report } = await settle(operation, deployment, owned, (declaration) => operationsFor(declaration.kind));
      recoveries.push(recovery);
      console.log(`  ${report}`);
    }
    if (args.dryRun) {
      console.log("Dry run: the stack's state was left as it is. Nothing was changed in Postmark.");
      return 0;
    }
    await pulumi.importState(stack, { ...exported, deployment: recoveredDeployment(deployment, recoveries) });
    console.log(
      `Wrote the stack's state (\`pulumi stack import\`); no operation is pending now. Nothing was changed in Postmark.\n` +
        `Next: \`pulumi up --stack ${stack}\` (or \`pulumi destroy --stack ${stack}\` to finish a destroy).`,
    );
    return 0;
  },
};

