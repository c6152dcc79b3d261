/**
 * Postmark's Domains API (account token): /domains. A domain carries the DNS records Postmark asks its owner to
 * publish: a DKIM TXT record (a new domain's key, or the next one after a rotation, waits in the "pending"
 * fields until it is verified) and, optionally, a Return-Path CNAME to pm.mtasv.net. The emulator keeps its own
 * DNS (what the domain's owner has published), changed only through the admin API; only the verify calls read it:
 * like Postmark, create and edit take a Return-Path domain whose CNAME is not published yet. ErrorCodes 500-516
 * from Postmark's published list; see /work/shared/postmark-more-apis.md and the README for the choices where
 * Postmark's behaviour is unknown.
 */
import { generateKeyPairSync } from "node:crypto";
import { AdminRoute, ApiModule, RequestContext, Route } from "../api";
import { adminNotFound, badRequest, coreErrorCodes, invalid } from "../errors";
import { Answer, ok, pagingQuery, queryParam } from "../http";
import { StateStore, StoreDraft } from "../store";

export const domainErrorCodes = {
  InvalidQuery: 500,
  DkimRenewalPending: 505,
  DkimCannotRotate: 508,
  NotFound: 510,
  InvalidFields: 511,
  AlreadyExists: 512,
  NameMissing: 514,
  NameTooLong: 515,
  InvalidName: 516,
} as const;

/** Where every custom Return-Path domain must point. */
export const returnPathCnameTarget = "pm.mtasv.net";

/** A domain as Postmark returns it from GET /domains/{id}, in Postmark's field order; stored as it is. */
export interface DomainRecord {
  Name: string;
  /** SPF is deprecated: Postmark no longer checks it and reports every domain as verified. */
  SPFVerified: boolean;
  SPFHost: string;
  SPFTextValue: string;
  /** "Was ever verified": stays true after the DKIM record leaves DNS. */
  DKIMVerified: boolean;
  WeakDKIM: boolean;
  /** The active key; empty until the domain's first key is verified. */
  DKIMHost: string;
  DKIMTextValue: string;
  /** The key to publish: a new domain's first key, or the next one after a rotation; empty once verified. */
  DKIMPendingHost: string;
  DKIMPendingTextValue: string;
  /** The key a verified rotation replaced. */
  DKIMRevokedHost: string;
  DKIMRevokedTextValue: string;
  SafeToRemoveRevokedKeyFromDNS: boolean;
  DKIMUpdateStatus: "Pending" | "Verified" | "Failed";
  /** "" when none. */
  ReturnPathDomain: string;
  ReturnPathDomainVerified: boolean;
  ReturnPathDomainCNAMEValue: string;
  ID: number;
}

/** The fields GET /domains lists, in Postmark's order. */
const listedFields = ["Name", "SPFVerified", "DKIMVerified", "WeakDKIM", "ReturnPathDomainVerified", "ID"] as const;
/** What POST /domains/{id}/rotatedkim answers: the DKIM part of the domain. */
const dkimFields = [
  "Name",
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
  "ID",
] as const;
/** What a sender signature shows of its domain: everything but the domain's Name and ID. */
export const domainAuthenticationFields = (Object.keys(newDomainShape()) as (keyof DomainRecord)[]).filter((f) => f !== "Name" && f !== "ID");

export const pick = <T extends object, K extends keyof T>(record: T, fields: readonly K[]): Pick<T, K> =>
  Object.fromEntries(fields.map((field) => [field, record[field]])) as Pick<T, K>;

/** A record of the emulator's DNS: what domain owners have published. */
export interface DnsRecord {
  /** Lower case, no trailing dot. */
  Host: string;
  Type: DnsRecordType;
  Value: string;
}
export const dnsRecordTypes = ["TXT", "CNAME"] as const;
export type DnsRecordType = (typeof dnsRecordTypes)[number];

export const domainsCollection = "domains";
export const dnsCollection = "dnsRecords";
/**
 * Declared by the Sender Signatures module (senderSignatures.ts); named here because deleting a domain deletes
 * its signatures, as Postmark does.
 */
export const signaturesCollection = "senderSignatures";

const maxNameLength = 255;

