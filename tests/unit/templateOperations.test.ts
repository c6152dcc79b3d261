/**
 * PostmarkTemplate's operations against the emulator over HTTP: check with no API call, read after write,
 * partial edits, layouts, Postmark's errors made clear, lost-create recovery, validation before writing.
 */
import { interruptedCreateAdvice } from "../../provider/core/errors";
import { unknownValue, Values } from "../../provider/core/fields";
import { ResourceOperations } from "../../provider/core/operations";
import { templateDeclaration } from "../../provider/resources/template";
import { StoredTemplate } from "../support/emulatorAdmin";
import { checkedInputs, failureOf, failureReasons, useOperationsEmulator } from "../support/operationsHarness";

const token = "unit-test-account-token-templates";

const { admin, calls, client } = useOperationsEmulator({ token, seed: 11 });
let operations: ResourceOperations;
let serverId: number;

beforeEach(async () => {
  await admin.settings({ faults: "", faultQueue: [], createFaultQueue: [] });
  await admin.templateSettings({ deletedTemplatesReadable: false });
  await admin.reset();
  serverId = (await admin.createByHand({ Name: "Templates" })).ID;
  // The server's token is found once per process; found here so that the call lists below are the template calls.
  await client().serverToken(String(serverId));
  // A new provider process for each test: it knows nothing of the templates made before it.
  operations = new ResourceOperations(templateDeclaration, client);
  await admin.clearRequests();
});

/** The one listing a run makes before its first create on a server, to know which templates existed before it. */
const listing = "GET /templates?Count=500&Offset=0 200";
const stored = async (id: string | number): Promise<StoredTemplate> =>
  (await admin.templates(serverId)).find((t) => t.TemplateId === Number(String(id).split("/").pop()))!;

const layoutHtml = "<html><body><header>ACME</header>{{{@content}}}</body></html>";
const layoutText = "ACME\n\n{{{@content}}}";
const layout = () => ({ serverId, name: "Base", alias: "base", templateType: "Layout", htmlBody: layoutHtml, textBody: layoutText });
const welcome = () => ({
  serverId,
  name: "Welcome",
  alias: "welcome",
  subject: "Welcome, {{name}}",
  htmlBody: "<p>Hello {{name}}</p>",
  textBody: "Hello {{name}}",
  layoutTemplate: "base",
});

/** The program's inputs after check, as the engine hands them to create, diff and update. */
const checked = (news: Values, olds: Values = {}) => checkedInputs(operations, news, olds);
async function created(news: Values): Promise<{ id: string; outs: Values }> {
  const result = await operations.create(checked(news));
  await admin.clearRequests();
  return result;
}

