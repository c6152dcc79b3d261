/**
 * Postmark's error envelope, and the ErrorCodes every API shares. Each API module keeps its own codes beside
 * its routes; these are the ones the shared core (auth, JSON rules, faults) answers with.
 */

/** An answer in Postmark's error shape: HTTP status plus {"ErrorCode", "Message"}. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }

  get body() {
    return { ErrorCode: this.errorCode, Message: this.message };
  }
}

/** Codes from Postmark's published list that any endpoint can answer with. */
export const coreErrorCodes = {
  InvalidToken: 10,
  Maintenance: 100,
  InvalidJson: 402,
  InvalidRequestFields: 403,
  JsonRequired: 409,
  RateLimitExceeded: 429,
} as const;

/** Postmark answers every semantic problem with 422 and an ErrorCode in the body. */
export const invalid = (errorCode: number, message: string) => new ApiError(422, errorCode, message);

/** Postmark answers a body it cannot parse with ErrorCode 402. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalid(coreErrorCodes.InvalidJson, `Problems parsing JSON: the request body is not valid JSON (${(error as Error).message}).`);
  }
}

/** Admin API refusals: plain HTTP errors with {"Message"}, no ErrorCode (the admin API is not Postmark's). */
export const badRequest = (message: string) => new ApiError(400, 0, message);
export const adminNotFound = (message: string): never => {
  throw new ApiError(404, 0, message);
};
