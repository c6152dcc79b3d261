/**
 * PostmarkTemplate: an email template or layout of a server (server token, found by the provider). Postmark
 * answers a create or an edit without the bodies, so the template is read back after each write. A Standard
 * template names its layout by the layout's alias, so a program wires them (`layoutTemplate: layout.alias`) and
 * the engine creates layouts first and deletes them last.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResourceContext, ResourceDeclaration } from "../core/declaration";
import { interruptedCreateAdvice, PostmarkApiError, PostmarkProviderError } from "../core/errors";
import { Field, sameValue, unknownValue, Values } from "../core/fields";
import { everyListItem, readWhole } from "../core/paging";
import { ApiObject } from "../core/postmarkClient";
import { PostmarkResource } from "../core/resource";

export const templateTypes = ["Standard", "Layout"] as const;
export type TemplateType = (typeof templateTypes)[number];

/** Where a Layout puts the content of the template that uses it: exactly once in each of its bodies. */
export const contentPlaceholder = "{{{@content}}}";
const placeholderPattern = /\{\{\{\s*@content\s*\}\}\}/g;
const aliasPattern = /^[A-Za-z][A-Za-z0-9._-]*$/;
const aliasRule = (alias: string) =>
  alias === "" || aliasPattern.test(alias) ? undefined : 'it must start with a letter and hold only letters, digits, ".", "-" and "_" ("" for none)';

const templatePath = "/templates/{id}";

const isKnown = (value: unknown) => value !== undefined && value !== null && value !== unknownValue;
const isEmpty = (value: unknown) => value === undefined || value === null || value === "";
const placeholderCount = (text: string) => text.match(placeholderPattern)?.length ?? 0;

const bodyField = (input: string, api: string, kind: string, fileExtension: string): Field => ({
  input,
  api,
  type: "string",
  fileExtension,
  default: "",
  emptyMeansNone: true,
  description:
    `The ${kind} body, in Postmark's template language (typically \`fs.readFileSync\` of a file in the repo). A template needs ` +
    `an htmlBody or a textBody; a Layout's holds ${contentPlaceholder} exactly once. "" or removing it clears it.`,
});

const fields: Field[] = [
  { input: "name", api: "Name", type: "string", required: true, description: "The template's name, as Postmark's web UI lists it." },
  {
    input: "alias",
    api: "Alias",
    type: "string",
    default: "",
    emptyMeansNone: true,
    rule: aliasRule,
    description:
      'The template\'s alias, unique in the server (ignoring case): a letter, then letters, digits, ".", "-" and "_". Code sends ' +
      'mail by alias, and templates name their layout by it. "" or removing it removes the alias.',
  },
  {
    input: "subject",
    api: "Subject",
    type: "string",
    description: "The subject, in Postmark's template language. Required for a Standard template; a Layout has none.",
  },
  bodyField("htmlBody", "HtmlBody", "HTML", "html"),
  bodyField("textBody", "TextBody", "plain-text", "txt"),
  {
    input: "templateType",
    api: "TemplateType",
    type: "enum",
    allowed: templateTypes,
    default: "Standard",
    replaceOnChange: true,
    description: "`Standard` (default), or `Layout`: a wrapper that Standard templates name in layoutTemplate. Changing it replaces the template.",
  },
  {
    input: "layoutTemplate",
    api: "LayoutTemplate",
    type: "string",
    default: "",
    emptyMeansNone: true,
    rule: aliasRule,
    references: { kind: "PostmarkTemplate", property: "alias" },
    description:
      'The alias of the Layout this Standard template is wrapped in (e.g. `layout.alias`). "" or removing it detaches the layout.',
  },
];
const fieldNamed = (input: string) => fields.find((f) => f.input === input)!;
/** What Postmark's validation looks at: a write that changes none of these needs no new validation (the type never changes in an edit). */
const contentInputs = ["subject", "htmlBody", "textBody", "layoutTemplate"];
const contentParts = [
  { input: "subject", api: "Subject" },
  { input: "htmlBody", api: "HtmlBody" },
  { input: "textBody", api: "TextBody" },
] as const;