describe("check: Postmark's template rules, with no API call", () => {
  const reasons = (news: Values) => failureReasons(operations.check({}, news));

  it("an alias must start with a letter and hold only letters, digits, '.', '-' and '_'", () => {
    expect(reasons({ ...welcome(), alias: "1st welcome" })).toEqual([
      'alias: alias is "1st welcome"; it must start with a letter and hold only letters, digits, ".", "-" and "_" ("" for none)',
    ]);
    expect(reasons({ ...welcome(), alias: "welcome.v2-final_x" })).toEqual([]);
    expect(reasons({ ...welcome(), layoutTemplate: "base layout" })[0]).toMatch(/^layoutTemplate: layoutTemplate is "base layout"; it must start/);
  });

  it("a Standard template needs a subject; a Layout refuses one, even empty", () => {
    expect(reasons({ ...welcome(), subject: undefined })).toEqual(["subject: subject is required for a Standard template"]);
    expect(reasons({ ...layout(), subject: "" })).toEqual(["subject: subject is not allowed on a Layout: the templates that use it have the subject"]);
  });

  it("a template needs at least one body", () => {
    expect(reasons({ ...welcome(), htmlBody: "", textBody: undefined })).toEqual(["htmlBody: a template needs an htmlBody or a textBody (or both)"]);
  });

  it("each body of a Layout holds the content placeholder exactly once; a Standard template holds none", () => {
    expect(reasons({ ...layout(), htmlBody: "<p>no placeholder</p>", textBody: "{{{@content}}} and {{{ @content }}}" })).toEqual([
      "htmlBody: htmlBody of a Layout must hold the content placeholder {{{@content}}} exactly once; it holds it 0 times",
      "textBody: textBody of a Layout must hold the content placeholder {{{@content}}} exactly once; it holds it 2 times",
    ]);
    expect(reasons({ ...welcome(), htmlBody: "<p>{{{@content}}}</p>" })).toEqual([
      "htmlBody: htmlBody holds the content placeholder {{{@content}}}, which belongs in a Layout, not in a Standard template",
    ]);
  });

  it("layoutTemplate is only for Standard templates", () => {
    expect(reasons({ ...layout(), layoutTemplate: "other" })).toEqual(["layoutTemplate: layoutTemplate is only for Standard templates: a Layout cannot use a layout"]);
  });

  it("values not known yet (a layout's alias before it exists) are not judged", () => {
    expect(reasons({ ...welcome(), layoutTemplate: unknownValue })).toEqual([]);
    expect(reasons({ ...layout(), htmlBody: unknownValue, textBody: undefined })).toEqual([]);
  });

  it("validate must be true or false, and an unknown input is named", () => {
    expect(reasons({ ...welcome(), validate: "yes", colour: "red" })).toEqual([
      "colour: colour is not a PostmarkTemplate input; known inputs: name, alias, subject, htmlBody, textBody, templateType, layoutTemplate, serverId, serverToken, validate, adoptTemplateId",
      'validate: validate is "yes"; it must be true or false',
    ]);
  });

  it("check makes no API call", async () => {
    reasons({ ...layout(), subject: "x" });
    expect(await calls()).toEqual([]);
  });
});

