/**
 * Postmark's Templates API: /templates (server token) and /templates/push (account token). A template belongs
 * to the server whose token created it; Standard templates may use a Layout, named by its alias. ErrorCodes
 * 1100-1131 from Postmark's published list; see /work/shared/postmark-more-apis.md and the README for the
 * choices where Postmark's behaviour is unknown.
 */
import { AdminRoute, ApiModule, RequestContext, ServerRequestContext } from "../api";
import { adminNotFound, badRequest, coreErrorCodes, invalid } from "../errors";
import { Answer, ok, queryParam } from "../http";
import { StateStore, StoreDraft } from "../store";
import { serverByHand, storedServers } from "./servers";
import { contentPlaceholder, countContentPlaceholders, parseTemplate, render, suggestModel } from "./templateLanguage";

export const templateErrorCodes = {
  InvalidQuery: 1100,
  NotFound: 1101,
  TemplateLimit: 1105,
  NoData: 1109,
  RequiredField: 1120,
  FieldTooLarge: 1121,
  InvalidField: 1122,
  FieldNotAllowed: 1123,
  NothingToPush: 1124,
  PushTypeMismatch: 1125,
  LayoutInUse: 1130,
  PlaceholderRules: 1131,
  /** The push names a server the account does not have. */
  ServerNotFound: 601,
} as const;

export const templateTypes = ["Standard", "Layout"] as const;
export type TemplateType = (typeof templateTypes)[number];

/** A template as GET returns it, in Postmark's field order; AssociatedServerId is its owner. */
export interface StoredTemplate {
  Name: string;
  TemplateId: number;
  Alias: string | null;
  /** null on a Layout, which has no subject. */
  Subject: string | null;
  HtmlBody: string | null;
  TextBody: string | null;
  AssociatedServerId: number;
  /** false only for a deleted template kept readable (admin setting deletedTemplatesReadable). */
  Active: boolean;
  TemplateType: TemplateType;
  /** The alias of the Layout a Standard template uses. */
  LayoutTemplate: string | null;
}

export const templatesCollection = "templates";

const maxTemplatesPerServer = 100;
const maxListCount = 500;
const maxListWindow = 10_000;
/** Choice: Postmark publishes no sizes; these are in the README. */
const maxLength = { Name: 100, Alias: 100, Subject: 2000, HtmlBody: 5_000_000, TextBody: 5_000_000 } as const;
/** Letters, digits, '.', '-', '_', starting with a letter. */
const aliasPattern = /^[A-Za-z][A-Za-z0-9._-]*$/;
/** The parts of a template written in the template language, as validation reports them. */
const contentParts = ["Subject", "HtmlBody", "TextBody"] as const;
type ContentPart = (typeof contentParts)[number];

/** Path segments that are routes of their own: a template with such an alias is reached by ID only. */
const routeClashes = ["validate"];

const storedTemplates = (store: StateStore | StoreDraft): StoredTemplate[] => store.list<StoredTemplate>(templatesCollection).sort((a, b) => a.TemplateId - b.TemplateId);

/** The server's templates that exist (a deleted one kept readable is not among them). */
const liveTemplates = (store: StateStore | StoreDraft, serverId: number) => storedTemplates(store).filter((t) => t.AssociatedServerId === serverId && t.Active);

const sameAlias = (a: string | null, b: string | null) => a !== null && b !== null && a.toLowerCase() === b.toLowerCase();

/** What create and edit answer: no bodies (read the template again for them). */
const summary = ({ TemplateId, Name, Active, Alias, TemplateType, LayoutTemplate }: StoredTemplate) => ({ TemplateId, Name, Active, Alias, TemplateType, LayoutTemplate });

/** What the list holds for each template. */
const listEntry = ({ Active, TemplateId, Name, Alias, TemplateType, LayoutTemplate }: StoredTemplate) => ({ Active, TemplateId, Name, Alias, TemplateType, LayoutTemplate });

const notFound = (idOrAlias: string) => invalid(templateErrorCodes.NotFound, `The template '${idOrAlias}' was not found.`);

/**
 * The template an `{idOrAlias}` path segment names on the server: digits are an ID, anything else an alias
 * (matched with case; an alias always starts with a letter). A deleted template kept readable is found by ID,
 * or by alias when no live template has that alias, only when `includeDeleted`.
 */
