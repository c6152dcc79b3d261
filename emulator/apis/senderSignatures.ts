/**
 * Postmark's Sender Signatures API (account token): /senders. A signature is one From address, confirmed when a
 * person clicks the link Postmark emails to it (the admin API stands in for that click). DKIM and the
 * Return-Path belong to the address's domain: a signature on a domain the account does not have yet adds the
 * domain, shows the domain's DKIM and Return-Path fields, and its ReturnPathDomain is the domain's. Requests say
 * FromEmail/ReplyToEmail where responses say EmailAddress/ReplyToEmailAddress. ErrorCodes 500-522 from
 * Postmark's published list; see /work/shared/postmark-more-apis.md and the README for the choices where
 * Postmark's behaviour is unknown.
 */
import { AdminRoute, ApiModule, RequestContext, Route } from "../api";
import { adminNotFound, ApiError, badRequest, invalid } from "../errors";
import { Answer, ok } from "../http";
import { StateStore, StoreDraft } from "../store";
import {
  checkReturnPathDomain,
  DomainRecord,
  domainAuthenticationFields,
  findDomainByName,
  insertDomain,
  isHostName,
  parsePaging,
  parseStringFields,
  pick,
  replaceDomain,
  signaturesCollection,
  spelledAs,
  withReturnPath,
} from "./domains";

export const signatureErrorCodes = {
  InvalidQuery: 500,
  NotFound: 501,
  NoUpdateData: 502,
  PublicDomain: 503,
  AlreadyExists: 504,
  AlreadyConfirmed: 506,
  FieldMissing: 520,
  FieldTooLong: 521,
  InvalidValue: 522,
} as const;

/** A signature as stored; responses add its domain's DKIM and Return-Path fields (see asPostmark). */
export interface StoredSignature {
  ID: number;
  /** The From address's domain, in lower case: the name of a stored domain. */
  Domain: string;
  EmailAddress: string;
  /** "" when none. */
  ReplyToEmailAddress: string;
  Name: string;
  Confirmed: boolean;
  /** "" when none. */
  ConfirmationPersonalNote: string;
}

/** What each request may carry; FromEmail can never change (a new address is a new signature). */
const createFields = ["FromEmail", "Name", "ReplyToEmail", "ReturnPathDomain", "ConfirmationPersonalNote"] as const;
const editFields = ["Name", "ReplyToEmail", "ReturnPathDomain", "ConfirmationPersonalNote"] as const;
type SignatureBody = Partial<Record<(typeof createFields)[number], string>>;

/** The longest value Postmark takes per field (521 beyond). */
const maxLengths: Partial<Record<keyof SignatureBody, number>> = { FromEmail: 255, Name: 255, ReplyToEmail: 255, ConfirmationPersonalNote: 400 };

/**
 * Mail domains anyone can sign up for: Postmark refuses signatures on them (503), since their owners' DMARC
 * policies would reject mail Postmark sends in their name.
 */
const publicMailDomains = new Set([
  "gmail.com",
  "googlemail.com",
  "yahoo.com",
  "ymail.com",
  "rocketmail.com",
  "hotmail.com",
  "outlook.com",
  "live.com",
  "msn.com",
  "aol.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "mail.com",
  "gmx.com",
  "gmx.net",
  "gmx.de",
  "web.de",
  "yandex.com",
  "yandex.ru",
  "mail.ru",
  "protonmail.com",
  "proton.me",
  "zoho.com",
  "qq.com",
  "163.com",
]);
/** The country editions of the big ones: yahoo.co.uk, hotmail.fr, outlook.com.br, live.co.jp, ... */
const publicMailDomainEditions = /^(?:yahoo|hotmail|outlook|live)\.(?:co\.|com\.)?[a-z]{2,3}$/;
export const isPublicMailDomain = (domain: string) => publicMailDomains.has(domain) || publicMailDomainEditions.test(domain);

/** local@domain: dot-atoms of RFC 5322 (no quoted local parts), at most 64 characters before the @, a host name after. */
export function isEmailAddress(address: string): boolean {
  const at = address.lastIndexOf("@");
  const local = address.slice(0, at);
  const atom = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
  return at > 0 && local.length <= 64 && new RegExp(`^${atom}(?:\\.${atom})*$`).test(local) && isHostName(address.slice(at + 1));
}