describe("create: one POST, then one read (Postmark answers without the bodies)", () => {
  it("a layout, then a template using it: outputs are what a read returns, and the next diff is empty", async () => {
    const base = await operations.create(checked(layout()));
    const baseId = (await admin.templates(serverId))[0].TemplateId;
    expect(base.id).toBe(`${serverId}/${baseId}`);
    expect(await calls()).toEqual([listing, "POST /templates 200", `GET /templates/${baseId} 200`]);
    expect(base.outs).toMatchObject({ templateId: baseId, alias: "base", htmlBody: layoutHtml, textBody: layoutText, templateType: "Layout", subject: null, layoutTemplate: "" });

    await admin.clearRequests();
    const user = await operations.create(checked(welcome()));
    const userId = Number(user.id.split("/")[1]);
    // One listing per process and server: this second create does not list again.
    expect(await calls()).toEqual(["POST /templates 200", `GET /templates/${userId} 200`]);
    expect(await stored(userId)).toMatchObject({ Name: "Welcome", Subject: "Welcome, {{name}}", LayoutTemplate: "base", HtmlBody: "<p>Hello {{name}}</p>" });
    expect(user.outs).toMatchObject({ htmlBody: "<p>Hello {{name}}</p>", textBody: "Hello {{name}}", layoutTemplate: "base" });
    expect(user.outs.managedFields).toEqual(["name", "alias", "subject", "htmlBody", "textBody", "layoutTemplate"]);
    expect(operations.diff(user.id, user.outs, checked(welcome(), user.outs))).toMatchObject({ changes: false });
  });

  it("a template without bodies in the create's answer never reports them missing (layoutTemplate \"\" and a single body)", async () => {
    const plain = { serverId, name: "Plain", subject: "Hi", textBody: "Hi", layoutTemplate: "" };
    const { id, outs } = await created(plain);
    expect(outs).toMatchObject({ htmlBody: "", layoutTemplate: "", alias: "" });
    expect(operations.diff(id, outs, checked(plain, outs)).changes).toBe(false);
  });

  it("an alias another template has (made by hand) names it and how to adopt it; nothing is created", async () => {
    const existing = await admin.createTemplateByHand(serverId, { Name: "Old welcome", Alias: "Welcome", Subject: "Hi", TextBody: "Hi" });
    const failure = await failureOf(operations.create(checked({ ...welcome(), layoutTemplate: undefined })));
    expect(failure.message).toBe(
      `A template with the alias "Welcome" already exists on server ${serverId}: "Old welcome" (ID ${existing.TemplateId}, alias Welcome). ` +
        `To manage it from this program, set \`adoptTemplateId: ${existing.TemplateId}\` on this resource; otherwise choose another alias. ` +
        interruptedCreateAdvice("template"),
    );
    expect(await admin.templates(serverId)).toHaveLength(1);
  });

  it("a create whose answer is lost takes the template it made: no twin", async () => {
    await admin.settings({ createFaultQueue: ["lost-create"] });
    const { id } = await operations.create(checked({ ...welcome(), layoutTemplate: undefined }));
    const all = await admin.templates(serverId);
    expect(all).toHaveLength(1);
    expect(id).toBe(`${serverId}/${all[0].TemplateId}`);
    expect(await calls()).toEqual([listing, "POST /templates 0", listing, `GET /templates/${all[0].TemplateId} 200`]);
  });

  it("a lost answer never takes a same-named template that existed before (no alias to go by)", async () => {
    const before = await admin.createTemplateByHand(serverId, { Name: "Notice", Subject: "Hi", TextBody: "Hi" });
    await admin.settings({ createFaultQueue: ["lost-create"] });
    const { id } = await operations.create(checked({ serverId, name: "Notice", subject: "Hi", textBody: "Hi" }));
    expect(id).not.toBe(`${serverId}/${before.TemplateId}`);
    expect((await admin.templates(serverId)).map((t) => t.Name)).toEqual(["Notice", "Notice"]);
  });

  it("adoptTemplateId reads a template made by hand and brings it to the program with one edit", async () => {
    const byHand = await admin.createTemplateByHand(serverId, { Name: "Welcome", Alias: "welcome", Subject: "Old", HtmlBody: "<p>old</p>" });
    const news = { ...welcome(), layoutTemplate: undefined, textBody: undefined, adoptTemplateId: byHand.TemplateId };
    const { id, outs } = await operations.create(checked(news));
    expect(id).toBe(`${serverId}/${byHand.TemplateId}`);
    const t = byHand.TemplateId;
    expect(await calls()).toEqual([`GET /templates/${t} 200`, `PUT /templates/${t} 200`, `GET /templates/${t} 200`]);
    expect(outs).toMatchObject({ subject: "Welcome, {{name}}", htmlBody: "<p>Hello {{name}}</p>", adoptTemplateId: t });
  });
});