function findTemplate(store: StateStore | StoreDraft, serverId: number, idOrAlias: string, includeDeleted = false): StoredTemplate {
  const mine = storedTemplates(store).filter((t) => t.AssociatedServerId === serverId && (t.Active || includeDeleted));
  const found = /^\d+$/.test(idOrAlias)
    ? mine.find((t) => t.TemplateId === Number(idOrAlias))
    : (mine.find((t) => t.Active && t.Alias === idOrAlias) ?? mine.find((t) => t.Alias === idOrAlias));
  if (!found) throw notFound(idOrAlias);
  return found;
}

const invalidField = (message: string) => invalid(coreErrorCodes.InvalidRequestFields, message);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** What a create or edit body may carry; every field is a string, and null means "not sent". */
const writableFields = ["Name", "Subject", "HtmlBody", "TextBody", "Alias", "TemplateType", "LayoutTemplate"] as const;
type TemplateBody = Partial<Record<(typeof writableFields)[number], string>>;

/**
 * The body's presence (1109), JSON (402), shape and types (403), as Postmark deserializes before it validates.
 * Returns the fields sent, nulls left out.
 */
function parseTemplateBody({ bodyText, json }: RequestContext): TemplateBody {
  const noData = () => invalid(templateErrorCodes.NoData, "No template data was received: send the template's fields.");
  if (bodyText.trim() === "") throw noData();
  const body = json();
  if (body === null) throw noData();
  if (!isObject(body)) throw invalidField("The request body must be a JSON object of template fields.");
  const sent: TemplateBody = {};
  for (const [name, value] of Object.entries(body)) {
    if (!(writableFields as readonly string[]).includes(name)) throw invalidField(`Unknown or read-only field '${name}' in the request body.`);
    if (value === null) continue;
    if (typeof value !== "string") throw invalidField(`Invalid value for '${name}': ${JSON.stringify(value)}. It must be a string.`);
    sent[name as keyof TemplateBody] = value;
  }
  if (Object.keys(sent).length === 0) throw noData();
  return sent;
}

function checkValues(sent: TemplateBody): void {
  if ("Name" in sent && sent.Name!.trim() === "") throw invalid(templateErrorCodes.RequiredField, "The template's 'Name' cannot be blank.");
  if (sent.TemplateType !== undefined && !(templateTypes as readonly string[]).includes(sent.TemplateType)) {
    throw invalid(templateErrorCodes.InvalidField, `Invalid 'TemplateType': ${JSON.stringify(sent.TemplateType)}. Allowed values: ${templateTypes.join(", ")}.`);
  }
  if (sent.Alias && !aliasPattern.test(sent.Alias)) {
    throw invalid(templateErrorCodes.InvalidField, `Invalid 'Alias': ${JSON.stringify(sent.Alias)}. It must start with a letter and hold only letters, digits, '.', '-' and '_'.`);
  }
  for (const [field, most] of Object.entries(maxLength)) {
    const value = sent[field as keyof typeof maxLength];
    if (value !== undefined && value.length > most) throw invalid(templateErrorCodes.FieldTooLarge, `The template's '${field}' is too large: at most ${most} characters.`);
  }
}

/** An empty string clears a field that may be empty (reads back as null). */
const orNull = (value: string | undefined) => (value === undefined || value === "" ? null : value);

/** The record with the sent fields applied (Name, content, Alias, LayoutTemplate; the type never changes). */
function applyFields(template: StoredTemplate, sent: TemplateBody): StoredTemplate {
  const updated = { ...template };
  if (sent.Name !== undefined) updated.Name = sent.Name;
  for (const field of ["Subject", "HtmlBody", "TextBody", "Alias", "LayoutTemplate"] as const) {
    if (sent[field] !== undefined) updated[field] = orNull(sent[field]);
  }
  return updated;
}

/**
 * Postmark's placeholder rule (1131) for one part of a template of `type`, in Postmark's words, or undefined: each
 * body of a Layout holds the placeholder exactly once, a Standard template none.
 */