const domainOf = (address: string) => address.slice(address.lastIndexOf("@") + 1).toLowerCase();

export const storedSignatures = (store: StateStore | StoreDraft): StoredSignature[] => store.list<StoredSignature>(signaturesCollection).sort((a, b) => a.ID - b.ID);

/** Postmark's response: the signature, its domain's DKIM and Return-Path fields, in Postmark's order. */
function asPostmark(signature: StoredSignature, domain: DomainRecord) {
  const { ID, Domain, EmailAddress, ReplyToEmailAddress, Name, Confirmed, ConfirmationPersonalNote } = signature;
  return { Domain, EmailAddress, ReplyToEmailAddress, Name, Confirmed, ...pick(domain, domainAuthenticationFields), ID, ConfirmationPersonalNote };
}

/** The domain every signature has: it is added with the signature and its deletion takes the signature along. */
function domainOfSignature(store: StateStore | StoreDraft, signature: StoredSignature): DomainRecord {
  const domain = findDomainByName(store, signature.Domain);
  if (!domain) throw new Error(`sender signature ${signature.ID} has no domain ${signature.Domain} in the state`);
  return domain;
}

/**
 * Postmark's docs disagree on a missing signature: 422 (the error list) or 404 (newer pages), ErrorCode 501 in
 * both. The admin setting missingSignature picks one; 422 by default.
 */
function signatureNotFound(apiSettings: Record<string, unknown>, id: number | string): ApiError {
  return new ApiError(apiSettings.missingSignature === "404" ? 404 : 422, signatureErrorCodes.NotFound, `Sender signature ${id} was not found.`);
}

function existingSignature(store: StateStore | StoreDraft, apiSettings: Record<string, unknown>, id: number): StoredSignature {
  const found = storedSignatures(store).find((s) => s.ID === id);
  if (!found) throw signatureNotFound(apiSettings, id);
  return found;
}

/**
 * The core answers a thrown 404 bare, as Postmark does for a missing server; a missing signature's 404 keeps
 * Postmark's error body.
 */
const keepingNotFoundBody =
  (handle: (context: RequestContext) => Answer) =>
  (context: RequestContext): Answer => {
    try {
      return handle(context);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return { status: 404, body: error.body };
      throw error;
    }
  };

/** Required fields (520), lengths and blank notes (521), then addresses (522), as Postmark validates them. */
function checkFields(body: SignatureBody, required: (keyof SignatureBody)[]): void {
  for (const field of required) {
    if (body[field] === undefined || body[field]!.trim() === "") {
      throw invalid(signatureErrorCodes.FieldMissing, `'${field}' is a required field to ${required.includes("FromEmail") ? "create" : "edit"} a sender signature.`);
    }
  }
  for (const [field, max] of Object.entries(maxLengths) as [keyof SignatureBody, number][]) {
    if ((body[field]?.length ?? 0) > max) throw invalid(signatureErrorCodes.FieldTooLong, `'${field}' must be at most ${max} characters.`);
  }
  if (body.ConfirmationPersonalNote !== undefined && body.ConfirmationPersonalNote.trim() === "") {
    throw invalid(signatureErrorCodes.FieldTooLong, "'ConfirmationPersonalNote' cannot be blank: leave it out for none.");
  }
  for (const field of ["FromEmail", "ReplyToEmail"] as const) {
    const address = body[field];
    // An empty ReplyToEmail means none.
    if (address !== undefined && !(field === "ReplyToEmail" && address === "") && !isEmailAddress(address)) {
      throw invalid(signatureErrorCodes.InvalidValue, `Invalid email address in '${field}': ${JSON.stringify(address)}.`);
    }
  }
}

function listSignatures({ store, query }: RequestContext): Answer {
  const { count, offset } = parsePaging(query);
  const signatures = storedSignatures(store);
  return ok({
    TotalCount: signatures.length,
    SenderSignatures: signatures.slice(offset, offset + count).map((s) => pick(s, ["Domain", "EmailAddress", "ReplyToEmailAddress", "Name", "Confirmed", "ID"])),
  });
}

