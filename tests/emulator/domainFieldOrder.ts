/** A domain's DKIM fields, in Postmark's order: POST /domains/{id}/rotatedkim answers them between Name and ID. */
export const dkimFieldOrder = [
  "DKIMVerified",
  "WeakDKIM",
  "DKIMHost",
  "DKIMTextValue",
  "DKIMPendingHost",
  "DKIMPendingTextValue",
  "DKIMRevokedHost",
  "DKIMRevokedTextValue",
  "SafeToRemoveRevokedKeyFromDNS",
  "DKIMUpdateStatus",
];

/**
 * What GET /domains/{id} shows of a domain's DNS authentication (SPF, DKIM keys, Return-Path), in Postmark's order.
 * A sender signature shows its domain's the same way, between its own fields: both tests name this one list.
 */
export const domainAuthenticationFieldOrder = [
  "SPFVerified",
  "SPFHost",
  "SPFTextValue",
  ...dkimFieldOrder,
  "ReturnPathDomain",
  "ReturnPathDomainVerified",
  "ReturnPathDomainCNAMEValue",
];
