/**
 * Postmark's Inbound Rules Triggers API (server token): /triggers/inboundrules. A rule blocks inbound mail from
 * one email address or one domain on the server whose token created it. There is no GET by ID and no edit: a
 * rule is found by paging the list, and changed by deleting it and creating another. ErrorCodes 800-813 from
 * Postmark's published list; see the README for the choices where Postmark's behaviour is unknown.
 */
import { AdminRoute, ApiModule, ServerRequestContext } from "../api";
import { adminNotFound, badRequest, coreErrorCodes, invalid } from "../errors";
import { Answer, ok, queryParam } from "../http";
import { StateStore, StoreDraft } from "../store";
import { serverByHand } from "./servers";

export const inboundRuleErrorCodes = {
  InvalidQuery: 800,
  NoData: 809,
  RuleExists: 810,
  CannotRemove: 811,
  NotFound: 812,
  InvalidRule: 813,
} as const;

/** A rule as stored: Postmark's {ID, Rule} plus its owner's ServerID, which answers leave out. */
export interface StoredInboundRule {
  ID: number;
  ServerID: number;
  Rule: string;
}

export const inboundRulesCollection = "inboundRules";

const maxListCount = 500;

/** A host name of at least two labels, each of letters, digits and inner hyphens, ending in a letter-only TLD. */
const domainPattern = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
/** The characters RFC 5322 allows in an unquoted local part, dots between them. */
const localPartPattern = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** An email address (local@domain) or a bare domain, as a rule may name; nothing around it, no wildcards. */
export function isValidRule(rule: string): boolean {
  const at = rule.lastIndexOf("@");
  if (at === -1) return domainPattern.test(rule);
  const local = rule.slice(0, at);
  return local.length <= 64 && localPartPattern.test(local) && domainPattern.test(rule.slice(at + 1));
}

const storedRules = (store: StateStore | StoreDraft): StoredInboundRule[] => store.list<StoredInboundRule>(inboundRulesCollection).sort((a, b) => a.ID - b.ID);

const asPostmark = ({ ID, Rule }: StoredInboundRule) => ({ ID, Rule });

/** Both required: `count` 1..500 and `offset` from 0, whole numbers. */
function pageOf(query: URLSearchParams): { count: number; offset: number } {
  const integer = (name: string, least: number, most: number) => {
    const text = queryParam(query, name);
    const value = text !== undefined && /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(value >= least && value <= most)) {
      throw invalid(inboundRuleErrorCodes.InvalidQuery, `The query string parameter '${name}' is required and must be a whole number from ${least}${Number.isFinite(most) ? ` to ${most}` : ""}; got ${JSON.stringify(text ?? null)}.`);
    }
    return value;
  };
  return { count: integer("count", 1, maxListCount), offset: integer("offset", 0, Infinity) };
}

function listRules({ store, serverId, query }: ServerRequestContext): Answer {
  const { count, offset } = pageOf(query);
  const mine = storedRules(store).filter((r) => r.ServerID === serverId);
  return ok({ TotalCount: mine.length, InboundRules: mine.slice(offset, offset + count).map(asPostmark) });
}

