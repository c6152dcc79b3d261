/**
 * What every resource kind's operations test (tests/unit/*Operations.test.ts) stands on: one emulator for the
 * file, its admin API, the provider's client as a provider process builds it (retries 1 ms apart, so fault
 * tests run fast), the emulator's request log as one line a call, and how to catch an operation's error.
 */
import { inspect } from "util";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { resolveClientSettings } from "../../provider/core/config";
import { CheckOutcome } from "../../provider/core/checkInputs";
import { Values } from "../../provider/core/fields";
import { ResourceOperations } from "../../provider/core/operations";
import { Call, ClientSettings, PostmarkClient } from "../../provider/core/postmarkClient";
import { EmulatorAdmin, LoggedRequest } from "./emulatorAdmin";

export interface OperationsEmulatorOptions {
  /** The account token the emulator accepts and the clients send. */
  token: string;
  /** The emulator's seed (IDs, tokens and keys follow from it). */
  seed: number;
  /** Attempts per request of the clients made here, the first included. */
  maxAttempts?: number;
}

/** A provider process's client that also remembers what it sent, to assert request bodies. */
export class RecordingClient extends PostmarkClient {
  readonly sent: { method: string; path: string; body?: Values }[] = [];
  override send<T>(call: Call): Promise<T> {
    this.sent.push({ method: call.method, path: call.path, ...(call.body !== undefined && { body: call.body }) });
    return super.send<T>(call);
  }
}

/**
 * Starts an emulator before the file's tests and stops it after them. The admin (and `calls`) can be held
 * from the start, as the tests' assertions name them; they reach the emulator once beforeAll has started it.
 */
export function useOperationsEmulator({ token, seed, maxAttempts = 4 }: OperationsEmulatorOptions) {
  let emulator: RunningEmulator | undefined;
  let sharedClient: PostmarkClient | undefined;
  const started = (): RunningEmulator => {
    if (!emulator) throw new Error("the emulator starts in beforeAll: use it from a hook or a test");
    return emulator;
  };
  // The emulator's address is known only once it has started: the admin reads it at each request.
  const admin = new EmulatorAdmin("http://emulator-not-started");
  Object.defineProperty(admin, "url", { get: () => started().url });

  /** The client a new provider process builds from the environment (the account token and the emulator's URL). */
  function newClient(): PostmarkClient;
  function newClient<C extends PostmarkClient>(Client: new (settings: ClientSettings) => C): C;
  function newClient(Client: new (settings: ClientSettings) => PostmarkClient = PostmarkClient): PostmarkClient {
    return new Client({
      ...resolveClientSettings(() => undefined, { POSTMARK_ACCOUNT_TOKEN: token, POSTMARK_API_URL: started().url }),
      retryBaseDelayMs: 1,
      maxAttempts,
    });
  }

  beforeAll(async () => {
    emulator = await startEmulator({ token, seed });
  });
  afterAll(async () => emulator?.stop());

  return {
    admin,
    emulator: started,
    newClient,
    /** One client for the whole file, for tests that make a new ResourceOperations (a new process) on it each time. */
    client: (): PostmarkClient => (sharedClient ??= newClient()),
    /** The requests the emulator answered since the last reset or clearRequests, as "METHOD path status". */
    calls: async () => (await admin.requests()).map((r: LoggedRequest) => `${r.method} ${r.path} ${r.status}`),
  };
}

/** The Error an operation fails with (anything else thrown, a Promise say, fails the test; so does a success). */
export async function failureOf(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`the operation threw ${Object.prototype.toString.call(e)}, not an Error`);
  }
  throw new Error("expected the operation to fail");
}

/** Everything an error shows when printed in full. */
/** A check's failures as "property: reason" lines, what the engine prints for each. */
export const failureReasons = (outcome: CheckOutcome): string[] => outcome.failures.map((f) => `${f.property}: ${f.reason}`);

/** The inputs a check passes on, after asserting that it found nothing wrong. */
export function checkedInputs(operations: ResourceOperations, news: Values, olds: Values = {}): Values {
  const outcome = operations.check(olds, news);
  expect(outcome.failures).toEqual([]);
  return outcome.inputs;
}

export const printed = (error: unknown) => inspect(error, { depth: Infinity, showHidden: true }) + JSON.stringify(error) + String((error as Error).stack);