describe("update: only what changed, then one read", () => {
  it("a body change sends that body only: a subject changed by hand (not refreshed) stays", async () => {
    await created(layout());
    const { id, outs } = await created(welcome());
    await admin.editTemplateByHand(serverId, "welcome", { Subject: "Changed by hand" });
    const news = checked({ ...welcome(), htmlBody: "<p>Hi {{name}}!</p>" }, outs);
    const diff = operations.diff(id, outs, news);
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: after } = await operations.update(id, outs, news);
    const t = id.split("/")[1];
    expect(await calls()).toEqual([`PUT /templates/${t} 200`, `GET /templates/${t} 200`]);
    expect(await stored(id)).toMatchObject({ HtmlBody: "<p>Hi {{name}}!</p>", Subject: "Changed by hand" });
    // The read after the write shows the hand edit, so the next diff puts the subject back.
    expect(after.subject).toBe("Changed by hand");
    expect(operations.diff(id, after, news).changes).toBe(true);
  });

  it('detaching the layout ("" or removing it) sends LayoutTemplate "" and leaves no diff behind', async () => {
    await created(layout());
    const { id, outs } = await created(welcome());
    const detached = checked({ ...welcome(), layoutTemplate: "" }, outs);
    const { outs: after } = await operations.update(id, outs, detached);
    expect(await stored(id)).toMatchObject({ LayoutTemplate: null });
    expect(after.layoutTemplate).toBe("");
    expect(operations.diff(id, after, detached).changes).toBe(false);
    expect(operations.diff(id, after, checked({ ...welcome(), layoutTemplate: undefined }, after)).changes).toBe(false);
  });

  it("a body the program stops declaring is cleared; a subject left out of the program is left alone", async () => {
    const { id, outs } = await created({ ...welcome(), layoutTemplate: undefined });
    const { outs: after } = await operations.update(id, outs, checked({ serverId, name: "Welcome", alias: "welcome", htmlBody: "<p>Hello</p>", subject: "Welcome, {{name}}" }, outs));
    expect(await stored(id)).toMatchObject({ TextBody: null, HtmlBody: "<p>Hello</p>" });
    expect(after.textBody).toBe("");
  });

  it("templateType replaces the template; the old one goes first when the alias stays (aliases are unique)", async () => {
    const { id, outs } = await created({ ...welcome(), layoutTemplate: undefined });
    const asLayout = { serverId, name: "Welcome", alias: "welcome", templateType: "Layout", htmlBody: layoutHtml };
    expect(operations.diff(id, outs, checked(asLayout, outs))).toEqual({ changes: true, replaces: ["templateType"], deleteBeforeReplace: true });
    expect(operations.diff(id, outs, checked({ ...asLayout, alias: "welcome-layout" }, outs))).toMatchObject({ deleteBeforeReplace: false });
    expect(await calls()).toEqual([]);
  });

  it("a layoutTemplate that is no Layout's alias says so (Postmark's 1101 is not taken for the template being gone)", async () => {
    const { id, outs } = await created({ ...welcome(), layoutTemplate: undefined });
    const failure = await failureOf(operations.update(id, outs, checked({ ...welcome(), layoutTemplate: "missing" }, outs)));
    expect(failure.message).toMatch(new RegExp(`^layoutTemplate is "missing", but server ${serverId} has no Layout with that alias`));
    const t = id.split("/")[1];
    expect(await calls()).toEqual([`PUT /templates/${t} 422`, `GET /templates/${t} 200`]);
  });

  it("an edit of a template deleted by hand says to refresh", async () => {
    const { id, outs } = await created({ ...welcome(), layoutTemplate: undefined });
    await admin.deleteTemplateByHand(serverId, "welcome");
    const failure = await failureOf(operations.update(id, outs, checked({ ...welcome(), layoutTemplate: undefined, subject: "New" }, outs)));
    expect(failure.message).toContain(`Postmark template ${id.split("/")[1]} ("Welcome") no longer exists (deleted outside Pulumi?)`);
  });

  it("changing the alias of a layout in use names the templates that use it", async () => {
    const base = await created(layout());
    await created(welcome());
    const failure = await failureOf(operations.update(base.id, base.outs, checked({ ...layout(), alias: "base2" }, base.outs)));
    const welcomeId = (await admin.templates(serverId)).find((t) => t.Alias === "welcome")!.TemplateId;
    expect(failure.message).toContain(`Cannot change the alias of layout ${base.id.split("/")[1]} ("Base", alias base) on server ${serverId}: templates use it: "Welcome" (ID ${welcomeId}, alias welcome).`);
  });
});

describe("read: refresh and .get", () => {
  it("a change by hand comes back in the inputs of the fields the program manages", async () => {
    const { id, outs } = await created({ ...welcome(), layoutTemplate: undefined });
    await admin.editTemplateByHand(serverId, "welcome", { HtmlBody: "<p>by hand</p>", Name: "Renamed" });
    const read = await operations.read(id, outs);
    expect(read.inputs).toMatchObject({ htmlBody: "<p>by hand</p>", name: "Renamed", serverId });
    expect(await calls()).toEqual([`GET /templates/${id.split("/")[1]} 200`]);
  });

  it("a template deleted by hand is gone (1101), and so is one Postmark keeps readable as inactive", async () => {
    const { id, outs } = await created({ ...welcome(), layoutTemplate: undefined });
    await admin.templateSettings({ deletedTemplatesReadable: true });
    await admin.deleteTemplateByHand(serverId, "welcome");
    expect(await stored(id)).toMatchObject({ Active: false });
    expect(await operations.read(id, outs)).toEqual({ id: "", props: {} });
    await admin.templateSettings({ deletedTemplatesReadable: false });
    expect(await operations.read(id, outs)).toEqual({ id: "", props: {} });
  });

  it(".get of a missing template fails clearly", async () => {
    const failure = await failureOf(operations.read(`${serverId}/424242`, {}));
    expect(failure.message).toBe(`PostmarkTemplate.get: no Postmark template with ID 424242 in server ${serverId}.`);
  });
});

