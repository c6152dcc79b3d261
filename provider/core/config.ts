import { PostmarkProviderError } from "./errors";
import { ClientSettings, defaultClientSettings } from "./postmarkClient";

/** Reads a stack config key such as "postmark:accountToken" (the dynamic provider's configure hook gives one). */
export type ConfigLookup = (key: string) => string | undefined;

export interface Setting {
  key: keyof ClientSettings;
  /** The stack config key, e.g. "postmark:accountToken" (the provider plugin's config is the part after "postmark:"). */
  config: string;
  env: string;
  description: string;
  secret?: boolean;
}

// Stack config wins over the environment, so each stack can point at its own account.
export const settingSources: readonly Setting[] = [
  {
    key: "accountToken",
    config: "postmark:accountToken",
    env: "POSTMARK_ACCOUNT_TOKEN",
    secret: true,
    description: "Postmark's account-level API token (Postmark: Account > API Tokens). Required once an API call is made.",
  },
  { key: "apiUrl", config: "postmark:apiUrl", env: "POSTMARK_API_URL", description: "The API's base URL (e.g. an emulator's). Default: https://api.postmarkapp.com." },
  { key: "timeoutMs", config: "postmark:requestTimeoutMs", env: "POSTMARK_REQUEST_TIMEOUT_MS", description: "Milliseconds before a request times out. Default: 30000." },
  { key: "maxAttempts", config: "postmark:maxAttempts", env: "POSTMARK_MAX_ATTEMPTS", description: "Attempts per request, the first included. Default: 6." },
  {
    key: "retryBaseDelayMs",
    config: "postmark:retryBaseDelayMs",
    env: "POSTMARK_RETRY_BASE_DELAY_MS",
    description: "The first retry's delay in milliseconds; it doubles each time, with jitter. Default: 500.",
  },
  {
    key: "maxRetryDelayMs",
    config: "postmark:maxRetryDelayMs",
    env: "POSTMARK_MAX_RETRY_DELAY_MS",
    description: "The longest one delay may be in milliseconds, Retry-After included. Default: 30000.",
  },
  {
    key: "maxConcurrentRequests",
    config: "postmark:maxConcurrentRequests",
    env: "POSTMARK_MAX_CONCURRENT_REQUESTS",
    description: "Requests in flight at once, across all servers. Default: 4.",
  },
];

/**
 * The client settings for this run, read when the provider runs (never captured in the serialized
 * provider, which is stored in every resource's state). The token is only required when an API call is
 * about to be made, so `pulumi preview` of an unchanged stack works without one.
 */
export function resolveClientSettings(lookup: ConfigLookup, env: NodeJS.ProcessEnv = process.env): ClientSettings {
  const settings: Record<string, unknown> = { ...defaultClientSettings };
  for (const source of settingSources) {
    const raw = lookup(source.config) ?? env[source.env];
    if (raw === undefined || raw === "") continue;
    const problem = settingProblem(source, raw);
    if (problem) throw new PostmarkProviderError(`${source.config} (or ${source.env}) is ${JSON.stringify(raw)}; ${problem}`);
    settings[source.key] = isNumeric(source) ? Number(raw) : raw;
  }
  if (!settings.accountToken) {
    throw new PostmarkProviderError(
      "No Postmark account token: set it with `pulumi config set --secret postmark:accountToken <token>` " +
        "or in the POSTMARK_ACCOUNT_TOKEN environment variable (Postmark: Account > API Tokens).",
    );
  }
  return settings as unknown as ClientSettings;
}

const isNumeric = (setting: Setting) => typeof (defaultClientSettings as Record<string, unknown>)[setting.key] === "number";

/** What is wrong with a setting's value (as config or the environment gives it, a string), or undefined. */
export function settingProblem(setting: Setting, raw: string): string | undefined {
  if (isNumeric(setting)) {
    const n = Number(raw);
    const minimum = setting.key === "retryBaseDelayMs" ? 0 : 1;
    return Number.isInteger(n) && n >= minimum ? undefined : `it must be a whole number of at least ${minimum}`;
  }
  if (setting.key === "apiUrl" && (!/^https?:\/\/[^/]+/.test(raw) || !URL.canParse(raw))) return "it must be an http(s) URL";
  return undefined;
}