function createRule({ bodyText, json, store, serverId }: ServerRequestContext): Answer {
  const noData = () => invalid(inboundRuleErrorCodes.NoData, "No inbound rule data was received: send the 'Rule'.");
  if (bodyText.trim() === "") throw noData();
  const body = json();
  if (body === null) throw noData();
  if (typeof body !== "object" || Array.isArray(body)) throw invalid(coreErrorCodes.InvalidRequestFields, "The request body must be a JSON object.");
  const unknown = Object.keys(body).find((name) => name !== "Rule");
  if (unknown) throw invalid(coreErrorCodes.InvalidRequestFields, `Unknown or read-only field '${unknown}' in the request body.`);
  const rule = (body as { Rule?: unknown }).Rule;
  if (rule === undefined || rule === null) throw noData();
  if (typeof rule !== "string") throw invalid(coreErrorCodes.InvalidRequestFields, `Invalid value for 'Rule': ${JSON.stringify(rule)}. It must be a string.`);
  if (!isValidRule(rule)) throw invalid(inboundRuleErrorCodes.InvalidRule, `${JSON.stringify(rule)} is not a valid email address or domain.`);
  return ok(
    asPostmark(
      store.change((draft) => {
        const all = storedRules(draft);
        // Choice: addresses and domains are matched without case, as mail systems treat them.
        if (all.some((r) => r.ServerID === serverId && r.Rule.toLowerCase() === rule.toLowerCase())) {
          throw invalid(inboundRuleErrorCodes.RuleExists, `A rule for '${rule}' already exists on this server.`);
        }
        const created = { ID: draft.takeId(inboundRulesCollection), ServerID: serverId, Rule: rule };
        draft.replace(inboundRulesCollection, [...all, created]);
        return created;
      }),
    ),
  );
}

function deleteRule({ store, serverId, params, apiSettings }: ServerRequestContext): Answer {
  const id = Number(params.id);
  const removed = store.change((draft) => {
    const rule = storedRules(draft).find((r) => r.ID === id && r.ServerID === serverId);
    if (!rule) throw invalid(inboundRuleErrorCodes.NotFound, `The inbound rule ${id} was not found.`);
    if (apiSettings.removalUnavailable === true) throw invalid(inboundRuleErrorCodes.CannotRemove, "The inbound rule cannot be removed right now. Please try again later.");
    draft.replace(inboundRulesCollection, storedRules(draft).filter((r) => r !== rule));
    return rule;
  });
  return ok({ ErrorCode: 0, Message: `Rule ${removed.Rule} removed.` });
}

const handPath = "/servers/{serverId:int}/inbound-rules";

const adminRoutes: AdminRoute[] = [
  {
    method: "GET",
    path: handPath,
    handle: ({ store, params }) => {
      const serverId = serverByHand({ store, params });
      return ok(storedRules(store).filter((r) => r.ServerID === serverId));
    },
  },
  {
    // As in Postmark's web UI; nothing is checked but that Rule is a string.
    method: "POST",
    path: handPath,
    handle: async ({ store, params, body }) => {
      const serverId = serverByHand({ store, params });
      const { Rule } = await body();
      if (typeof Rule !== "string") throw badRequest("send a string Rule");
      return ok(
        store.change((draft) => {
          const created = { ID: draft.takeId(inboundRulesCollection), ServerID: serverId, Rule };
          draft.replace(inboundRulesCollection, [...storedRules(draft), created]);
          return created;
        }),
      );
    },
  },
  {
    method: "DELETE",
    path: `${handPath}/{id:int}`,
    handle: ({ store, params }) => {
      const serverId = serverByHand({ store, params });
      return ok(
        store.change((draft) => {
          const rule = storedRules(draft).find((r) => r.ID === Number(params.id) && r.ServerID === serverId) ?? adminNotFound(`No inbound rule ${params.id} on server ${serverId}`);
          draft.replace(inboundRulesCollection, storedRules(draft).filter((r) => r !== rule));
          return rule;
        }),
      );
    },
  },
];

/** Postmark's docs spell the path `inboundrules`, the official client `inboundRules`; Postmark takes both. */
const spellings = ["/triggers/inboundrules", "/triggers/inboundRules"];

export const inboundRulesApi: ApiModule = {
  name: "inbound-rules",
  token: "server",
  collections: [{ name: inboundRulesCollection, idCounter: "nextInboundRuleId", ownerField: "ServerID" }],
  settings: {
    removalUnavailable: { default: false, expected: "true or false", accepts: (value) => typeof value === "boolean" },
  },
  routes: spellings.flatMap((path) => [
    { method: "GET" as const, path, handle: listRules },
    { method: "POST" as const, path, create: true, handle: createRule },
    { method: "DELETE" as const, path: `${path}/{id:int}`, handle: deleteRule },
  ]),
  adminRoutes,
};