function placeholderProblem(type: TemplateType, part: ContentPart, placeholders: number): string | undefined {
  if (type === "Layout" && part !== "Subject" && placeholders !== 1) {
    return `The layout content placeholder must be present in the layout HTML and/or Text body exactly once: its ${part} holds ${contentPlaceholder} ${placeholders} times.`;
  }
  if (type === "Standard" && placeholders > 0) return `The content placeholder cannot be present in a standard template: its ${part} holds ${contentPlaceholder}.`;
  return undefined;
}

/**
 * Postmark's rules for the content of a template of its type, on the template as it would be stored: what a
 * type refuses (1123), what it needs (1120), the template language (1122) and the layout placeholder (1131).
 */
function checkContent(template: StoredTemplate, sent: TemplateBody): void {
  const layout = template.TemplateType === "Layout";
  if (layout && sent.Subject !== undefined) throw invalid(templateErrorCodes.FieldNotAllowed, "A Layout template has no 'Subject': the templates that use it have one.");
  if (layout && orNull(sent.LayoutTemplate) !== null) throw invalid(templateErrorCodes.FieldNotAllowed, "A Layout template cannot use a layout: 'LayoutTemplate' is for Standard templates.");
  if (!layout && (template.Subject === null || template.Subject.trim() === "")) throw invalid(templateErrorCodes.RequiredField, "A Standard template needs a 'Subject'.");
  if (template.HtmlBody === null && template.TextBody === null) throw invalid(templateErrorCodes.RequiredField, "A template needs an 'HtmlBody' or a 'TextBody'.");
  for (const part of contentParts) {
    const content = template[part];
    if (content === null) continue;
    const parsed = parseTemplate(content);
    if (!parsed.ok) {
      const { Message, Line, CharacterPosition } = parsed.error;
      throw invalid(templateErrorCodes.InvalidField, `The template's '${part}' is not valid: ${Message} (line ${Line}, character ${CharacterPosition}).`);
    }
    const problem = placeholderProblem(template.TemplateType, part, countContentPlaceholders(parsed.nodes));
    if (problem) throw invalid(templateErrorCodes.PlaceholderRules, problem);
  }
}

/** The server-wide rules, against its other templates: alias in use (1122), the layout used (1101). */
function checkAgainstServer(draft: StoreDraft, template: StoredTemplate): void {
  const others = liveTemplates(draft, template.AssociatedServerId).filter((t) => t.TemplateId !== template.TemplateId);
  if (others.some((t) => sameAlias(t.Alias, template.Alias))) throw invalid(templateErrorCodes.InvalidField, `The alias '${template.Alias}' is already used by another template on this server.`);
  if (template.LayoutTemplate !== null && !others.some((t) => t.TemplateType === "Layout" && t.Alias === template.LayoutTemplate)) {
    throw invalid(templateErrorCodes.NotFound, `The layout '${template.LayoutTemplate}' was not found: 'LayoutTemplate' must be the alias of a Layout template on this server.`);
  }
}

const usersOf = (draft: StoreDraft | StateStore, layout: StoredTemplate) =>
  layout.TemplateType === "Layout" && layout.Alias !== null ? liveTemplates(draft, layout.AssociatedServerId).filter((t) => t.LayoutTemplate === layout.Alias) : [];

function replaceTemplate(draft: StoreDraft, updated: StoredTemplate): StoredTemplate {
  draft.replace(templatesCollection, storedTemplates(draft).map((t) => (t.TemplateId === updated.TemplateId ? updated : t)));
  return updated;
}

function newTemplate(draft: StoreDraft, serverId: number, type: TemplateType): StoredTemplate {
  return {
    Name: "",
    TemplateId: draft.takeId(templatesCollection),
    Alias: null,
    Subject: null,
    HtmlBody: null,
    TextBody: null,
    AssociatedServerId: serverId,
    Active: true,
    TemplateType: type,
    LayoutTemplate: null,
  };
}

/** Required, whole numbers: `Count` 1..500 and `Offset` from 0, their sum at most 10,000. */
function pageOf(query: URLSearchParams): { count: number; offset: number } {
  const integer = (name: string) => {
    const text = queryParam(query, name);
    if (text === undefined || !/^\d+$/.test(text)) throw invalid(templateErrorCodes.InvalidQuery, `The query string parameter '${name}' is required and must be a whole number; got ${JSON.stringify(text ?? null)}.`);
    return Number(text);
  };
  const count = integer("Count");
  const offset = integer("Offset");
  if (count < 1 || count > maxListCount) throw invalid(templateErrorCodes.InvalidQuery, `'Count' must be between 1 and ${maxListCount}; got ${count}.`);
  if (count + offset > maxListWindow) throw invalid(templateErrorCodes.InvalidQuery, `'Count' plus 'Offset' must be at most ${maxListWindow}; got ${count + offset}.`);
  return { count, offset };
}