/** Every template of the server (Postmark's list has no bodies), page by page. */
const listTemplates = (context: ResourceContext, filter: Record<string, string> = {}) =>
  everyListItem(context, { method: "GET", path: "/templates" }, "Templates", (count, offset) => ({ Count: count, Offset: offset, ...filter }));

const describeTemplate = (t: ApiObject) => `"${t.Name}" (ID ${t.TemplateId}${t.Alias ? `, alias ${t.Alias}` : ""})`;
const sameAlias = (a: unknown, b: unknown) => typeof a === "string" && typeof b === "string" && a !== "" && a.toLowerCase() === b.toLowerCase();

/** ErrorCode 1130 names template IDs; this names the templates, which may live outside this program. */
async function layoutInUseError(context: ResourceContext, apiId: string, layout: Values, doing: string): Promise<Error> {
  const users = await listTemplates(context, { TemplateType: "Standard", LayoutTemplate: String(layout.alias) }).catch((): ApiObject[] => []);
  const named = users.length > 0 ? `: ${users.map(describeTemplate).join(", ")}` : "";
  return new PostmarkProviderError(
    `Cannot ${doing} layout ${apiId} ("${layout.name}", alias ${layout.alias}) on server ${context.serverId}: templates use it${named}. ` +
      'Detach them first (layoutTemplate: "" in their program, or in Postmark\'s web UI), or delete them. Nothing was changed.',
  );
}

/** Postmark's own check of the content (POST /templates/validate), every error with its line and character. */
async function validateContent(context: ResourceContext, news: Values, olds: Values): Promise<void> {
  if (news.validate !== true) return;
  if (contentInputs.every((input) => sameValue(fieldNamed(input), news[input], olds[input]))) return;
  const body: Values = { TemplateType: news.templateType ?? olds.templateType ?? "Standard" };
  for (const { input, api } of contentParts) if (!isEmpty(news[input])) body[api] = news[input];
  if (!isEmpty(news.layoutTemplate)) body.LayoutTemplate = news.layoutTemplate;
  type PartReport = { ContentIsValid: boolean; ValidationErrors: { Message: string; Line: number; CharacterPosition: number }[] } | null;
  const report = await context.call<Record<string, PartReport> & { AllContentIsValid: boolean }>(
    { method: "POST", path: "/templates/validate" },
    { body, retryAmbiguous: true },
  );
  if (report.AllContentIsValid) return;
  const errors = contentParts.flatMap(({ input, api }) =>
    (report[api]?.ValidationErrors ?? []).map((e) => `${input}, line ${e.Line}, character ${e.CharacterPosition}: ${e.Message}`),
  );
  throw new PostmarkProviderError(
    `Postmark's validation of template "${news.name}" failed; nothing was written:\n  ${errors.length > 0 ? errors.join("\n  ") : "(no details given)"}`,
  );
}