export const storedDomains = (store: StateStore | StoreDraft): DomainRecord[] => store.list<DomainRecord>(domainsCollection).sort((a, b) => a.ID - b.ID);
export const storedDns = (store: StateStore | StoreDraft): DnsRecord[] => store.list<DnsRecord>(dnsCollection);

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
export const findDomainByName = (store: StateStore | StoreDraft, name: string): DomainRecord | undefined => storedDomains(store).find((d) => sameName(d.Name, name));

/** A host name: two labels or more, letters, digits and inner hyphens, a top-level label of letters (or punycode). */
export function isHostName(name: string): boolean {
  const labels = name.split(".");
  if (name.length > 253 || labels.length < 2) return false;
  const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
  const topLevel = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/i;
  return labels.every((l) => label.test(l)) && topLevel.test(labels[labels.length - 1]);
}

/** GET /domains and GET /senders require count (1..500) and offset (>= 0); Postmark answers ErrorCode 500 otherwise. */
export const parsePaging = (query: URLSearchParams) => pagingQuery((name) => queryParam(query, name), domainErrorCodes.InvalidQuery);

const invalidField = (message: string) => invalid(coreErrorCodes.InvalidRequestFields, message);

/**
 * Shape and types first, as Postmark deserializes before it validates: a JSON object whose fields are all
 * `known` and strings (anything else is ErrorCode 403, as for the other APIs).
 */
export function parseStringFields(body: unknown, known: readonly string[], what: string): Record<string, string> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalidField(`The request body must be a JSON object of ${what} fields.`);
  for (const [name, value] of Object.entries(body)) {
    if (!known.includes(name)) throw invalidField(`Unknown or read-only field '${name}' in the request body. Allowed fields: ${known.join(", ")}.`);
    if (typeof value !== "string") throw invalidField(`Invalid type for '${name}': expected a string, got ${JSON.stringify(value)}.`);
  }
  return body as Record<string, string>;
}

/** Four digits of year, then month, day, hours, minutes, seconds (UTC): Postmark's DKIM selectors start so. */
const selectorTime = (time: Date) => time.toISOString().replace(/\D/g, "").slice(0, 14);

/**
 * A fresh DKIM key as Postmark hands it out: the selector `<yyyymmddhhmmss>pm` under `_domainkey.<domain>`, and a
 * real 1024-bit RSA public key (so WeakDKIM is false). The selector never repeats one of the domain's keys, so
 * a rotation within the same second still gets a DNS name of its own.
 */
function newDkimKey(domainName: string, taken: string[]): { host: string; value: string } {
  let time = new Date();
  let host = `${selectorTime(time)}pm._domainkey.${domainName}`;
  while (taken.includes(host)) {
    time = new Date(time.getTime() + 1000);
    host = `${selectorTime(time)}pm._domainkey.${domainName}`;
  }
  const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
  return { host, value: `k=rsa;p=${publicKey.export({ type: "spki", format: "der" }).toString("base64")}` };
}

/** Every field of a domain in Postmark's order, with a new domain's values. */
function newDomainShape(): DomainRecord {
  return {
    Name: "",
    SPFVerified: true,
    SPFHost: "",
    SPFTextValue: "v=spf1 a mx include:spf.mtasv.net ~all",
    DKIMVerified: false,
    WeakDKIM: false,
    DKIMHost: "",
    DKIMTextValue: "",
    DKIMPendingHost: "",
    DKIMPendingTextValue: "",
    DKIMRevokedHost: "",
    DKIMRevokedTextValue: "",
    SafeToRemoveRevokedKeyFromDNS: false,
    DKIMUpdateStatus: "Pending",
    ReturnPathDomain: "",
    ReturnPathDomainVerified: false,
    ReturnPathDomainCNAMEValue: returnPathCnameTarget,
    ID: 0,
  };
}

/** A new domain: next ID, a pending DKIM key to publish, then `fields` on top. Names are kept in lower case. */
export function insertDomain(draft: StoreDraft, name: string, fields: Partial<DomainRecord> = {}): DomainRecord {
  const lowerName = name.toLowerCase();
  const key = newDkimKey(lowerName, []);
  const domain: DomainRecord = Object.assign(newDomainShape(), {
    Name: lowerName,
    SPFHost: lowerName,
    DKIMPendingHost: key.host,
    DKIMPendingTextValue: key.value,
    ID: draft.takeId(domainsCollection),
    ...fields,
  });
  draft.replace(domainsCollection, [...storedDomains(draft), domain]);
  return domain;
}