function listTemplates({ store, serverId, query }: ServerRequestContext): Answer {
  const { count, offset } = pageOf(query);
  const typeFilter = queryParam(query, "TemplateType") ?? "All";
  if (typeFilter !== "All" && !(templateTypes as readonly string[]).includes(typeFilter)) {
    throw invalid(templateErrorCodes.InvalidQuery, `Invalid 'TemplateType' filter: ${JSON.stringify(typeFilter)}. Allowed values: All, ${templateTypes.join(", ")}.`);
  }
  const layoutFilter = queryParam(query, "LayoutTemplate");
  const matches = liveTemplates(store, serverId).filter(
    (t) => (typeFilter === "All" || t.TemplateType === typeFilter) && (layoutFilter === undefined || layoutFilter === "" || t.LayoutTemplate === layoutFilter),
  );
  return ok({ TotalCount: matches.length, Templates: matches.slice(offset, offset + count).map(listEntry) });
}

function getTemplate({ store, serverId, params, apiSettings }: ServerRequestContext): Answer {
  if (routeClashes.includes(params.idOrAlias)) return { status: 404 };
  return ok(findTemplate(store, serverId, params.idOrAlias, apiSettings.deletedTemplatesReadable === true));
}

function createTemplate(context: ServerRequestContext): Answer {
  const sent = parseTemplateBody(context);
  checkValues(sent);
  if (sent.Name === undefined) throw invalid(templateErrorCodes.RequiredField, "The template's 'Name' is required.");
  const { store, serverId } = context;
  return ok(
    summary(
      store.change((draft) => {
        const template = applyFields(newTemplate(draft, serverId, (sent.TemplateType as TemplateType | undefined) ?? "Standard"), sent);
        checkContent(template, sent);
        checkAgainstServer(draft, template);
        if (liveTemplates(draft, serverId).length >= maxTemplatesPerServer) {
          throw invalid(templateErrorCodes.TemplateLimit, `This server already has ${maxTemplatesPerServer} templates, the most it can have.`);
        }
        draft.replace(templatesCollection, [...storedTemplates(draft), template]);
        return template;
      }),
    ),
  );
}

function editTemplate(context: ServerRequestContext): Answer {
  const { store, serverId, params } = context;
  if (routeClashes.includes(params.idOrAlias)) return { status: 404 };
  const sent = parseTemplateBody(context);
  checkValues(sent);
  return ok(
    summary(
      store.change((draft) => {
        const template = findTemplate(draft, serverId, params.idOrAlias);
        if (sent.TemplateType !== undefined && sent.TemplateType !== template.TemplateType) {
          throw invalid(templateErrorCodes.FieldNotAllowed, `The 'TemplateType' of a template cannot change (it is ${template.TemplateType}): create a new template instead.`);
        }
        const updated = applyFields(template, sent);
        checkContent(updated, sent);
        checkAgainstServer(draft, updated);
        if (!sameAlias(updated.Alias, template.Alias) && usersOf(draft, template).length > 0) {
          throw invalid(templateErrorCodes.LayoutInUse, `The alias of the layout '${template.Alias}' cannot change while templates use it.`);
        }
        return replaceTemplate(draft, updated);
      }),
    ),
  );
}

/** A deleted template is gone, or kept readable as inactive (admin setting deletedTemplatesReadable). */
function removeTemplate(draft: StoreDraft, template: StoredTemplate, keepReadable: boolean): void {
  if (keepReadable) replaceTemplate(draft, { ...template, Active: false });
  else draft.replace(templatesCollection, storedTemplates(draft).filter((t) => t.TemplateId !== template.TemplateId));
}

