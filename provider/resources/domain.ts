/**
 * PostmarkDomain: a sending domain of the account (account token). Its outputs are the DNS records to publish
 * (DKIM TXT, Return-Path CNAME) as ready-to-use values, so a program can hand them to its DNS provider's
 * resources; checking them is PostmarkDomainVerification's job, never create's.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResourceContext, ResourceDeclaration, OutputField } from "../core/declaration";
import { interruptedCreateAdvice, PostmarkProviderError } from "../core/errors";
import { unknownValue, Values } from "../core/fields";
import { everyListItem, readWhole } from "../core/paging";
import { ApiObject } from "../core/postmarkClient";
import { PostmarkResource } from "../core/resource";

/** Where every Return-Path CNAME points. Fixed, so the record can be published before the domain exists. */
export const returnPathCnameTarget = "pm.mtasv.net";

/**
 * What is wrong with a domain name, or undefined. Lower case only: Postmark stores names in lower case, so
 * another case would show a change on every preview.
 */
export function domainNameProblem(name: string): string | undefined {
  if (name !== name.toLowerCase()) return `write it in lower case (${JSON.stringify(name.toLowerCase())}), as Postmark stores it`;
  const labels = name.split(".");
  const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
  const topLevel = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
  const isHostName = name.length <= 253 && labels.length >= 2 && labels.every((l) => label.test(l)) && topLevel.test(labels[labels.length - 1]);
  return isHostName ? undefined : "it must be a domain name such as example.com (no scheme, path, port or address)";
}

/** The Return-Path domain is a subdomain of `domain` (both known and valid), or says why not. */
export function returnPathProblem(returnPath: unknown, domain: unknown, input: string): { property: string; reason: string }[] {
  if (typeof returnPath !== "string" || returnPath === "" || typeof domain !== "string" || domain === unknownValue) return [];
  if (returnPath.endsWith(`.${domain}`)) return [];
  return [
    {
      property: "returnPathDomain",
      reason: `returnPathDomain is ${JSON.stringify(returnPath)}; it must be a subdomain of ${input} ${JSON.stringify(domain)}, e.g. "pm-bounces.${domain}"`,
    },
  ];
}

/** DNS names and values, fields of both a domain and a sender signature (whose domain's they are). */
export const dkimRecord = (object: ApiObject, part: "Host" | "TextValue") => (object[`DKIMPending${part}`] || object[`DKIM${part}`]) ?? "";

export const dnsOutputs: readonly (OutputField & { output: keyof DomainDnsOutputs })[] = [
  {
    output: "dkimHost",
    api: "DKIMPendingHost, else DKIMHost",
    derive: (object) => dkimRecord(object, "Host"),
    description:
      "Where to publish the DKIM TXT record: the key waiting for verification while there is one, else the active key. " +
      "It keeps its value when verification makes the pending key the active one.",
  },
  {
    output: "dkimTextValue",
    api: "DKIMPendingTextValue, else DKIMTextValue",
    derive: (object) => dkimRecord(object, "TextValue"),
    description: "The DKIM TXT record's value (`k=rsa;p=...`), for the same key as `dkimHost`.",
  },
  { output: "dkimPendingHost", api: "DKIMPendingHost", description: "The host of the key waiting for verification (new domain, or after a rotation); \"\" when none." },
  { output: "dkimPendingTextValue", api: "DKIMPendingTextValue", description: "The TXT value of the key waiting for verification; \"\" when none." },
  { output: "dkimActiveHost", api: "DKIMHost", description: "The host of the key Postmark signs with; \"\" until the first verification." },
  { output: "dkimActiveTextValue", api: "DKIMTextValue", description: "The TXT value of the key Postmark signs with." },
  { output: "dkimRevokedHost", api: "DKIMRevokedHost", description: "The host of the key a rotation replaced; \"\" when none." },
  { output: "dkimRevokedTextValue", api: "DKIMRevokedTextValue", description: "The TXT value of the key a rotation replaced." },
  {
    output: "safeToRemoveRevokedKeyFromDns",
    type: "boolean",
    api: "SafeToRemoveRevokedKeyFromDNS",
    description: "Whether the revoked key's TXT record may now be removed from DNS.",
  },
  {
    output: "dkimVerified",
    api: "DKIMVerified",
    type: "boolean",
    description:
      "Postmark's flag: a DKIM key of this domain was verified once. It stays true when the record is later removed from DNS.",
  },
  { output: "weakDkim", api: "WeakDKIM", type: "boolean", description: "Whether the active DKIM key is weaker than Postmark's current standard." },
  { output: "dkimUpdateStatus", api: "DKIMUpdateStatus", description: "`Pending` while a DKIM key waits for verification, then `Verified`." },
  { output: "returnPathCnameValue", api: "ReturnPathDomainCNAMEValue", description: `What the Return-Path CNAME points to (\`${returnPathCnameTarget}\`).` },
  {
    output: "returnPathVerified",
    api: "ReturnPathDomainVerified",
    type: "boolean",
    // Postmark verifies a new Return-Path domain anew.
    changedBy: ["returnPathDomain"],
    description: "Whether Postmark found the Return-Path CNAME. Like dkimVerified, it stays true when the record is later removed.",
  },
];