describe("delete", () => {
  it("a layout still used by a template outside the program (1130) names that template, and stays", async () => {
    const base = await created(layout());
    const legacy = await admin.createTemplateByHand(serverId, { Name: "Legacy receipt", Alias: "legacy", Subject: "Hi", TextBody: "Hi", LayoutTemplate: "base" });
    const failure = await failureOf(operations.delete(base.id, base.outs));
    expect(failure.message).toBe(
      `Cannot delete layout ${base.id.split("/")[1]} ("Base", alias base) on server ${serverId}: templates use it: ` +
        `"Legacy receipt" (ID ${legacy.TemplateId}, alias legacy). Detach them first (layoutTemplate: "" in their program, or in ` +
        "Postmark's web UI), or delete them. Nothing was changed.",
    );
    expect(await admin.templates(serverId)).toHaveLength(2);
  });

  it("one DELETE; a template already gone is fine", async () => {
    const { id, outs } = await created({ ...welcome(), layoutTemplate: undefined });
    await operations.delete(id, outs);
    await operations.delete(id, outs);
    const t = id.split("/")[1];
    expect(await calls()).toEqual([`DELETE /templates/${t} 200`, `DELETE /templates/${t} 422`]);
    expect(await admin.templates(serverId)).toEqual([]);
  });
});

describe("validate: Postmark's validation before writing, in up only", () => {
  it("errors fail the create with the line and character of each, and nothing is written", async () => {
    const broken = { ...welcome(), layoutTemplate: undefined, validate: true, htmlBody: "<p>\n  Hello {{name</p>", textBody: "Hi {{#each items}}" };
    const failure = await failureOf(operations.create(checked(broken)));
    expect(failure.message).toMatch(/^Postmark's validation of template "Welcome" failed; nothing was written:\n {2}htmlBody, line 2, character \d+: .+\n {2}textBody, line 1, character \d+: .+$/);
    expect(await calls()).toEqual(["POST /templates/validate 200"]);
    expect(await admin.templates(serverId)).toEqual([]);
  });

  it("errors fail an edit the same way, before the PUT", async () => {
    const { id, outs } = await created({ ...welcome(), layoutTemplate: undefined, validate: true });
    const failure = await failureOf(operations.update(id, outs, checked({ ...welcome(), layoutTemplate: undefined, validate: true, subject: "Hi {{/each}}" }, outs)));
    expect(failure.message).toMatch(/^Postmark's validation of template "Welcome" failed; nothing was written:\n {2}subject, line 1, character 4: /);
    expect(await calls()).toEqual(["POST /templates/validate 200"]);
    expect(await stored(id)).toMatchObject({ Subject: "Welcome, {{name}}" });
  });

  it("valid content is validated once, then written; an edit that changes no content is not validated", async () => {
    await created(layout());
    const news = checked({ ...welcome(), validate: true });
    const { id, outs } = await operations.create(news);
    const t = id.split("/")[1];
    expect(await calls()).toEqual(["POST /templates/validate 200", "POST /templates 200", `GET /templates/${t} 200`]);
    await admin.clearRequests();
    await operations.update(id, outs, checked({ ...welcome(), validate: true, name: "Welcome!" }, outs));
    expect(await calls()).toEqual([`PUT /templates/${t} 200`, `GET /templates/${t} 200`]);
  });

  it("turning validate on or off alone is no change", async () => {
    const { id, outs } = await created({ ...welcome(), layoutTemplate: undefined });
    expect(operations.diff(id, outs, checked({ ...welcome(), layoutTemplate: undefined, validate: true }, outs)).changes).toBe(false);
  });
});