function deleteTemplate({ store, serverId, params, apiSettings }: ServerRequestContext): Answer {
  if (routeClashes.includes(params.idOrAlias)) return { status: 404 };
  const removed = store.change((draft) => {
    const template = findTemplate(draft, serverId, params.idOrAlias);
    const users = usersOf(draft, template);
    if (users.length > 0) {
      throw invalid(templateErrorCodes.LayoutInUse, `The layout '${template.Alias}' is used by ${users.length} template(s) (${users.map((t) => t.TemplateId).join(", ")}): detach or delete them first.`);
    }
    removeTemplate(draft, template, apiSettings.deletedTemplatesReadable === true);
    return template;
  });
  return ok({ ErrorCode: 0, Message: `Template ${removed.TemplateId} removed.` });
}

const validationFields = [...contentParts, "TestRenderModel", "InlineCssForHtmlTestRender", "TemplateType", "LayoutTemplate"];

/**
 * Checks and test-renders content without saving it. Content problems are not errors here: they are reported
 * per part, with line and character. Only a malformed request is refused.
 */
function validateTemplate({ bodyText, json, store, serverId }: ServerRequestContext): Answer {
  if (bodyText.trim() === "" || json() === null) throw invalid(templateErrorCodes.NoData, "No template data was received: send the content to validate.");
  const body = json();
  if (!isObject(body)) throw invalidField("The request body must be a JSON object.");
  for (const [name, value] of Object.entries(body)) {
    if (!validationFields.includes(name)) throw invalidField(`Unknown field '${name}' in the request body.`);
    const typeOk =
      value === null ||
      (name === "TestRenderModel" ? isObject(value) : name === "InlineCssForHtmlTestRender" ? typeof value === "boolean" : typeof value === "string");
    if (!typeOk) throw invalidField(`Invalid value for '${name}': ${JSON.stringify(value)}.`);
  }
  const sent = body as Partial<Record<ContentPart | "TemplateType" | "LayoutTemplate", string | null>> & { TestRenderModel?: Record<string, unknown> | null };
  const parts = contentParts.filter((part) => typeof sent[part] === "string");
  if (parts.length === 0) throw invalid(templateErrorCodes.RequiredField, "Send at least one of 'Subject', 'HtmlBody' and 'TextBody' to validate.");
  const type = sent.TemplateType ?? "Standard";
  if (!(templateTypes as readonly string[]).includes(type)) throw invalid(templateErrorCodes.InvalidField, `Invalid 'TemplateType': ${JSON.stringify(type)}. Allowed values: ${templateTypes.join(", ")}.`);
  if (type === "Layout" && typeof sent.Subject === "string") throw invalid(templateErrorCodes.FieldNotAllowed, "A Layout template has no 'Subject'.");
  if (type === "Layout" && sent.LayoutTemplate) throw invalid(templateErrorCodes.FieldNotAllowed, "A Layout template cannot use a layout.");
  const layout = sent.LayoutTemplate ? liveTemplates(store, serverId).find((t) => t.TemplateType === "Layout" && t.Alias === sent.LayoutTemplate) : undefined;
  if (sent.LayoutTemplate && !layout) throw invalid(templateErrorCodes.NotFound, `The layout '${sent.LayoutTemplate}' was not found.`);

  const model = sent.TestRenderModel ?? {};
  const suggested: Record<string, unknown> = {};
  const report = (part: ContentPart) => {
    if (typeof sent[part] !== "string") return null;
    const parsed = parseTemplate(sent[part]!);
    if (!parsed.ok) return { ContentIsValid: false, ValidationErrors: [parsed.error], RenderedContent: null };
    const problem = placeholderProblem(type as TemplateType, part, countContentPlaceholders(parsed.nodes));
    if (problem) return { ContentIsValid: false, ValidationErrors: [{ Message: problem, Line: 1, CharacterPosition: 1 }], RenderedContent: null };
    suggestModel(parsed.nodes, suggested);
    const html = part === "HtmlBody";
    let rendered = render(parsed.nodes, model, { html });
    const layoutContent = layout && part !== "Subject" ? layout[part] : null;
    if (layoutContent !== null && layoutContent !== undefined) {
      const layoutParsed = parseTemplate(layoutContent);
      if (layoutParsed.ok) {
        suggestModel(layoutParsed.nodes, suggested);
        rendered = render(layoutParsed.nodes, model, { html, content: rendered });
      }
    }
    return { ContentIsValid: true, ValidationErrors: [], RenderedContent: rendered };
  };
  const [Subject, HtmlBody, TextBody] = contentParts.map(report);
  const AllContentIsValid = [Subject, HtmlBody, TextBody].every((r) => r === null || r.ContentIsValid);
  return ok({ AllContentIsValid, Subject, HtmlBody, TextBody, SuggestedTemplateModel: suggested });
}

