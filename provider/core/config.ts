import { PostmarkProviderError } from "./errors";
import { ClientSettings, defaultClientSettings } from "./postmarkClient";

/** Reads a stack config key such as "postmark:accountToken" (the dynamic provider's configure hook gives one). */
export type ConfigLookup = (key: string) => string | undefined;

interface Setting {
  key: keyof ClientSettings;
  config: string;
  env: string;
}

// Stack config wins over the environment, so each stack can point at its own account.
const settingSources: Setting[] = [
  { key: "accountToken", config: "postmark:accountToken", env: "POSTMARK_ACCOUNT_TOKEN" },
  { key: "apiUrl", config: "postmark:apiUrl", env: "POSTMARK_API_URL" },
  { key: "timeoutMs", config: "postmark:requestTimeoutMs", env: "POSTMARK_REQUEST_TIMEOUT_MS" },
  { key: "maxAttempts", config: "postmark:maxAttempts", env: "POSTMARK_MAX_ATTEMPTS" },
  { key: "retryBaseDelayMs", config: "postmark:retryBaseDelayMs", env: "POSTMARK_RETRY_BASE_DELAY_MS" },
  { key: "maxRetryDelayMs", config: "postmark:maxRetryDelayMs", env: "POSTMARK_MAX_RETRY_DELAY_MS" },
  { key: "maxConcurrentRequests", config: "postmark:maxConcurrentRequests", env: "POSTMARK_MAX_CONCURRENT_REQUESTS" },
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
    const fallback = settings[source.key];
    if (typeof fallback === "number") {
      const n = Number(raw);
      const minimum = source.key === "retryBaseDelayMs" ? 0 : 1;
      if (!Number.isInteger(n) || n < minimum) {
        throw new PostmarkProviderError(
          `${source.config} (or ${source.env}) is ${JSON.stringify(raw)}; it must be a whole number of at least ${minimum}`,
        );
      }
      settings[source.key] = n;
    } else {
      settings[source.key] = raw;
    }
  }
  if (!settings.accountToken) {
    throw new PostmarkProviderError(
      "No Postmark account token: set it with `pulumi config set --secret postmark:accountToken <token>` " +
        "or in the POSTMARK_ACCOUNT_TOKEN environment variable (Postmark: Account > API Tokens).",
    );
  }
  const url = String(settings.apiUrl);
  if (!/^https?:\/\/[^/]+/.test(url) || !URL.canParse(url)) {
    throw new PostmarkProviderError(`postmark:apiUrl (or POSTMARK_API_URL) is ${JSON.stringify(url)}; it must be an http(s) URL`);
  }
  return settings as unknown as ClientSettings;
}
