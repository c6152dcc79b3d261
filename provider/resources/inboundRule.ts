/**
 * PostmarkInboundRule: an inbound rule trigger of a server (server token, found by the provider), which blocks
 * inbound mail from one email address or domain. Postmark has no GET by ID and no edit for rules: a rule is read
 * by paging the server's list (gone = absent from it), and a changed rule is a replacement.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResourceContext, ResourceDeclaration } from "../core/declaration";
import { interruptedCreateAdvice, PostmarkProviderError } from "../core/errors";
import { unknownValue } from "../core/fields";
import { everyListItem } from "../core/paging";
import { PostmarkResource } from "../core/resource";

const rulesPath = "/triggers/inboundrules";

/**
 * What is plainly not an address or a domain, refused before any API call. Postmark checks the rest (813); being
 * stricter here could refuse a rule Postmark takes.
 */
function ruleProblem(rule: string): string | undefined {
  if (/\s/.test(rule)) return "it must not hold spaces";
  if (rule.includes("*")) return "wildcards are not allowed: a domain (example.com) blocks that domain";
  const domain = rule.slice(rule.lastIndexOf("@") + 1);
  if (rule.indexOf("@") !== rule.lastIndexOf("@") || rule.startsWith("@")) return "it must be an email address (name@example.com) or a domain (example.com)";
  if (!/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(domain)) return "it must be an email address (name@example.com) or a domain (example.com)";
  return undefined;
}

const sameRule = (a: unknown, b: unknown) => typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();

/** Every rule of the server, page by page. */
const listRules = (context: ResourceContext) => everyListItem(context, { method: "GET", path: rulesPath }, "InboundRules");

export const inboundRuleDeclaration: ResourceDeclaration = {
  kind: "PostmarkInboundRule",
  noun: "inbound rule",
  description:
    "An inbound rule of a Postmark server: inbound mail from this email address or domain is blocked (Postmark keeps it 10 " +
    "days and it can be bypassed per message). A rule cannot be edited: changing it replaces the rule.",
  token: "server",
  apiId: "ID",
  fields: [
    {
      input: "rule",
      api: "Rule",
      type: "string",
      required: true,
      replaceOnChange: true,
      rule: ruleProblem,
      description: "The email address (spam@example.com) or domain (example.com) to block. Changing it replaces the rule.",
    },
  ],
  outputs: [{ output: "ruleId", api: "ID", type: "integer", description: "Postmark's numeric rule ID." }],
  adopt: {
    input: "adoptRuleId",
    type: "integer",
    description: "The ID of an existing rule of this server (with the same rule) to manage instead of creating one.",
  },
  api: {
    create: { method: "POST", path: rulesPath },
    delete: { method: "DELETE", path: `${rulesPath}/{id}` },
  },
  isNotFound: (error) => error.errorCode === 812,
  label: (values) => String(values.rule),
  hooks: {
    read: async (context, apiId) => (await listRules(context)).find((r) => String(r.ID) === apiId),
    // Postmark refuses a second rule that differs only in case (uncertain, the emulator's reading): delete first then.
    deleteBeforeReplace: (olds, news) => news.rule === unknownValue || sameRule(news.rule, olds.rule),
    recovery: {
      listAll: listRules,
      findSame: async (context, news) => (await listRules(context)).filter((r) => sameRule(r.Rule, news.rule)),
      isConflict: (error) => error.errorCode === 810,
      async onConflict(context, news, [existing]) {
        return new PostmarkProviderError(
          `Server ${context.serverId} already has an inbound rule for "${existing.Rule}" (rule ID ${existing.ID}). To manage it from ` +
            `this program, set \`adoptRuleId: ${existing.ID}\` on this resource; otherwise remove the duplicate "${news.rule}". ` +
            interruptedCreateAdvice("inbound rule"),
        );
      },
    },
  },
};

/** An inbound rule of a Postmark server: mail from this address or domain is blocked. */
export interface PostmarkInboundRuleArgs {
  /** The ID of the server, e.g. `server.serverId`. Changing it replaces the rule. */
  serverId: pulumi.Input<number>;
  /** That server's API token, if you hold only a server token. Default: found with the account token. Secret. */
  serverToken?: pulumi.Input<string>;
  /** The email address (`spam@example.com`) or domain (`example.com`) to block. Changing it replaces the rule. */
  rule: pulumi.Input<string>;
  /** The ID of a rule made by hand on this server (with the same rule), to manage it instead of creating one. */
  adoptRuleId?: pulumi.Input<number>;
}

/**
 * An inbound rule of a Postmark server: inbound mail from an email address or a domain is blocked.
 *
 * @example
 * new PostmarkInboundRule("no-spammer", { serverId: server.serverId, rule: "spammer.example.com" });
 */
export class PostmarkInboundRule extends PostmarkResource {
  declare readonly serverId: pulumi.Output<number>;
  /** Postmark's numeric rule ID. */
  declare readonly ruleId: pulumi.Output<number>;
  declare readonly rule: pulumi.Output<string>;
  /** The inputs this resource manages; kept because diffs only see outputs. */
  declare readonly managedFields: pulumi.Output<string[]>;

  /** Reads an existing rule without managing it; `id` is "<serverId>/<ruleId>". */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): PostmarkInboundRule {
    return new PostmarkInboundRule(name, undefined as unknown as PostmarkInboundRuleArgs, { ...opts, id });
  }

  constructor(name: string, args: PostmarkInboundRuleArgs, opts?: pulumi.CustomResourceOptions) {
    super(inboundRuleDeclaration, name, args, opts);
  }
}
