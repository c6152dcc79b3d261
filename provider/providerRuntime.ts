/**
 * The provider as it runs inside Pulumi's dynamic-provider process. The provider text stored in
 * state (core/dynamicProvider.ts) only `require`s this module from the installed package, so later refresh and destroy runs use
 * the installed code, and the state stays small. Settings are read here at run time, never serialized.
 * (Its path, `dynamicProvider`, and the `operationMethods`, `configure` and `operations` that stacks written by
 * earlier versions call: keep them.)
 */
import type * as pulumi from "@pulumi/pulumi";
import { isExpectedError } from "./core/errors";
import { Values } from "./core/fields";
import { configure as configureProcess, operationsFor } from "./core/providerProcess";

/**
 * Called with the stack's (decrypted) config once per provider text a process loads: once per resource kind (and once
 * more for resources still holding an earlier build's provider), while other kinds' operations may be running.
 */
export function configure(config: { get(key: string): string | undefined }): void {
  configureProcess((key) => config.get(key));
}

/**
 * Pulumi's dynamic-provider host sends an error's message to the engine, and for check, diff, read and
 * delete also prints `${error}: ${error.stack}` to stderr, which the CLI shows: the same message again,
 * then frames of our code. For an answer the user has to act on (a Postmark refusal, a bad setting) that
 * echo is noise, so it is dropped; unexpected errors (bugs) keep their stack.
 */
const expectedErrorEchoes = new Set<string>();
const printError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  if (args.length === 1 && typeof args[0] === "string" && expectedErrorEchoes.delete(args[0])) return;
  printError(...args);
};

/** Wraps a method whose errors the host echoes (check, diff, read, delete) so that an expected error's echo is dropped. */
function droppingEcho<Args extends unknown[], Result>(method: (...args: Args) => Promise<Result>): (...args: Args) => Promise<Result> {
  return async (...args) => {
    try {
      return await method(...args);
    } catch (e) {
      if (isExpectedError(e)) expectedErrorEchoes.add(`${e}: ${e.stack}`);
      throw e;
    }
  };
}

export { operationsFor };

type ProviderMethods = Required<Omit<pulumi.dynamic.ResourceProvider, "configure">>;

function methodsOf(kind: string): ProviderMethods {
  const kindOperations = operationsFor(kind);
  return {
    check: droppingEcho(async (olds: Values, news: Values) => kindOperations.check(olds, news)),
    diff: droppingEcho(async (id: string, olds: Values, news: Values) => kindOperations.diff(id, olds, news)),
    create: async (inputs) => kindOperations.create(inputs),
    read: droppingEcho(async (id: string, props: Values) => kindOperations.read(id, props)),
    update: async (id, olds, news) => kindOperations.update(id, olds, news),
    delete: droppingEcho(async (id: string, props: Values) => kindOperations.delete(id, props)),
  };
}

/**
 * The provider the `__provider` text in state (core/dynamicProvider.ts) returns from its `handler`: one kind's
 * operations, and a `configure` that the host calls with the stack's config before any of them.
 */
export function dynamicProvider(kind: string): pulumi.dynamic.ResourceProvider {
  return { configure: async (request) => configure(request.config), ...methodsOf(kind) };
}

/**
 * What the serialized provider of earlier builds (a `configure` written by Pulumi's closure serializer, still in
 * the state of stacks they made) installs on itself when the engine configures it: the kind's operations as the
 * dynamic-provider methods. Keep it for those stacks.
 */
export function operationMethods(kind: string, config: { get(key: string): string | undefined }): ProviderMethods {
  configure(config);
  return methodsOf(kind);
}

/** PostmarkServer's methods, under the name the serialized provider of 0.1.0 uses. */
export const operations = methodsOf("PostmarkServer");