export function replaceDomain(draft: StoreDraft, updated: DomainRecord): DomainRecord {
  draft.replace(domainsCollection, storedDomains(draft).map((d) => (d.ID === updated.ID ? updated : d)));
  return updated;
}

/** The Return-Path fields after setting `returnPath` ("" clears it); a new Return-Path domain starts unverified. */
export function withReturnPath(domain: DomainRecord, returnPath: string): DomainRecord {
  if (returnPath === domain.ReturnPathDomain) return domain;
  return { ...domain, ReturnPathDomain: returnPath, ReturnPathDomainVerified: false };
}

/** The record of `type` published at exactly `host`. */
const publishedValue = (store: StateStore | StoreDraft, type: DnsRecordType, host: string) => storedDns(store).find((r) => r.Type === type && r.Host === host.toLowerCase())?.Value;

/**
 * What a lookup of `type` at `host` answers, as a resolver would: the record at that name; else, when nothing is
 * at or below that name, the wildcard (`*.<name>`) at its closest existing ancestor (RFC 4592), so a published
 * `*.example.com` answers for `pm-bounces.example.com`.
 */
function dnsValue(store: StateStore | StoreDraft, type: DnsRecordType, host: string): string | undefined {
  const hosts = storedDns(store).map((r) => r.Host);
  const exists = (name: string) => hosts.some((h) => h === name || h.endsWith(`.${name}`));
  const labels = host.toLowerCase().split(".");
  for (let i = 0; i < labels.length; i++) {
    const name = labels.slice(i).join(".");
    if (exists(name)) return publishedValue(store, type, i === 0 ? name : `*.${name}`);
  }
  return undefined;
}

const pointsToPostmark = (store: StateStore | StoreDraft, host: string) =>
  dnsValue(store, "CNAME", host)?.toLowerCase().replace(/\.$/, "") === returnPathCnameTarget;

/**
 * Checks a Return-Path domain for a domain (or a sender signature's From domain) and returns it as stored
 * (lower case; "" for none). It must be a subdomain of `domainName` (else `invalidCode`: 511 for domains, 522
 * for signatures). Its CNAME is not looked at: Postmark accepts a Return-Path domain before the CNAME exists
 * (its own client's live tests set a fresh one with no DNS step) and checks it in verifyReturnPath.
 */
export function checkReturnPathDomain(returnPath: string, domainName: string, invalidCode: number): string {
  if (returnPath === "") return "";
  const lower = returnPath.toLowerCase();
  if (!isHostName(lower) || !lower.endsWith(`.${domainName.toLowerCase()}`)) {
    throw invalid(invalidCode, `Invalid 'ReturnPathDomain': ${JSON.stringify(returnPath)}. It must be a subdomain of ${domainName}.`);
  }
  return lower;
}

const domainNotFound = (id: number | string) => invalid(domainErrorCodes.NotFound, `Domain ${id} was not found.`);

function existingDomain(store: StateStore | StoreDraft, id: number): DomainRecord {
  const found = storedDomains(store).find((d) => d.ID === id);
  if (!found) throw domainNotFound(id);
  return found;
}

function checkName(name: string | undefined): string {
  if (name === undefined || name.trim() === "") throw invalid(domainErrorCodes.NameMissing, "'Name' is a required field to create a domain.");
  if (name.length > maxNameLength) throw invalid(domainErrorCodes.NameTooLong, `'Name' must be at most ${maxNameLength} characters.`);
  if (!isHostName(name)) throw invalid(domainErrorCodes.InvalidName, `Invalid domain 'Name': ${JSON.stringify(name)}. It must be a domain name such as example.com.`);
  return name.toLowerCase();
}

function listDomains({ store, query }: RequestContext): Answer {
  const { count, offset } = parsePaging(query);
  const domains = storedDomains(store);
  return ok({ TotalCount: domains.length, Domains: domains.slice(offset, offset + count).map((d) => pick(d, listedFields)) });
}