/**
 * The outputs `dnsOutputs` declares, as properties of the classes that have them: PostmarkDomain, and
 * PostmarkSenderSignature (the records of its From address's domain).
 */
export interface DomainDnsOutputs {
  /** Where to publish the DKIM TXT record: the pending key while there is one, else the active key. */
  readonly dkimHost: pulumi.Output<string>;
  /** The DKIM TXT record's value for `dkimHost`. */
  readonly dkimTextValue: pulumi.Output<string>;
  readonly dkimPendingHost: pulumi.Output<string>;
  readonly dkimPendingTextValue: pulumi.Output<string>;
  readonly dkimActiveHost: pulumi.Output<string>;
  readonly dkimActiveTextValue: pulumi.Output<string>;
  readonly dkimRevokedHost: pulumi.Output<string>;
  readonly dkimRevokedTextValue: pulumi.Output<string>;
  readonly safeToRemoveRevokedKeyFromDns: pulumi.Output<boolean>;
  /** Postmark's "a DKIM key was verified once": stays true after the record is removed. */
  readonly dkimVerified: pulumi.Output<boolean>;
  readonly weakDkim: pulumi.Output<boolean>;
  /** `Pending` while a DKIM key waits for verification, then `Verified`. */
  readonly dkimUpdateStatus: pulumi.Output<string>;
  /** The Return-Path CNAME's target, `pm.mtasv.net`. */
  readonly returnPathCnameValue: pulumi.Output<string>;
  /** Whether Postmark found the Return-Path CNAME once: stays true after the record is removed. */
  readonly returnPathVerified: pulumi.Output<boolean>;
}

const listPath = "/domains";
const allDomains = (context: ResourceContext) => everyListItem(context, { method: "GET", path: listPath, verb: "list" }, "Domains");
const sameName = (object: ApiObject, name: unknown) => String(object.Name).toLowerCase() === String(name).toLowerCase();