function createSignature({ store, json }: RequestContext): Answer {
  const body: SignatureBody = parseStringFields(json(), createFields, "sender signature");
  checkFields(body, ["FromEmail", "Name"]);
  const domainName = domainOf(body.FromEmail!);
  if (isPublicMailDomain(domainName)) {
    throw invalid(signatureErrorCodes.PublicDomain, `You cannot use a public domain such as ${domainName} for a sender signature: use an address on a domain you own.`);
  }
  return ok(
    store.change((draft) => {
      // On create, an empty ReturnPathDomain leaves the domain's as it is.
      const returnPath = body.ReturnPathDomain ? checkReturnPathDomain(body.ReturnPathDomain, domainName, signatureErrorCodes.InvalidValue) : undefined;
      if (storedSignatures(draft).some((s) => s.EmailAddress.toLowerCase() === body.FromEmail!.toLowerCase())) {
        throw invalid(signatureErrorCodes.AlreadyExists, `A sender signature for ${body.FromEmail} already exists.`);
      }
      let domain = findDomainByName(draft, domainName) ?? insertDomain(draft, domainName);
      if (returnPath !== undefined) domain = replaceDomain(draft, withReturnPath(domain, returnPath));
      const signature = insertSignature(draft, {
        Domain: domain.Name,
        EmailAddress: body.FromEmail!,
        ReplyToEmailAddress: body.ReplyToEmail ?? "",
        Name: body.Name!,
        ConfirmationPersonalNote: body.ConfirmationPersonalNote ?? "",
      });
      return asPostmark(signature, domain);
    }),
  );
}

function insertSignature(draft: StoreDraft, fields: Omit<StoredSignature, "ID" | "Confirmed"> & Partial<StoredSignature>): StoredSignature {
  const signature: StoredSignature = { ID: draft.takeId(signaturesCollection), Confirmed: false, ...fields };
  draft.replace(signaturesCollection, [...storedSignatures(draft), signature]);
  return signature;
}

function replaceSignature(draft: StoreDraft, updated: StoredSignature): StoredSignature {
  draft.replace(signaturesCollection, storedSignatures(draft).map((s) => (s.ID === updated.ID ? updated : s)));
  return updated;
}

/** Name on every edit; other fields left out stay; "" clears ReplyToEmail or (the domain's) ReturnPathDomain. */
function editSignature({ store, json, params, apiSettings }: RequestContext): Answer {
  const body: SignatureBody = parseStringFields(json(), editFields, "sender signature");
  if (Object.keys(body).length === 0) throw invalid(signatureErrorCodes.NoUpdateData, "No updated sender signature data received: send at least 'Name'.");
  checkFields(body, ["Name"]);
  return ok(
    store.change((draft) => {
      const signature = existingSignature(draft, apiSettings, Number(params.id));
      let domain = domainOfSignature(draft, signature);
      if (body.ReturnPathDomain !== undefined) {
        domain = replaceDomain(draft, withReturnPath(domain, checkReturnPathDomain(body.ReturnPathDomain, domain.Name, signatureErrorCodes.InvalidValue)));
      }
      const updated = replaceSignature(draft, {
        ...signature,
        Name: body.Name!,
        ...(body.ReplyToEmail !== undefined && { ReplyToEmailAddress: body.ReplyToEmail }),
        ...(body.ConfirmationPersonalNote !== undefined && { ConfirmationPersonalNote: body.ConfirmationPersonalNote }),
      });
      return asPostmark(updated, domain);
    }),
  );
}

function getSignature({ store, params, apiSettings }: RequestContext): Answer {
  const signature = existingSignature(store, apiSettings, Number(params.id));
  return ok(asPostmark(signature, domainOfSignature(store, signature)));
}

function deleteSignature({ store, params, apiSettings }: RequestContext): Answer {
  const removed = store.change((draft) => {
    const signature = existingSignature(draft, apiSettings, Number(params.id));
    draft.replace(signaturesCollection, storedSignatures(draft).filter((s) => s.ID !== signature.ID));
    return signature;
  });
  return ok({ ErrorCode: 0, Message: `Signature ${removed.EmailAddress} removed.` });
}