function createDomain({ store, json }: RequestContext): Answer {
  const body = parseStringFields(json(), ["Name", "ReturnPathDomain"], "domain");
  const name = checkName(body.Name);
  const returnPath = checkReturnPathDomain(body.ReturnPathDomain ?? "", name, domainErrorCodes.InvalidFields);
  return ok(
    store.change((draft) => {
      // A sender signature on a new domain adds the domain too, so the name may be taken without any POST /domains.
      if (findDomainByName(draft, name)) throw invalid(domainErrorCodes.AlreadyExists, `The domain ${name} already exists in this account.`);
      return insertDomain(draft, name, { ReturnPathDomain: returnPath });
    }),
  );
}

function editDomain({ store, json, params }: RequestContext): Answer {
  const body = parseStringFields(json(), Object.keys(newDomainShape()), "domain");
  const others = Object.keys(body).filter((field) => field !== "ReturnPathDomain");
  if (others.length > 0 || body.ReturnPathDomain === undefined) {
    throw invalid(domainErrorCodes.InvalidFields, `Invalid fields supplied: only 'ReturnPathDomain' can be edited${others.length > 0 ? `, not ${others.map((f) => `'${f}'`).join(", ")}` : ""}.`);
  }
  return ok(
    store.change((draft) => {
      const domain = existingDomain(draft, Number(params.id));
      return replaceDomain(draft, withReturnPath(domain, checkReturnPathDomain(body.ReturnPathDomain, domain.Name, domainErrorCodes.InvalidFields)));
    }),
  );
}

/** Removes the domain and its sender signatures. */
function removeDomain(store: StateStore, id: number): DomainRecord | undefined {
  return store.change((draft) => {
    const domain = storedDomains(draft).find((d) => d.ID === id);
    if (!domain) return undefined;
    draft.replace(domainsCollection, storedDomains(draft).filter((d) => d.ID !== id));
    draft.replace(signaturesCollection, draft.list<{ Domain: string }>(signaturesCollection).filter((s) => !sameName(s.Domain, domain.Name)));
    return domain;
  });
}

function deleteDomain({ store, params }: RequestContext): Answer {
  const removed = removeDomain(store, existingDomain(store, Number(params.id)).ID)!;
  return ok({ ErrorCode: 0, Message: `Domain ${removed.Name} removed.` });
}

/**
 * The pending key becomes the active one once its TXT record is in DNS; the key it replaces (after a
 * rotation) is revoked. Without the record the domain comes back unchanged: Postmark's verify calls do not fail.
 */
function verifyDkim({ store, params }: RequestContext): Answer {
  return ok(
    store.change((draft) => {
      const domain = existingDomain(draft, Number(params.id));
      const pendingPublished = domain.DKIMPendingHost !== "" && dnsValue(draft, "TXT", domain.DKIMPendingHost) === domain.DKIMPendingTextValue;
      if (!pendingPublished) return domain;
      const replaced = domain.DKIMHost !== "";
      return replaceDomain(draft, {
        ...domain,
        DKIMVerified: true,
        DKIMHost: domain.DKIMPendingHost,
        DKIMTextValue: domain.DKIMPendingTextValue,
        DKIMPendingHost: "",
        DKIMPendingTextValue: "",
        ...(replaced && { DKIMRevokedHost: domain.DKIMHost, DKIMRevokedTextValue: domain.DKIMTextValue, SafeToRemoveRevokedKeyFromDNS: false }),
        DKIMUpdateStatus: "Verified",
      });
    }),
  );
}

/** Verified once the Return-Path domain's CNAME points to pm.mtasv.net; like DKIM, it stays verified after. */
function verifyReturnPath({ store, params }: RequestContext): Answer {
  return ok(
    store.change((draft) => {
      const domain = existingDomain(draft, Number(params.id));
      if (domain.ReturnPathDomain === "" || domain.ReturnPathDomainVerified || !pointsToPostmark(draft, domain.ReturnPathDomain)) return domain;
      return replaceDomain(draft, { ...domain, ReturnPathDomainVerified: true });
    }),
  );
}

/**
 * The deprecated SPF check, still served: Postmark no longer checks SPF (every domain reports SPFVerified true),
 * so it answers the domain as it is.
 */
const verifySpf = ({ store, params }: RequestContext): Answer => ok(existingDomain(store, Number(params.id)));