export const domainDeclaration: ResourceDeclaration = {
  kind: "PostmarkDomain",
  noun: "domain",
  description:
    "A sending domain of the Postmark account: its outputs are the DKIM TXT and Return-Path CNAME records to publish " +
    "(hand them to your DNS provider's resources), and PostmarkDomainVerification checks them.",
  token: "account",
  apiId: "ID",
  fields: [
    {
      input: "name",
      api: "Name",
      type: "string",
      required: true,
      replaceOnChange: true,
      rule: domainNameProblem,
      description: "The domain, in lower case (e.g. `example.com`). Changing it replaces the domain (new ID and DKIM key).",
    },
    {
      input: "returnPathDomain",
      api: "ReturnPathDomain",
      type: "string",
      default: "",
      rule: (value: string) => (value === "" ? undefined : domainNameProblem(value)),
      description:
        'A subdomain of the domain (e.g. `pm-bounces.example.com`) used as the Return-Path of its mail; "" for none, and ' +
        "removing it clears it. Its CNAME to `pm.mtasv.net` need not exist yet: PostmarkDomainVerification checks it.",
    },
  ],
  outputs: [{ output: "domainId", api: "ID", type: "integer", description: "Postmark's numeric domain ID (the resource's ID is the same number as a string)." }, ...dnsOutputs],
  adopt: {
    input: "adoptDomainId",
    type: "integer",
    description:
      "The ID of a domain already on the account to bring under management instead of creating one: the first `pulumi up` " +
      "reads it and brings its Return-Path domain to the declared value with at most one edit.",
  },
  api: {
    create: { method: "POST", path: listPath },
    read: { method: "GET", path: "/domains/{id}" },
    update: { method: "PUT", path: "/domains/{id}" },
    delete: { method: "DELETE", path: "/domains/{id}" },
  },
  listedAsSummaries: true,
  isNotFound: (error) => error.errorCode === 510,
  label: (values) => String(values.name),
  hooks: {
    checkRules: (news: Values) => returnPathProblem(news.returnPathDomain, news.name, "name"),
    recovery: {
      listAll: allDomains,
      // The listing shows only a summary of each domain: the match (names are unique) is read whole.
      findSame: async (context, news) => {
        const matches = (await allDomains(context)).filter((d) => sameName(d, news.name));
        return readWhole(context, matches);
      },
      isConflict: (error) => error.errorCode === 512,
      onConflict: async (_context, news, existing) =>
        new PostmarkProviderError(
          `The domain ${news.name} is already on this Postmark account (ID ${existing[0].ID}), and a domain can be added only once. ` +
            `To manage it from this program, set \`adoptDomainId: ${existing[0].ID}\` on this resource. (A sender signature on ` +
            `the domain adds it too: declare the domain before its signatures.) ${interruptedCreateAdvice("domain")}`,
        ),
    },
  },
};

/** A sending domain of the account. */
export interface PostmarkDomainArgs {
  /** The domain, in lower case (e.g. `example.com`). **Changing it replaces the domain** (a new ID and DKIM key). */
  name: pulumi.Input<string>;
  /**
   * A subdomain of `name` (e.g. `pm-bounces.example.com`) used as the Return-Path of the domain's mail; its CNAME
   * points to `pm.mtasv.net` (`returnPathCnameTarget`). Postmark takes it before that CNAME exists, so the domain
   * need not wait for the record: PostmarkDomainVerification checks it. `""` or leaving it out after setting it
   * clears it. Default: none.
   */
  returnPathDomain?: pulumi.Input<string>;
  /** The ID of a domain already on the account, to manage it instead of creating one (e.g. after ErrorCode 512). */
  adoptDomainId?: pulumi.Input<number>;
}

/**
 * A sending domain of the Postmark account. Publish `dkimHost`/`dkimTextValue` as a TXT record and the Return-Path
 * CNAME with your DNS provider, then verify with PostmarkDomainVerification.
 *
 * @example
 * const domain = new PostmarkDomain("example", { name: "example.com", returnPathDomain: "pm-bounces.example.com" });
 */
export class PostmarkDomain extends PostmarkResource {
  /** Postmark's numeric domain ID. */
  declare readonly domainId: pulumi.Output<number>;
  declare readonly name: pulumi.Output<string>;
  /** The Return-Path domain, "" when none. */
  declare readonly returnPathDomain: pulumi.Output<string>;
  /** The inputs this resource manages; kept because diffs only see outputs. */
  declare readonly managedFields: pulumi.Output<string[]>;
  declare readonly adoptDomainId: pulumi.Output<number | undefined>;

  /** Reads an existing domain by ID without managing it. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): PostmarkDomain {
    return new PostmarkDomain(name, undefined as unknown as PostmarkDomainArgs, { ...opts, id });
  }

  constructor(name: string, args: PostmarkDomainArgs, opts?: pulumi.CustomResourceOptions) {
    super(domainDeclaration, name, args, opts);
  }
}
// The DNS outputs' properties (dkimHost and the rest), declared once for the domain and its sender signatures.
export interface PostmarkDomain extends DomainDnsOutputs {}
