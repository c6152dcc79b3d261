/**
 * The one error type the provider throws for anything Postmark (or the network to it) answered.
 * It is built from plain values only: never from an axios error, whose config carries the request
 * headers and so the account token.
 */
export class PostmarkApiError extends Error {
  constructor(
    /** What the provider was doing, e.g. "create server". */
    readonly operation: string,
    /** What it concerns: an ID, or a name before there is one. */
    readonly target: string,
    /** HTTP status, or 0 when no answer arrived (timeout, reset, refused). */
    readonly status: number,
    /** Postmark's ErrorCode from the body, when it sent one. */
    readonly errorCode: number | undefined,
    /** Postmark's Message, or the network failure's description. */
    readonly postmarkMessage: string,
    /** How many attempts were made before giving up. */
    readonly attempts = 1,
  ) {
    super(describe(operation, target, status, errorCode, postmarkMessage, attempts));
    this.name = "PostmarkApiError";
  }

  /** A server that does not exist: Postmark answers a bare 404, or 422 with ErrorCode 601. */
  get isNotFound(): boolean {
    return this.status === 404 || this.errorCode === 601;
  }
}

function describe(operation: string, target: string, status: number, errorCode: number | undefined, message: string, attempts: number) {
  const answer = status === 0 ? "no answer" : `HTTP ${status}${errorCode !== undefined ? `, ErrorCode ${errorCode}` : ""}`;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  const todo = advice(status, errorCode);
  // Postmark's messages often end with a full stop already.
  const advised = todo ? `${message.endsWith(".") ? "" : "."} ${todo}` : "";
  return `Postmark ${operation} (${target}) failed${tries}: ${answer}: ${message}${advised}`;
}

/** What the user can do about an answer, where there is one thing to do. */
function advice(status: number, errorCode: number | undefined): string | undefined {
  if (status === 401 || errorCode === 10) {
    return "Check the account token: `pulumi config set --secret postmark:accountToken <token>` " +
      "(or POSTMARK_ACCOUNT_TOKEN), from Postmark's Account > API Tokens page";
  }
  if (status >= 300 && status < 400) {
    return "Postmark's API does not redirect, so the redirect was not followed (it would take the token along): " +
      "check postmark:apiUrl (or POSTMARK_API_URL), e.g. https://api.postmarkapp.com";
  }
  if (status === 407) return "The proxy asks for credentials: give them in the proxy URL, e.g. HTTPS_PROXY=http://user:password@proxy:3128";
  if (status === 429) return "Postmark is rate-limiting this account: run again later, or lower postmark:maxConcurrentRequests";
  if (status === 0 || status >= 500) return "Postmark did not complete the request: run the command again (it is safe to repeat)";
  return undefined;
}

/** An error for the user that is not an API answer (bad configuration, a refused adoption...). */
export class PostmarkProviderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PostmarkProviderError";
  }
}

/** An answer the user acts on (a Postmark refusal, a bad setting): shown as its message alone; anything else is a bug and keeps its stack. */
export const isExpectedError = (e: unknown): e is PostmarkApiError | PostmarkProviderError => e instanceof PostmarkApiError || e instanceof PostmarkProviderError;

/**
 * The sentence a create's conflict error ends with: the object in the way may be the one a `pulumi up` that was killed or
 * cancelled was creating, which Pulumi keeps as a pending create and the recover command takes into the stack. (The
 * provider process is not told the stack's name, so the command shows it as a placeholder.)
 */
export const interruptedCreateAdvice = (noun: string) =>
  `If a \`pulumi up\` of this stack was interrupted while creating this ${noun}, run \`npx pulumi-postmark recover --stack <stack>\` ` +
  `instead: it takes the ${noun} that run made into the stack.`;
