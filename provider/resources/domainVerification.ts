/**
 * PostmarkDomainVerification: runs Postmark's DNS checks of a domain (DKIM, Return-Path) as a step of its own, so
 * that a program can put it after the DNS records it publishes (`dependsOn`). Nothing is made in Postmark: create
 * and update verify (and, with `waitTimeout`, poll until verified), read re-reads the domain, delete does nothing.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResourceContext, ResourceDeclaration } from "../core/declaration";
import { PostmarkProviderError } from "../core/errors";
import { Values } from "../core/fields";
import { ApiObject } from "../core/postmarkClient";
import { sleep } from "../core/requestGate";
import { PostmarkResource } from "../core/resource";
import { dkimRecord, returnPathCnameTarget } from "./domain";

/** The longest wait one `pulumi up` may spend on DNS; beyond that, run `up` again later. */
export const maxWaitTimeoutSeconds = 3600;
/** Polling starts quickly (DNS is often there already) and backs off to this. */
const firstPollDelayMs = 1000;
const maxPollDelayMs = 30_000;

interface Check {
  /** The input that asks for it. */
  readonly input: "dkim" | "returnPath";
  /** Its output, and how it is read from the domain. */
  readonly output: "dkimVerified" | "returnPathVerified";
  readonly passed: (domain: ApiObject) => boolean;
  /** Postmark's check: PUT, no body, answered with the whole domain. */
  readonly path: string;
  /** In error messages: "verify DKIM of domain". */
  readonly operation: string;
  /** What to publish when it has not passed. */
  readonly advice: (domain: ApiObject) => string;
}

const checks: readonly Check[] = [
  {
    input: "dkim",
    output: "dkimVerified",
    // DKIMVerified alone means "a key was verified once": after a rotation the new key is pending (and unverified).
    passed: (domain) => domain.DKIMVerified === true && domain.DKIMUpdateStatus !== "Pending",
    path: "/domains/{id}/verifyDkim",
    operation: "verify DKIM of domain",
    advice: (domain) => {
      const host = dkimRecord(domain, "Host");
      const value = String(dkimRecord(domain, "TextValue"));
      return (
        `DKIM: Postmark finds no TXT record at ${host} holding the domain's key (${value.slice(0, 20)}..., the PostmarkDomain's ` +
        `dkimHost and dkimTextValue outputs). Check it with \`dig +short TXT ${host}\`.`
      );
    },
  },
  {
    input: "returnPath",
    output: "returnPathVerified",
    passed: (domain) => domain.ReturnPathDomainVerified === true,
    path: "/domains/{id}/verifyReturnPath",
    operation: "verify Return-Path of domain",
    advice: (domain) =>
      `Return-Path: Postmark finds no CNAME record at ${domain.ReturnPathDomain} pointing to ${returnPathCnameTarget}. ` +
      `Check it with \`dig +short CNAME ${domain.ReturnPathDomain}\`.`,
  },
];

/** The checks the inputs ask for: both unless one is set to false. */
const wantedChecks = (news: Values) => checks.filter((check) => news[check.input] !== false);
const describeDomain = (domain: ApiObject) => `Postmark domain ${domain.Name} (ID ${domain.ID})`;

// A check changes nothing but the domain's flags, so an answer lost on the way may be asked for again.
const runCheck = (context: ResourceContext, domainId: string, check: Check) =>
  context.client.send({
    operation: check.operation,
    target: domainId,
    method: "PUT",
    path: check.path.replace("{id}", encodeURIComponent(domainId)),
    // No fields, but Postmark wants a JSON body (and its Content-Type) on every PUT.
    body: {},
    retryAmbiguous: true,
    auth: context.auth,
  });

/**
 * Runs each check in `toRun` (one verify call each, which answers with the whole domain), then, with a wait,
 * those still failing again with backoff until they pass or the time is up.
 */
async function verify(context: ResourceContext, domainId: string, news: Values, toRun: readonly Check[]): Promise<ApiObject | undefined> {
  const waitSeconds = Number(news.waitTimeout ?? 0);
  const deadline = Date.now() + waitSeconds * 1000;
  let delay = firstPollDelayMs;
  let domain: ApiObject | undefined;
  let pending = toRun;
  // The round after the sleep that reaches the deadline is the last: a timer's jitter never adds one.
  let lastRound = false;
  for (;;) {
    for (const check of pending) domain = await runCheck(context, domainId, check);
    if (!domain) return undefined;
    if (pending.some((c) => c.input === "returnPath") && !domain.ReturnPathDomain) {
      throw new PostmarkProviderError(
        `${describeDomain(domain)} has no Return-Path domain to verify: set returnPathDomain on the PostmarkDomain, or ` +
          "returnPath: false on this verification.",
      );
    }
    const current = domain;
    pending = pending.filter((check) => !check.passed(current));
    // Without a wait the result is recorded as it is; the next `up` checks again what has not passed.
    if (pending.length === 0 || waitSeconds === 0) return domain;
    if (lastRound) {
      throw new PostmarkProviderError(
        `${describeDomain(domain)} is not verified after waiting ${waitSeconds} s:\n` +
          pending.map((check) => `- ${check.advice(current)}`).join("\n") +
          "\nDNS changes can take from minutes to hours to be seen: run `pulumi up` again later, or raise waitTimeout.",
      );
    }
    const remaining = deadline - Date.now();
    lastRound = remaining <= delay;
    await sleep(Math.max(0, Math.min(delay, remaining)));
    delay = Math.min(delay * 2, maxPollDelayMs);
  }
}

