/**
 * What one provider process holds, whichever way Pulumi reaches it (the dynamic-provider host or the `postmark`
 * plugin): the settings it was configured with, one client, so that every resource shares its request limit,
 * rate-limit pauses and server tokens, and the operations of every kind on that client.
 */
import { ConfigLookup, resolveClientSettings } from "./config";
import { PostmarkProviderError } from "./errors";
import { ResourceOperations } from "./operations";
import { PostmarkClient } from "./postmarkClient";
import { declarations } from "../resources";

let lookup: ConfigLookup = () => undefined;
let client: PostmarkClient | undefined;
/** The settings `client` was made with (or why there are none), to tell a configure that changes nothing. */
let clientSettings: string | undefined;

/**
 * Takes the provider's configuration (the stack's, or an explicit provider's). It may come several times with the same
 * settings (the dynamic host configures once per resource kind): the client, with the server tokens it found, is kept
 * unless the settings changed.
 */
export function configure(configLookup: ConfigLookup): void {
  lookup = configLookup;
  const settings = settingsOf(lookup);
  if (settings !== clientSettings) client = undefined;
  clientSettings = settings;
}

function settingsOf(configLookup: ConfigLookup): string {
  try {
    return JSON.stringify(resolveClientSettings(configLookup));
  } catch (e) {
    // No token yet, or a bad setting: the error comes again when a call needs the client.
    return `unusable: ${(e as Error).message}`;
  }
}

const sharedClient = () => (client ??= new PostmarkClient(resolveClientSettings(lookup)));

const operationsByKind = new Map(declarations.map((declaration) => [declaration.kind, new ResourceOperations(declaration, sharedClient)]));

/** The operations of one resource kind, e.g. "PostmarkServer". */
export function operationsFor(kind: string): ResourceOperations {
  const operations = operationsByKind.get(kind);
  if (!operations) throw new PostmarkProviderError(`This version of pulumi-postmark has no resource kind ${kind}: upgrade the package.`);
  return operations;
}