/** A new pending key; refused while one already waits for verification (505) or the DKIM state failed (508). */
function rotateDkim({ store, params }: RequestContext): Answer {
  return ok(
    store.change((draft) => {
      const domain = existingDomain(draft, Number(params.id));
      if (domain.DKIMUpdateStatus === "Pending") {
        throw invalid(domainErrorCodes.DkimRenewalPending, `A DKIM key for ${domain.Name} is already pending verification: verify ${domain.DKIMPendingHost} before rotating again.`);
      }
      if (domain.DKIMUpdateStatus === "Failed") {
        throw invalid(domainErrorCodes.DkimCannotRotate, `The DKIM key of ${domain.Name} is in a failed state and cannot be rotated. Please contact support.`);
      }
      const key = newDkimKey(domain.Name, [domain.DKIMHost, domain.DKIMRevokedHost]);
      const rotated = replaceDomain(draft, { ...domain, DKIMPendingHost: key.host, DKIMPendingTextValue: key.value, DKIMUpdateStatus: "Pending" });
      return pick(rotated, dkimFields);
    }),
  );
}

/** Whether the records Postmark asks this domain's owner for are in the emulator's DNS. */
function dnsStatus(store: StateStore | StoreDraft, domain: DomainRecord): { dkim: boolean; returnPath: boolean } {
  const awaited = domain.DKIMPendingHost !== "" ? { host: domain.DKIMPendingHost, value: domain.DKIMPendingTextValue } : { host: domain.DKIMHost, value: domain.DKIMTextValue };
  return {
    dkim: awaited.host !== "" && dnsValue(store, "TXT", awaited.host) === awaited.value,
    returnPath: domain.ReturnPathDomain !== "" && pointsToPostmark(store, domain.ReturnPathDomain),
  };
}

function setDnsRecord(draft: StoreDraft, type: DnsRecordType, host: string, value: string | undefined): void {
  const others = storedDns(draft).filter((r) => !(r.Type === type && r.Host === host.toLowerCase()));
  draft.replace(dnsCollection, value === undefined ? others : [...others, { Host: host.toLowerCase(), Type: type, Value: value }]);
}

const missingByHand = (id: string): never => adminNotFound(`No domain with ID ${id}`);
const domainByHand = (store: StateStore | StoreDraft, id: string) => storedDomains(store).find((d) => d.ID === Number(id)) ?? missingByHand(id);

function dnsRecordType(type: string): DnsRecordType {
  const known = dnsRecordTypes.find((t) => t === type.toUpperCase());
  if (!known) throw badRequest(`the record type must be ${dnsRecordTypes.join(" or ")}; got ${JSON.stringify(type)}`);
  return known;
}