export const templateDeclaration: ResourceDeclaration = {
  kind: "PostmarkTemplate",
  noun: "template",
  description:
    "An email template of a Postmark server, or a Layout that wraps templates. Bodies usually come from files in the repo, so a " +
    "pull request shows the exact change and `pulumi preview` names the fields that change. Layouts and the templates that use " +
    "them are wired by alias (`layoutTemplate: layout.alias`), so layouts are created first and deleted last.",
  token: "server",
  apiId: "TemplateId",
  fields,
  options: [
    {
      input: "validate",
      api: "",
      type: "boolean",
      description:
        "Run Postmark's template validation before each create or edit that changes content (in `pulumi up`, never in preview), " +
        "failing with the line and character of each error. Default: false.",
    },
  ],
  outputs: [{ output: "templateId", api: "TemplateId", type: "integer", description: "Postmark's numeric template ID." }],
  adopt: {
    input: "adoptTemplateId",
    type: "integer",
    description:
      "The ID of an existing template of this server to manage instead of creating one: it is read and brought to the declared " +
      "values with at most one edit.",
  },
  api: {
    create: { method: "POST", path: "/templates" },
    read: { method: "GET", path: templatePath },
    update: { method: "PUT", path: templatePath },
    delete: { method: "DELETE", path: templatePath },
  },
  readAfterWrite: true,
  listedAsSummaries: true,
  isNotFound: (error) => error.errorCode === 1101,
  // Postmark may keep a deleted template readable, inactive (uncertain): for the program it is gone.
  isGone: (template) => template.Active === false,
  label: (values) => String(values.name),
  hooks: {
    checkRules(news: Values) {
      const failures: { property: string; reason: string }[] = [];
      const fail = (property: string, reason: string) => failures.push({ property, reason });
      const type = news.templateType ?? "Standard";
      if (type === "Standard") {
        if (isEmpty(news.subject)) fail("subject", "subject is required for a Standard template");
        for (const { input } of contentParts) {
          const text = news[input];
          if (isKnown(text) && placeholderCount(String(text)) > 0) {
            fail(input, `${input} holds the content placeholder ${contentPlaceholder}, which belongs in a Layout, not in a Standard template`);
          }
        }
      }
      if (type === "Layout") {
        if (news.subject !== undefined) fail("subject", "subject is not allowed on a Layout: the templates that use it have the subject");
        if (!isEmpty(news.layoutTemplate)) fail("layoutTemplate", "layoutTemplate is only for Standard templates: a Layout cannot use a layout");
        for (const input of ["htmlBody", "textBody"]) {
          const text = news[input];
          if (!isKnown(text) || text === "") continue;
          const count = placeholderCount(String(text));
          if (count !== 1) fail(input, `${input} of a Layout must hold the content placeholder ${contentPlaceholder} exactly once; it holds it ${count} times`);
        }
      }
      if (isEmpty(news.htmlBody) && isEmpty(news.textBody)) fail("htmlBody", "a template needs an htmlBody or a textBody (or both)");
      return failures;
    },
    // Aliases are unique in a server, so a replacement that keeps its alias must delete the old template first.
    deleteBeforeReplace: (olds, news) => news.alias === unknownValue || sameAlias(news.alias, olds.alias),
    beforeWrite: validateContent,
    recovery: {
      listAll: (context) => listTemplates(context),
      async findSame(context, news) {
        const type = news.templateType ?? "Standard";
        const candidates = (await listTemplates(context)).filter((t) =>
          isEmpty(news.alias) ? t.Name === news.name && t.TemplateType === type : sameAlias(t.Alias, news.alias),
        );
        // The list has no bodies; telling a fresh template from another needs them.
        return readWhole(context, candidates);
      },
      // Postmark's 1122 also covers bad content; only an alias in use is a conflict.
      isConflict: (error) => error.errorCode === 1122 && /alias[\s\S]*already/i.test(error.postmarkMessage),
      async onConflict(context, news, [existing]) {
        return new PostmarkProviderError(
          `A template with the alias "${existing.Alias}" already exists on server ${context.serverId}: ${describeTemplate(existing)}. ` +
            `To manage it from this program, set \`adoptTemplateId: ${existing.TemplateId}\` on this resource; otherwise choose another alias. ` +
            interruptedCreateAdvice("template"),
        );
      },
    },
    async editError(context, id, olds, news, error: PostmarkApiError) {
      if (error.errorCode === 1130) return layoutInUseError(context, id, olds, "change the alias of");
      if (error.errorCode === 1101 && !isEmpty(news.layoutTemplate)) {
        return new PostmarkProviderError(
          `layoutTemplate is "${news.layoutTemplate}", but server ${context.serverId} has no Layout with that alias (${error.postmarkMessage}).`,
        );
      }
      return undefined;
    },
    deleteError: (context, apiId, olds, error: PostmarkApiError) =>
      error.errorCode === 1130 ? layoutInUseError(context, apiId, olds, "delete") : undefined,
  },
};