/** Emails the confirmation link again (nothing is sent here); pointless once a person has clicked it (506). */
function resendConfirmation({ store, params, apiSettings }: RequestContext): Answer {
  const signature = existingSignature(store, apiSettings, Number(params.id));
  if (signature.Confirmed) throw invalid(signatureErrorCodes.AlreadyConfirmed, `The sender signature ${signature.EmailAddress} is already confirmed.`);
  return ok({ ErrorCode: 0, Message: `Confirmation email for Sender Signature ${signature.EmailAddress} was re-sent.` });
}

const missingByHand = (id: string): never => adminNotFound(`No sender signature with ID ${id}`);
const signatureByHand = (store: StateStore | StoreDraft, id: string) => storedSignatures(store).find((s) => s.ID === Number(id)) ?? missingByHand(id);

const adminRoutes: AdminRoute[] = [
  { method: "GET", path: "/senders", handle: ({ store }) => ok(storedSignatures(store)) },
  {
    // As in Postmark's web UI: an ID is assigned and the domain added if the account does not have it; nothing else is checked.
    method: "POST",
    path: "/senders",
    handle: async ({ store, body }) => {
      const { EmailAddress, Name, ...fields } = await body();
      if (typeof EmailAddress !== "string" || !EmailAddress.includes("@") || typeof Name !== "string" || "ID" in fields || "Domain" in fields) {
        throw badRequest("send a string EmailAddress (with an @) and Name, and no ID or Domain (they are assigned)");
      }
      return ok(
        store.change((draft) => {
          if (storedSignatures(draft).some((s) => s.EmailAddress.toLowerCase() === EmailAddress.toLowerCase())) throw badRequest(`a signature for ${EmailAddress} already exists`);
          const domain = findDomainByName(draft, domainOf(EmailAddress)) ?? insertDomain(draft, domainOf(EmailAddress));
          return insertSignature(draft, { Domain: domain.Name, EmailAddress, Name, ReplyToEmailAddress: "", ConfirmationPersonalNote: "", ...fields });
        }),
      );
    },
  },
  {
    // Bypasses every check, e.g. to simulate drift.
    method: "PATCH",
    path: "/senders/{id:int}",
    handle: async ({ store, body, params }) => {
      const fields = await body();
      if (["ID", "Domain", "EmailAddress"].some((field) => field in fields)) throw badRequest("the ID, Domain and EmailAddress cannot be changed");
      return ok(store.change((draft) => replaceSignature(draft, { ...signatureByHand(draft, params.id), ...fields })));
    },
  },
  {
    method: "DELETE",
    path: "/senders/{id:int}",
    handle: ({ store, params }) =>
      ok(
        store.change((draft) => {
          const signature = signatureByHand(draft, params.id);
          draft.replace(signaturesCollection, storedSignatures(draft).filter((s) => s.ID !== signature.ID));
          return signature;
        }),
      ),
  },
  {
    // What a person clicking the link in Postmark's confirmation email does.
    method: "POST",
    path: "/senders/{id:int}/confirm",
    handle: ({ store, params }) => ok(store.change((draft) => replaceSignature(draft, { ...signatureByHand(draft, params.id), Confirmed: true }))),
  },
];

const routes: Route[] = [
  ...spelledAs({ method: "GET", handle: listSignatures }, "/senders", "/senders/"),
  ...spelledAs({ method: "POST", create: true, handle: createSignature }, "/senders", "/senders/"),
  { method: "GET", path: "/senders/{id:int}", handle: getSignature },
  { method: "PUT", path: "/senders/{id:int}", handle: editSignature },
  { method: "DELETE", path: "/senders/{id:int}", handle: deleteSignature },
  { method: "POST", path: "/senders/{id:int}/resend", handle: resendConfirmation },
  // The deprecated SPF check: Postmark no longer checks SPF, so it answers the signature as it is.
  ...spelledAs({ method: "POST", handle: getSignature }, "/senders/{id:int}/verifyspf", "/senders/{id:int}/verifySpf"),
];

export const senderSignaturesApi: ApiModule = {
  name: "senders",
  token: "account",
  collections: [{ name: signaturesCollection, idCounter: "nextSenderSignatureId" }],
  settings: {
    missingSignature: { default: "422", expected: '"422" or "404"', accepts: (value) => value === "422" || value === "404" },
  },
  routes: routes.map((route) => ({ ...route, handle: keepingNotFoundBody(route.handle as (context: RequestContext) => Answer) })),
  adminRoutes,
};
