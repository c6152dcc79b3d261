/**
 * Postmark's two tokens. Account-level APIs take the account token; server-level APIs take one of a server's
 * `ApiTokens`, and what they touch belongs to that server. The wrong kind is 401 ErrorCode 10, with Postmark's
 * messages. Tokens are compared in constant time and never appear in an answer or the request log.
 */
import * as http from "node:http";
import { timingSafeEqual } from "node:crypto";
import { TokenKind } from "./api";
import { ApiError, coreErrorCodes } from "./errors";

export const accountTokenHeader = "x-postmark-account-token";
export const serverTokenHeader = "x-postmark-server-token";

/** The servers collection as auth needs it: each server's ID and tokens. */
export interface TokenOwner {
  ID: number;
  ApiTokens: string[];
}

const unauthorized = (message: string) => new ApiError(401, coreErrorCodes.InvalidToken, message);

const sameSecret = (sent: string, known: string) => {
  const a = Buffer.from(sent);
  const b = Buffer.from(known);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * Checks the token an endpoint of `kind` takes; returns the server it belongs to on a server-level endpoint.
 * `servers` is only read for server tokens.
 */
export function authenticate(kind: TokenKind, headers: http.IncomingHttpHeaders, accountToken: string, servers: () => TokenOwner[]): number | undefined {
  if (kind === "account") {
    const sent = headers[accountTokenHeader];
    if (typeof sent !== "string" || sent === "") {
      throw unauthorized("No Account API token was supplied in the HTTP headers. Please add the X-Postmark-Account-Token header.");
    }
    if (!sameSecret(sent, accountToken)) throw unauthorized("The Account API token in the X-Postmark-Account-Token header is not valid.");
    return undefined;
  }
  // An account token on a server-level call is refused outright, even beside a valid server token.
  if (headers[accountTokenHeader] !== undefined) throw unauthorized("Please do not include Account API Token for Server API Token calls.");
  const sent = headers[serverTokenHeader];
  if (typeof sent !== "string" || sent === "") {
    throw unauthorized("No Account or Server API tokens were supplied in the HTTP headers. Please add a header for either X-Postmark-Server-Token or X-Postmark-Account-Token.");
  }
  // Every token is compared (no early exit), so the time taken does not tell how many servers were tried.
  let owner: number | undefined;
  for (const server of servers()) {
    for (const known of server.ApiTokens ?? []) if (typeof known === "string" && sameSecret(sent, known) && owner === undefined) owner = server.ID;
  }
  if (owner === undefined) throw unauthorized("Request does not contain a valid Server token.");
  return owner;
}