/** The fields a push copies and compares. */
const pushedFields = ["Name", "Subject", "HtmlBody", "TextBody", "LayoutTemplate"] as const;

/**
 * PUT /templates/push: copies the source server's templates that have an alias to the destination, matched by
 * alias; Layouts first, so the templates that use them find them. Only what would change is listed.
 */
function pushTemplates({ bodyText, json, store }: RequestContext): Answer {
  if (bodyText.trim() === "" || json() === null) throw invalid(templateErrorCodes.NoData, "No push data was received.");
  const body = json();
  if (!isObject(body)) throw invalidField("The request body must be a JSON object.");
  for (const [name, value] of Object.entries(body)) {
    if (!["SourceServerID", "DestinationServerID", "PerformChanges"].includes(name)) throw invalidField(`Unknown field '${name}' in the request body.`);
    if (name === "PerformChanges" ? typeof value !== "boolean" : !Number.isInteger(value)) throw invalidField(`Invalid value for '${name}': ${JSON.stringify(value)}.`);
  }
  const missing = ["SourceServerID", "DestinationServerID", "PerformChanges"].find((name) => !(name in body));
  if (missing) throw invalid(templateErrorCodes.RequiredField, `'${missing}' is required.`);
  const { SourceServerID: source, DestinationServerID: destination, PerformChanges: perform } = body as { SourceServerID: number; DestinationServerID: number; PerformChanges: boolean };
  const exists = (id: number) => storedServers(store).some((s) => s.ID === id);
  const absent = [exists(source) ? "" : "source", exists(destination) ? "" : "destination"].filter(Boolean);
  if (absent.length > 0) {
    throw invalid(templateErrorCodes.ServerNotFound, `The ${absent.join(" and ")} ${absent.length > 1 ? "servers were" : "server was"} not found.`);
  }
  const pushed = liveTemplates(store, source)
    .filter((t) => t.Alias !== null)
    .sort((a, b) => Number(b.TemplateType === "Layout") - Number(a.TemplateType === "Layout"));
  if (pushed.length === 0) throw invalid(templateErrorCodes.NothingToPush, `Server ${source} has no templates with an alias: there is nothing to push.`);
  const change = (draft: StoreDraft) => {
    const actions = [];
    for (const template of pushed) {
      const target = liveTemplates(draft, destination).find((t) => sameAlias(t.Alias, template.Alias));
      if (target && target.TemplateType !== template.TemplateType) {
        throw invalid(templateErrorCodes.PushTypeMismatch, `The template '${template.Alias}' is a ${template.TemplateType} template on server ${source} but a ${target.TemplateType} template on server ${destination}.`);
      }
      if (target && pushedFields.every((field) => target[field] === template[field])) continue;
      if (!target && liveTemplates(draft, destination).length >= maxTemplatesPerServer) {
        throw invalid(templateErrorCodes.TemplateLimit, `Server ${destination} would have more than ${maxTemplatesPerServer} templates.`);
      }
      const copied = { ...(target ?? { ...newTemplate(draft, destination, template.TemplateType), Alias: template.Alias }) };
      for (const field of pushedFields) (copied as Record<string, unknown>)[field] = template[field];
      if (target) replaceTemplate(draft, copied);
      else draft.replace(templatesCollection, [...storedTemplates(draft), copied]);
      actions.push({ Action: target ? "Edit" : "Create", TemplateId: template.TemplateId, Alias: template.Alias, Name: template.Name, TemplateType: template.TemplateType });
    }
    return actions;
  };
  // A dry run works on a draft that is thrown away, so it finds exactly what a real push would do.
  const actions = perform ? store.change(change) : dryRun(store, change);
  return ok({ TotalCount: actions.length, Templates: actions });
}

/** Runs a change on a draft and discards it: the draft is only made visible when the change returns. */
function dryRun<R>(store: StateStore, change: (draft: StoreDraft) => R): R {
  const discarded = new Error("dry run");
  let result: R | undefined;
  try {
    store.change((draft) => {
      result = change(draft);
      throw discarded;
    });
  } catch (error) {
    if (error !== discarded) throw error;
  }
  return result as R;
}