const adminRoutes: AdminRoute[] = [
  { method: "GET", path: "/domains", handle: ({ store }) => ok(storedDomains(store)) },
  {
    // As in Postmark's web UI: an ID and a pending DKIM key are assigned; nothing else is checked.
    method: "POST",
    path: "/domains",
    handle: async ({ store, body }) => {
      const { Name, ...fields } = await body();
      if (typeof Name !== "string" || "ID" in fields) throw badRequest("send a string Name, and no ID (it is assigned)");
      return ok(
        store.change((draft) => {
          if (findDomainByName(draft, Name)) throw badRequest(`the domain ${Name} already exists`);
          return insertDomain(draft, Name, fields as Partial<DomainRecord>);
        }),
      );
    },
  },
  {
    // Bypasses every check, e.g. to simulate drift, a failed DKIM state or a revoked key safe to remove.
    method: "PATCH",
    path: "/domains/{id:int}",
    handle: async ({ store, body, params }) => {
      const fields = await body();
      if ("ID" in fields || "Name" in fields) throw badRequest("the ID and Name cannot be changed (a domain's signatures hang on its Name)");
      return ok(store.change((draft) => replaceDomain(draft, { ...domainByHand(draft, params.id), ...fields })));
    },
  },
  { method: "DELETE", path: "/domains/{id:int}", handle: ({ store, params }) => ok(removeDomain(store, Number(params.id)) ?? missingByHand(params.id)) },
  { method: "GET", path: "/domains/{id:int}/dns", handle: ({ store, params }) => ok(dnsStatus(store, domainByHand(store, params.id))) },
  {
    // What the domain's owner does at their DNS provider: publish (true) or remove (false) the records Postmark asks for.
    method: "PUT",
    path: "/domains/{id:int}/dns",
    handle: async ({ store, body, params }) => {
      const { dkim, returnPath, ...unknown } = await body();
      if (Object.keys(unknown).length > 0 || ![dkim, returnPath].every((v) => v === undefined || typeof v === "boolean")) {
        throw badRequest("send dkim and/or returnPath, each true (publish) or false (remove)");
      }
      return ok(
        store.change((draft) => {
          const domain = domainByHand(draft, params.id);
          if (dkim !== undefined) {
            for (const [host, value] of [
              [domain.DKIMHost, domain.DKIMTextValue],
              [domain.DKIMPendingHost, domain.DKIMPendingTextValue],
              [domain.DKIMRevokedHost, undefined],
            ]) {
              // The revoked key is only ever removed: publishing it again would not help anything.
              if (host !== "" && (dkim === false || value !== undefined)) setDnsRecord(draft, "TXT", host!, dkim ? value : undefined);
            }
          }
          if (returnPath !== undefined) {
            if (domain.ReturnPathDomain === "") throw badRequest(`domain ${domain.ID} has no ReturnPathDomain; publish a CNAME with PUT /__emulator/dns/CNAME/<host>`);
            setDnsRecord(draft, "CNAME", domain.ReturnPathDomain, returnPath ? returnPathCnameTarget : undefined);
          }
          return dnsStatus(draft, domain);
        }),
      );
    },
  },
  { method: "GET", path: "/dns", handle: ({ store }) => ok(storedDns(store)) },
  {
    // Any record, e.g. a Return-Path CNAME before its domain exists, or one that points elsewhere.
    method: "PUT",
    path: "/dns/{type}/{host}",
    handle: async ({ store, body, params }) => {
      const type = dnsRecordType(params.type);
      const { Value } = await body();
      if (typeof Value !== "string") throw badRequest("send the record's Value as a string");
      store.change((draft) => setDnsRecord(draft, type, params.host, Value));
      return ok(storedDns(store));
    },
  },
  {
    method: "DELETE",
    path: "/dns/{type}/{host}",
    handle: ({ store, params }) => {
      const type = dnsRecordType(params.type);
      if (publishedValue(store, type, params.host) === undefined) adminNotFound(`No ${type} record at ${params.host}`);
      store.change((draft) => setDnsRecord(draft, type, params.host, undefined));
      return ok(storedDns(store));
    },
  },
];

/**
 * Postmark's paths ignore case and a trailing slash: the official client posts to "/domains/" and calls
 * "/verifyDKIM" and "/rotateDKIM" where the docs write "/verifyDkim" and "/rotatedkim". The emulator serves
 * the documented spelling and the official client's, no others.
 */
export function spelledAs<Context extends RequestContext>(route: Omit<Route<Context>, "path">, ...paths: string[]): Route<Context>[] {
  return paths.map((path) => ({ ...route, path }));
}

export const domainsApi: ApiModule = {
  name: "domains",
  token: "account",
  collections: [{ name: domainsCollection, idCounter: "nextDomainId" }, { name: dnsCollection }],
  routes: [
    ...spelledAs({ method: "GET", handle: listDomains }, "/domains", "/domains/"),
    ...spelledAs({ method: "POST", create: true, handle: createDomain }, "/domains", "/domains/"),
    { method: "GET", path: "/domains/{id:int}", handle: ({ store, params }) => ok(existingDomain(store, Number(params.id))) },
    { method: "PUT", path: "/domains/{id:int}", handle: editDomain },
    { method: "DELETE", path: "/domains/{id:int}", handle: deleteDomain },
    ...spelledAs({ method: "PUT", handle: verifyDkim }, "/domains/{id:int}/verifyDkim", "/domains/{id:int}/verifyDKIM"),
    ...spelledAs({ method: "PUT", handle: verifyReturnPath }, "/domains/{id:int}/verifyReturnPath"),
    ...spelledAs({ method: "POST", handle: rotateDkim }, "/domains/{id:int}/rotatedkim", "/domains/{id:int}/rotateDKIM"),
    ...spelledAs({ method: "POST", handle: verifySpf }, "/domains/{id:int}/verifyspf", "/domains/{id:int}/verifySPF"),
  ],
  adminRoutes,
};
