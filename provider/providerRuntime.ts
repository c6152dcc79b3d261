/**
 * The provider as it runs inside Pulumi's dynamic-provider process. The serialized provider stored in
 * state only `require`s this module from the installed package, so later refresh and destroy runs use
 * the installed code, and the state stays small. Settings are read here at run time, never serialized.
 */
import { ConfigLookup, resolveClientSettings } from "./config";
import { PostmarkClient } from "./postmarkClient";
import { ServerOperations } from "./serverOperations";

let lookup: ConfigLookup = () => undefined;
let client: PostmarkClient | undefined;

/** Called once per provider process with the stack's (decrypted) config. */
export function configure(config: { get(key: string): string | undefined }): void {
  lookup = (key) => config.get(key);
  client = undefined;
}

// One client per process, so every resource shares its request limit and rate-limit pauses.
export const operations = new ServerOperations(() => (client ??= new PostmarkClient(resolveClientSettings(lookup))));