function templateByHand(draft: StoreDraft | StateStore, serverId: number, idOrAlias: string): StoredTemplate {
  try {
    return findTemplate(draft, serverId, idOrAlias, true);
  } catch {
    return adminNotFound(`No template '${idOrAlias}' on server ${serverId}`);
  }
}

const handPath = "/servers/{serverId:int}/templates";

const adminRoutes: AdminRoute[] = [
  // Every stored template of the server, with bodies; a deleted one kept readable too (Active false).
  { method: "GET", path: handPath, handle: (context) => ok(storedTemplates(context.store).filter((t) => t.AssociatedServerId === serverByHand(context))) },
  {
    // As in Postmark's web UI: an ID, Standard unless given, nothing checked but a free alias.
    method: "POST",
    path: handPath,
    handle: async (context) => {
      const serverId = serverByHand(context);
      const fields = await context.body();
      if (typeof fields.Name !== "string") throw badRequest("send a string Name");
      if ("TemplateId" in fields || "AssociatedServerId" in fields) throw badRequest("the TemplateId is assigned and the AssociatedServerId comes from the path");
      return ok(
        context.store.change((draft) => {
          if (fields.Alias && liveTemplates(draft, serverId).some((t) => sameAlias(t.Alias, fields.Alias as string))) throw badRequest(`server ${serverId} already has a template with the alias '${fields.Alias}'`);
          const template = { ...newTemplate(draft, serverId, fields.TemplateType === "Layout" ? "Layout" : "Standard"), ...fields } as StoredTemplate;
          draft.replace(templatesCollection, [...storedTemplates(draft), template]);
          return template;
        }),
      );
    },
  },
  {
    // Bypasses every check, e.g. a body changed in the web UI, or a layout detached (LayoutTemplate: null).
    method: "PATCH",
    path: `${handPath}/{idOrAlias}`,
    handle: async (context) => {
      const serverId = serverByHand(context);
      const fields = await context.body();
      if ("TemplateId" in fields || "AssociatedServerId" in fields) throw badRequest("the TemplateId and AssociatedServerId cannot be changed");
      return ok(context.store.change((draft) => replaceTemplate(draft, { ...templateByHand(draft, serverId, context.params.idOrAlias), ...fields })));
    },
  },
  {
    // A delete in the web UI: as the API's (kept readable when deletedTemplatesReadable is on), without the layout-in-use check.
    method: "DELETE",
    path: `${handPath}/{idOrAlias}`,
    handle: (context) => {
      const serverId = serverByHand(context);
      return ok(
        context.store.change((draft) => {
          const template = templateByHand(draft, serverId, context.params.idOrAlias);
          removeTemplate(draft, template, context.apiSettings.deletedTemplatesReadable === true);
          return template;
        }),
      );
    },
  },
];

export const templatesApi: ApiModule = {
  name: "templates",
  token: "server",
  collections: [{ name: templatesCollection, idCounter: "nextTemplateId", ownerField: "AssociatedServerId" }],
  settings: {
    deletedTemplatesReadable: { default: false, expected: "true or false", accepts: (value) => typeof value === "boolean" },
  },
  routes: [
    { method: "GET", path: "/templates", handle: listTemplates },
    // The official client posts to "/templates/".
    ...["/templates", "/templates/"].map((path) => ({ method: "POST" as const, path, create: true, handle: createTemplate })),
    { method: "POST", path: "/templates/validate", handle: validateTemplate },
    { method: "GET", path: "/templates/{idOrAlias}", handle: getTemplate },
    { method: "PUT", path: "/templates/{idOrAlias}", handle: editTemplate },
    { method: "DELETE", path: "/templates/{idOrAlias}", handle: deleteTemplate },
  ],
  adminRoutes,
};

/**
 * Template push takes the ACCOUNT token, unlike the rest of /templates: a module of its own, registered before
 * templatesApi so that `PUT /templates/push` reaches it first (a template aliased "push" cannot be edited by alias).
 */
export const templatePushApi: ApiModule = {
  name: "template-push",
  token: "account",
  routes: [{ method: "PUT", path: "/templates/push", handle: pushTemplates }],
};