/** Checks asked for that the last outputs do not show as passed. */
const notYetPassed = (olds: Values, news: Values) => wantedChecks(news).filter((check) => olds[check.output] !== true);

export const domainVerificationDeclaration: ResourceDeclaration = {
  kind: "PostmarkDomainVerification",
  noun: "domain verification",
  description:
    "Runs Postmark's DNS checks of a domain (DKIM, Return-Path) after the program has published the records " +
    "(`dependsOn`), and records the result; with `waitTimeout`, waits for them to pass and fails with what is missing. " +
    "Nothing is made in Postmark, and destroying it changes nothing there.",
  token: "account",
  apiId: "ID",
  fields: [
    {
      input: "domainId",
      api: "ID",
      type: "integer",
      required: true,
      replaceOnChange: true,
      description: "The ID of the domain to verify (e.g. `domain.domainId`). Changing it replaces the verification.",
    },
  ],
  options: [
    { input: "dkim", api: "", type: "boolean", default: true, description: "Run Postmark's DKIM check (is the domain's key in a TXT record?)." },
    {
      input: "returnPath",
      api: "",
      type: "boolean",
      default: true,
      description: "Run Postmark's Return-Path check (does the Return-Path domain have its CNAME?); the domain must have a Return-Path domain.",
    },
    {
      input: "waitTimeout",
      api: "",
      type: "integer",
      default: 0,
      rule: (seconds: number) => (seconds >= 0 && seconds <= maxWaitTimeoutSeconds ? undefined : `it must be from 0 to ${maxWaitTimeoutSeconds} seconds`),
      description:
        "Seconds (at most 3600) to wait for the checks to pass, polling with backoff; then `up` fails naming what is missing. " +
        "0: check once and record the result (the next `up` checks again what has not passed).",
    },
  ],
  outputs: [
    { output: "domainName", api: "Name", description: "The domain's name." },
    {
      output: "dkimVerified",
      api: "DKIMVerified, DKIMUpdateStatus",
      type: "boolean",
      derive: (domain) => checks[0].passed(domain),
      description:
        "Whether the DKIM key Postmark signs with (or the one waiting to replace it) was found in DNS. Postmark does not " +
        "check again later: removing the record afterwards does not turn it false.",
    },
    {
      output: "returnPathVerified",
      api: "ReturnPathDomainVerified",
      type: "boolean",
      description: "Whether the Return-Path CNAME was found. Removing the record afterwards does not turn it false.",
    },
    { output: "returnPathDomain", api: "ReturnPathDomain", description: "The Return-Path domain checked (\"\" when the domain has none)." },
    { output: "dkimUpdateStatus", api: "DKIMUpdateStatus", description: "`Pending` while a DKIM key waits for verification, then `Verified`." },
  ],
  api: { read: { method: "GET", path: "/domains/{id}" } },
  isNotFound: (error) => error.errorCode === 510,
  label: (values) => String(values.domainName ?? values.domainId),
  hooks: {
    checkRules: (news) =>
      wantedChecks(news).length === 0 ? [{ property: "dkim", reason: "dkim and returnPath are both false: there is nothing to verify" }] : [],
    create: async (context, news) => (await verify(context, String(news.domainId), news, wantedChecks(news)))!,
    update: async (context, apiId, olds, news) => {
      const toRun = notYetPassed(olds, news);
      return toRun.length === 0 ? undefined : verify(context, apiId, news, toRun);
    },
    outstanding: (olds, news) => notYetPassed(olds, news).length > 0,
    // Nothing was made in Postmark.
    delete: async () => undefined,
  },
};

/** Which checks to run on a domain, and how long to wait for them. */
export interface PostmarkDomainVerificationArgs {
  /** The ID of the domain, e.g. `domain.domainId`. Changing it replaces the verification. */
  domainId: pulumi.Input<number>;
  /** Check the DKIM TXT record. Default: true. */
  dkim?: pulumi.Input<boolean>;
  /** Check the Return-Path CNAME (the domain must have a `returnPathDomain`). Default: true. */
  returnPath?: pulumi.Input<boolean>;
  /**
   * Seconds to wait for the checks to pass (0 to 3600), polling with backoff; then `pulumi up` fails naming the record
   * that is still missing. Default: 0, check once and record the result in `dkimVerified`/`returnPathVerified`; each
   * later `up` checks again what has not passed yet.
   */
  waitTimeout?: pulumi.Input<number>;
}

/**
 * Postmark's DNS checks of a domain, as a step after the DNS records are published.
 *
 * @example
 * new PostmarkDomainVerification("example", { domainId: domain.domainId, waitTimeout: 300 }, { dependsOn: [dkimRecord, returnPathRecord] });
 */
export class PostmarkDomainVerification extends PostmarkResource {
  declare readonly domainId: pulumi.Output<number>;
  declare readonly domainName: pulumi.Output<string>;
  /** Whether the DKIM key was found in DNS (at the last check or refresh); removing the record later does not turn it false. */
  declare readonly dkimVerified: pulumi.Output<boolean>;
  /** Whether the Return-Path CNAME was found; removing the record later does not turn it false. */
  declare readonly returnPathVerified: pulumi.Output<boolean>;
  declare readonly returnPathDomain: pulumi.Output<string>;
  declare readonly dkimUpdateStatus: pulumi.Output<string>;
  /** The inputs this resource manages; kept because diffs only see outputs. */
  declare readonly managedFields: pulumi.Output<string[]>;

  constructor(name: string, args: PostmarkDomainVerificationArgs, opts?: pulumi.CustomResourceOptions) {
    super(domainVerificationDeclaration, name, args, opts);
  }
}