/** An email template of a Postmark server, or a Layout. */
export interface PostmarkTemplateArgs {
  /** The ID of the server, e.g. `server.serverId`. Changing it replaces the template. */
  serverId: pulumi.Input<number>;
  /** That server's API token, if you hold only a server token. Default: found with the account token. Secret. */
  serverToken?: pulumi.Input<string>;
  /** The template's name, as Postmark's web UI lists it. */
  name: pulumi.Input<string>;
  /**
   * The alias, unique in the server ignoring case: a letter, then letters, digits, `.`, `-` and `_`. Code sends mail by
   * alias, and templates name their layout by it. `""` or removing it removes the alias.
   */
  alias?: pulumi.Input<string>;
  /** The subject, in Postmark's template language. Required for a Standard template; not allowed on a Layout. */
  subject?: pulumi.Input<string>;
  /** The HTML body (e.g. `fs.readFileSync("templates/welcome.html", "utf8")`). A Layout's holds `{{{@content}}}` exactly once. */
  htmlBody?: pulumi.Input<string>;
  /** The plain-text body. A template needs an htmlBody or a textBody; a Layout's holds `{{{@content}}}` exactly once. */
  textBody?: pulumi.Input<string>;
  /** `Standard` (default) or `Layout`. Changing it replaces the template. */
  templateType?: pulumi.Input<TemplateType>;
  /** The alias of the Layout to wrap this Standard template in, e.g. `layout.alias`. `""` or removing it detaches. */
  layoutTemplate?: pulumi.Input<string>;
  /**
   * Run Postmark's template validation before each write that changes content, during `pulumi up` (never in preview),
   * failing with the line and character of each error. Default: false.
   */
  validate?: pulumi.Input<boolean>;
  /** The ID of a template made by hand on this server, to manage it instead of creating one. */
  adoptTemplateId?: pulumi.Input<number>;
}

/**
 * An email template of a Postmark server, or a Layout that wraps templates.
 *
 * @example
 * const layout = new PostmarkTemplate("base", { serverId: server.serverId, name: "Base", alias: "base", templateType: "Layout",
 *   htmlBody: fs.readFileSync("templates/base.html", "utf8") });
 * new PostmarkTemplate("welcome", { serverId: server.serverId, name: "Welcome", alias: "welcome", subject: "Welcome, {{name}}",
 *   htmlBody: fs.readFileSync("templates/welcome.html", "utf8"), layoutTemplate: layout.alias });
 */
export class PostmarkTemplate extends PostmarkResource {
  declare readonly serverId: pulumi.Output<number>;
  /** Postmark's numeric template ID. */
  declare readonly templateId: pulumi.Output<number>;
  declare readonly name: pulumi.Output<string>;
  /** The alias; "" when the template has none. */
  declare readonly alias: pulumi.Output<string>;
  /** The subject; null on a Layout. */
  declare readonly subject: pulumi.Output<string | null>;
  /** "" when the template has no HTML body. */
  declare readonly htmlBody: pulumi.Output<string>;
  /** "" when the template has no text body. */
  declare readonly textBody: pulumi.Output<string>;
  declare readonly templateType: pulumi.Output<TemplateType>;
  /** The alias of the Layout it uses; "" for none. */
  declare readonly layoutTemplate: pulumi.Output<string>;
  /** The inputs this resource manages; kept because diffs only see outputs. */
  declare readonly managedFields: pulumi.Output<string[]>;

  /** Reads an existing template without managing it; `id` is "<serverId>/<templateId>". */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): PostmarkTemplate {
    return new PostmarkTemplate(name, undefined as unknown as PostmarkTemplateArgs, { ...opts, id });
  }

  constructor(name: string, args: PostmarkTemplateArgs, opts?: pulumi.CustomResourceOptions) {
    super(templateDeclaration, name, args, opts);
  }
}
