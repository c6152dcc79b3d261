/**
 * The Templates API (server token; push with the account token): create, get, list, partial edit, delete,
 * validate, push, every refusal, layouts, auth, faults, admin hand edits, the state file and the official client.
 */
import { Errors, Models, ServerClient } from "postmark";
import { droppedConnection, okJson, postmarkError, serverTokenHeaders, useEmulator, useStateFileEmulator } from "./emulatorHarness";

const welcome = { Name: "Welcome", Subject: "Hi {{name}}", HtmlBody: "<p>Hello {{name}}</p>", TextBody: "Hello {{name}}", Alias: "welcome" };
const layoutFields = { Name: "Frame", TemplateType: "Layout", Alias: "frame", HtmlBody: "<main>{{{@content}}}</main>", TextBody: "--\n{{{@content}}}\n--" };

describe("Templates API", () => {
  const pm = useEmulator();
  let serverId: number;
  let serverToken: string;
  const api = (method: string, route: string, body?: unknown, headers?: Record<string, string | undefined>) => pm.serverCall(serverToken, method, route, body, headers);
  const create = (body: Record<string, unknown>) => okJson("create", api("POST", "/templates", body));
  const get = async (idOrAlias: number | string) => (await api("GET", `/templates/${idOrAlias}`)).json;
  const list = async (query = "Count=100&Offset=0") => (await api("GET", `/templates?${query}`)).json;

  beforeEach(async () => {
    ({ id: serverId, token: serverToken } = await pm.server("Templates"));
  });

  describe("create", () => {
    test("answers a summary without bodies; GET by ID or alias gives the whole template with its bodies", async () => {
      const created = await create(welcome);
      expect(created).toEqual({ TemplateId: expect.any(Number), Name: "Welcome", Active: true, Alias: "welcome", TemplateType: "Standard", LayoutTemplate: null });
      expect(Object.keys(created)).toEqual(["TemplateId", "Name", "Active", "Alias", "TemplateType", "LayoutTemplate"]);
      const full = {
        Name: "Welcome",
        TemplateId: created.TemplateId,
        Alias: "welcome",
        Subject: "Hi {{name}}",
        HtmlBody: "<p>Hello {{name}}</p>",
        TextBody: "Hello {{name}}",
        AssociatedServerId: serverId,
        Active: true,
        TemplateType: "Standard",
        LayoutTemplate: null,
      };
      expect(await get(created.TemplateId)).toEqual(full);
      expect(await get("welcome")).toEqual(full);
    });

    test("the type defaults to Standard; Alias and one body are optional (null when absent); null counts as not sent", async () => {
      const created = await create({ Name: "Plain", Subject: "S", TextBody: "T", Alias: null, HtmlBody: null });
      expect(created).toMatchObject({ TemplateType: "Standard", Alias: null });
      expect(await get(created.TemplateId)).toMatchObject({ HtmlBody: null, TextBody: "T", Alias: null });
    });

    test("POST /templates/ (the official client's path, with its trailing slash) creates too", async () => {
      expect((await api("POST", "/templates/", welcome)).status).toBe(200);
      expect((await list()).TotalCount).toBe(1);
    });

    test("a Layout has no Subject (null on GET); a Standard template uses it by alias; '' detaches it (null)", async () => {
      const layout = await create(layoutFields);
      expect(layout).toMatchObject({ TemplateType: "Layout", LayoutTemplate: null });
      expect(await get("frame")).toMatchObject({ Subject: null, TemplateType: "Layout" });
      const user = await create({ ...welcome, LayoutTemplate: "frame" });
      expect(user.LayoutTemplate).toBe("frame");
      expect((await api("PUT", `/templates/${user.TemplateId}`, { LayoutTemplate: "" })).json.LayoutTemplate).toBeNull();
      expect((await get(user.TemplateId)).LayoutTemplate).toBeNull();
    });

    test("a Layout needs the placeholder in each body it has: HTML only is fine", async () => {
      expect((await create({ Name: "Html frame", TemplateType: "Layout", HtmlBody: "<div>{{{ @content }}}</div>" })).TemplateType).toBe("Layout");
    });

    test("IDs are integers that grow and are never reused, even after a delete", async () => {
      const first = await create({ ...welcome, Alias: "a" });
      const second = await create({ ...welcome, Alias: "b" });
      await api("DELETE", `/templates/${second.TemplateId}`);
      const third = await create({ ...welcome, Alias: "c" });
      expect(Number.isInteger(first.TemplateId)).toBe(true);
      expect(second.TemplateId).toBeGreaterThan(first.TemplateId);
      expect(third.TemplateId).toBeGreaterThan(second.TemplateId);
    });

    test.each([
      ["an empty body", 1109, ""],
      ["a null body", 1109, "null"],
      ["an empty object", 1109, {}],
      ["only nulls", 1109, { Name: null, Alias: null }],
      ["a body that is not JSON", 402, "{Name:"],
      ["a body that is not an object", 403, [welcome]],
      ["a TemplateId", 403, { ...welcome, TemplateId: 5 }],
      ["an Active flag", 403, { ...welcome, Active: true }],
      ["an unknown field", 403, { ...welcome, Layout: "frame" }],
      ["a Name that is not a string", 403, { ...welcome, Name: 5 }],
      ["no Name", 1120, { Subject: "S", TextBody: "T" }],
      ["a blank Name", 1120, { ...welcome, Name: "  " }],
      ["a Standard template without Subject", 1120, { Name: "N", TextBody: "T" }],
      ["a Standard template with an empty Subject", 1120, { Name: "N", Subject: "", TextBody: "T" }],
      ["a Standard template without a body", 1120, { Name: "N", Subject: "S" }],
      ["a Standard template with empty bodies", 1120, { Name: "N", Subject: "S", HtmlBody: "", TextBody: "" }],
      ["an unknown TemplateType", 1122, { ...welcome, TemplateType: "Fancy" }],
      ["a TemplateType in another case", 1122, { ...welcome, TemplateType: "layout" }],
      ["an alias starting with a digit", 1122, { ...welcome, Alias: "1st" }],
      ["an alias starting with '-'", 1122, { ...welcome, Alias: "-x" }],
      ["an alias with a space", 1122, { ...welcome, Alias: "my alias" }],
      ["an alias with a slash", 1122, { ...welcome, Alias: "a/b" }],
      ["an alias with a non-ASCII letter", 1122, { ...welcome, Alias: "café" }],
      ["a Name over 100 characters", 1121, { ...welcome, Name: "n".repeat(101) }],
      ["an Alias over 100 characters", 1121, { ...welcome, Alias: "a".repeat(101) }],
      ["a Subject over 2000 characters", 1121, { ...welcome, Subject: "s".repeat(2001) }],
      ["an HtmlBody over 5,000,000 characters", 1121, { ...welcome, HtmlBody: "h".repeat(5_000_001) }],
      ["an unclosed tag in the HtmlBody", 1122, { ...welcome, HtmlBody: "<p>\n  {{name</p>" }],
      ["an unclosed section in the TextBody", 1122, { ...welcome, TextBody: "{{#items}}x" }],
      ["a stray '}}' in the Subject", 1122, { ...welcome, Subject: "Hi name}}" }],
      ["a Layout with a Subject", 1123, { ...layoutFields, Subject: "S" }],
      ["a Layout with an empty Subject", 1123, { ...layoutFields, Subject: "" }],
      ["a Layout using a layout", 1123, { ...layoutFields, LayoutTemplate: "other" }],
      ["a Layout without a body", 1120, { Name: "L", TemplateType: "Layout" }],
      ["a Layout without the placeholder", 1131, { ...layoutFields, TextBody: "no placeholder" }],
      ["a Layout with the placeholder twice", 1131, { ...layoutFields, HtmlBody: "{{{@content}}}{{{@content}}}" }],
      ["a Standard template with the placeholder", 1131, { ...welcome, HtmlBody: "{{{@content}}}" }],
      ["an unknown layout", 1101, { ...welcome, LayoutTemplate: "nowhere" }],
    ])("%s answers ErrorCode %i and creates nothing", async (_, errorCode, body) => {
      const res = await api("POST", "/templates", body);
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(errorCode));
      expect(await pm.admin().templates(serverId)).toEqual([]);
    });

    test("a syntax error names the part, line and character", async () => {
      const res = await api("POST", "/templates", { ...welcome, HtmlBody: "<p>\n  {{name</p>" });
      expect(res.json).toEqual(postmarkError(1122, /'HtmlBody'.*line 2, character 3/));
    });

    test("LayoutTemplate must name a Layout: a Standard template's alias answers 1101", async () => {
      await create(welcome);
      const res = await api("POST", "/templates", { ...welcome, Alias: "other", LayoutTemplate: "welcome" });
      expect(res.json).toEqual(postmarkError(1101, /welcome/));
    });

    test("an alias another template of the server has, in any case, answers 1122; another server may use it", async () => {
      await create(welcome);
      for (const alias of ["welcome", "WELCOME"]) {
        const res = await api("POST", "/templates", { ...welcome, Alias: alias });
        expect(res.status).toBe(422);
        expect(res.json).toEqual(postmarkError(1122, /already used/));
      }
      const other = await pm.server("Other");
      expect((await pm.serverCall(other.token, "POST", "/templates", welcome)).status).toBe(200);
    });

    test("a server holds at most 100 templates (1105); deleting one makes room", async () => {
      for (let i = 0; i < 99; i++) await pm.admin().createTemplateByHand(serverId, { Name: `T${i}`, Subject: "S", TextBody: "T" });
      const hundredth = await create(welcome);
      const res = await api("POST", "/templates", { ...welcome, Alias: "one-more" });
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(1105, /100/));
      await api("DELETE", `/templates/${hundredth.TemplateId}`);
      expect((await api("POST", "/templates", { ...welcome, Alias: "one-more" })).status).toBe(200);
    });
  });

  describe("get", () => {
    test("a missing ID or alias answers 422 ErrorCode 1101; aliases are matched with case", async () => {
      await create(welcome);
      for (const idOrAlias of ["4242", "nothing", "Welcome"]) {
        const res = await api("GET", `/templates/${idOrAlias}`);
        expect(res.status).toBe(422);
        expect(res.json).toEqual(postmarkError(1101, new RegExp(idOrAlias)));
      }
    });

    test("a template aliased 'validate' is reached by ID only: GET /templates/validate is not served (bare 404)", async () => {
      const created = await create({ ...welcome, Alias: "validate" });
      const byAlias = await api("GET", "/templates/validate");
      expect(byAlias.status).toBe(404);
      expect(byAlias.text).toBe("");
      expect((await get(created.TemplateId)).Alias).toBe("validate");
    });

    test("templates belong to their server: another server's token neither lists, reads, edits nor deletes them", async () => {
      const mine = await create(welcome);
      const other = await pm.server("Other");
      expect((await pm.serverCall(other.token, "GET", "/templates?Count=10&Offset=0")).json).toEqual({ TotalCount: 0, Templates: [] });
      for (const idOrAlias of [mine.TemplateId, "welcome"]) {
        for (const [method, body] of [["GET"], ["PUT", { Name: "Stolen" }], ["DELETE"]] as const) {
          const res = await pm.serverCall(other.token, method, `/templates/${idOrAlias}`, body);
          expect([method, idOrAlias, res.status, res.json.ErrorCode]).toEqual([method, idOrAlias, 422, 1101]);
        }
      }
      expect((await get(mine.TemplateId)).Name).toBe("Welcome");
    });
  });

  describe("list", () => {
    test("TotalCount and one summary per template, in ID order", async () => {
      const layout = await create(layoutFields);
      const user = await create({ ...welcome, LayoutTemplate: "frame" });
      expect(await list()).toEqual({
        TotalCount: 2,
        Templates: [
          { Active: true, TemplateId: layout.TemplateId, Name: "Frame", Alias: "frame", TemplateType: "Layout", LayoutTemplate: null },
          { Active: true, TemplateId: user.TemplateId, Name: "Welcome", Alias: "welcome", TemplateType: "Standard", LayoutTemplate: "frame" },
        ],
      });
    });

    test("Count and Offset page the list; TotalCount counts every match", async () => {
      const ids = [];
      for (const alias of ["a", "b", "c", "d"]) ids.push((await create({ ...welcome, Alias: alias })).TemplateId);
      const page = await list("Count=2&Offset=1");
      expect(page.TotalCount).toBe(4);
      expect(page.Templates.map((t: { TemplateId: number }) => t.TemplateId)).toEqual(ids.slice(1, 3));
      expect((await list("Count=500&Offset=9500")).Templates).toEqual([]);
    });

    test("TemplateType and LayoutTemplate filter the list; parameter names are matched without case (the client sends templateType)", async () => {
      await create(layoutFields);
      await create({ ...welcome, LayoutTemplate: "frame" });
      await create({ ...welcome, Alias: "bare" });
      const aliases = async (query: string) => (await list(query)).Templates.map((t: { Alias: string }) => t.Alias);
      expect(await aliases("Count=10&Offset=0&TemplateType=All")).toEqual(["frame", "welcome", "bare"]);
      expect(await aliases("Count=10&Offset=0&TemplateType=Standard")).toEqual(["welcome", "bare"]);
      expect(await aliases("count=10&offset=0&templateType=Layout")).toEqual(["frame"]);
      expect(await aliases("Count=10&Offset=0&LayoutTemplate=frame")).toEqual(["welcome"]);
      expect(await aliases("count=10&offset=0&layoutTemplate=nowhere")).toEqual([]);
    });

    test.each([
      ["no Count", "Offset=0"],
      ["no Offset", "Count=10"],
      ["Count 0", "Count=0&Offset=0"],
      ["Count 501", "Count=501&Offset=0"],
      ["Count and Offset over 10,000", "Count=500&Offset=9501"],
      ["a negative Offset", "Count=10&Offset=-1"],
      ["a Count that is not a whole number", "Count=1.5&Offset=0"],
      ["an unknown TemplateType", "Count=10&Offset=0&TemplateType=Fancy"],
      ["a TemplateType in another case", "Count=10&Offset=0&TemplateType=standard"],
    ])("%s answers ErrorCode 1100", async (_, query) => {
      const res = await api("GET", `/templates?${query}`);
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(1100));
    });
  });

  describe("edit (PUT)", () => {
    let created: { TemplateId: number };
    let before: Record<string, unknown>;
    beforeEach(async () => {
      await create(layoutFields);
      created = await create({ ...welcome, LayoutTemplate: "frame" });
      before = await get(created.TemplateId);
    });
    const edit = (body: unknown, idOrAlias: number | string = created.TemplateId) => api("PUT", `/templates/${idOrAlias}`, body);

    test("changes only the fields sent and answers the summary without bodies", async () => {
      const res = await edit({ Name: "Renamed" });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ TemplateId: created.TemplateId, Name: "Renamed", Active: true, Alias: "welcome", TemplateType: "Standard", LayoutTemplate: "frame" });
      expect(await get(created.TemplateId)).toEqual({ ...before, Name: "Renamed" });
    });

    test("by alias, a new alias and new content; the old alias no longer finds it", async () => {
      const res = await edit({ Alias: "hello", HtmlBody: "<b>{{name}}</b>", TextBody: "" }, "welcome");
      expect(res.json.Alias).toBe("hello");
      expect(await get("hello")).toEqual({ ...before, Alias: "hello", HtmlBody: "<b>{{name}}</b>", TextBody: null });
      expect((await api("GET", "/templates/welcome")).json.ErrorCode).toBe(1101);
    });

    test("Alias '' removes the alias (null); the same TemplateType is accepted", async () => {
      expect((await edit({ Alias: "", TemplateType: "Standard" })).json).toMatchObject({ Alias: null, TemplateType: "Standard" });
    });

    test("a layout's content can change while it is used, if it keeps its placeholder and alias", async () => {
      expect((await edit({ HtmlBody: "<section>{{{@content}}}</section>", Name: "New frame" }, "frame")).status).toBe(200);
      expect((await get("frame")).HtmlBody).toBe("<section>{{{@content}}}</section>");
    });

    test.each([
      ["an empty object", 1109, {}],
      ["an empty body", 1109, ""],
      ["only nulls", 1109, { Subject: null }],
      ["a TemplateId", 403, { TemplateId: 9 }],
      ["AssociatedServerId", 403, { AssociatedServerId: 9 }],
      ["a body that is not a string", 403, { HtmlBody: ["x"] }],
      ["another TemplateType", 1123, { TemplateType: "Layout" }],
      ["an unknown TemplateType", 1122, { TemplateType: "Fancy" }],
      ["a blank Name", 1120, { Name: "" }],
      ["an empty Subject", 1120, { Subject: "" }],
      ["both bodies emptied", 1120, { HtmlBody: "", TextBody: "" }],
      ["a bad alias", 1122, { Alias: "9lives" }],
      ["a syntax error", 1122, { TextBody: "{{#each items}}{{/items}}" }],
      ["the placeholder in a Standard template", 1131, { TextBody: "{{{@content}}}" }],
      ["an unknown layout", 1101, { LayoutTemplate: "nowhere" }],
      ["a Name over 100 characters", 1121, { Name: "x".repeat(101) }],
    ])("an edit with %s answers ErrorCode %i and changes nothing", async (_, errorCode, body) => {
      const res = await edit(body);
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(errorCode));
      expect(await get(created.TemplateId)).toEqual(before);
    });

    test("a Layout edited to lose its placeholder is refused with Postmark's 1131 text, as the official client's test expects; so is the placeholder in a Standard template", async () => {
      const layout = (await edit({ HtmlBody: "Html content" }, "frame")).json;
      expect(layout).toEqual(postmarkError(1131, /^The layout content placeholder must be present in the layout HTML and\/or Text body exactly once\b/));
      expect(layout.Message).toContain("HtmlBody");
      expect((await edit({ TextBody: "{{{@content}}}" })).json).toEqual(postmarkError(1131, /^The content placeholder cannot be present in a standard template\b/));
    });

    test("an alias another template has answers 1122", async () => {
      expect((await edit({ Alias: "FRAME" })).json).toEqual(postmarkError(1122, /already used/));
    });

    test.each([
      ["a Subject", 1123, { Subject: "S" }],
      ["a LayoutTemplate", 1123, { LayoutTemplate: "frame" }],
      ["a body without the placeholder", 1131, { TextBody: "plain" }],
      ["a new alias while templates use it", 1130, { Alias: "frame2" }],
      ["no alias while templates use it", 1130, { Alias: "" }],
    ])("an edit of a Layout with %s answers ErrorCode %i", async (_, errorCode, body) => {
      const layoutBefore = await get("frame");
      const res = await edit(body, "frame");
      expect(res.json).toEqual(postmarkError(errorCode));
      expect(await get("frame")).toEqual(layoutBefore);
    });

    test("a layout no template uses can change its alias", async () => {
      await edit({ LayoutTemplate: "" });
      expect((await edit({ Alias: "frame2" }, "frame")).json.Alias).toBe("frame2");
    });

    test("a missing template answers 1101", async () => {
      expect((await edit({ Name: "X" }, 4242)).json).toEqual(postmarkError(1101));
      expect((await edit({ Name: "X" }, "nothing")).json).toEqual(postmarkError(1101));
    });
  });

  describe("delete", () => {
    test("answers ErrorCode 0 and 'Template <id> removed.'; the template is gone from GET and the list", async () => {
      const created = await create(welcome);
      const res = await api("DELETE", "/templates/welcome");
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ErrorCode: 0, Message: `Template ${created.TemplateId} removed.` });
      expect((await api("GET", `/templates/${created.TemplateId}`)).json).toEqual(postmarkError(1101));
      expect((await api("DELETE", `/templates/${created.TemplateId}`)).json).toEqual(postmarkError(1101));
      expect(await list()).toEqual({ TotalCount: 0, Templates: [] });
    });

    test("a Layout still used answers 1130 and stays; once its users are detached it can go", async () => {
      const layout = await create(layoutFields);
      const user = await create({ ...welcome, LayoutTemplate: "frame" });
      const refused = await api("DELETE", "/templates/frame");
      expect(refused.status).toBe(422);
      expect(refused.json).toEqual(postmarkError(1130, new RegExp(String(user.TemplateId))));
      expect((await get(layout.TemplateId)).Active).toBe(true);
      await api("PUT", "/templates/welcome", { LayoutTemplate: "" });
      expect((await api("DELETE", "/templates/frame")).json).toEqual({ ErrorCode: 0, Message: `Template ${layout.TemplateId} removed.` });
    });

    test("with deletedTemplatesReadable on, a deleted template still answers GET, with Active false, and nothing else", async () => {
      await pm.admin().templateSettings({ deletedTemplatesReadable: true });
      const created = await create(welcome);
      const before = await get(created.TemplateId);
      await api("DELETE", `/templates/${created.TemplateId}`);
      expect(await get(created.TemplateId)).toEqual({ ...before, Active: false });
      expect(await get("welcome")).toEqual({ ...before, Active: false });
      expect(await list()).toEqual({ TotalCount: 0, Templates: [] });
      expect((await api("PUT", `/templates/${created.TemplateId}`, { Name: "Back" })).json).toEqual(postmarkError(1101));
      expect((await api("DELETE", `/templates/${created.TemplateId}`)).json).toEqual(postmarkError(1101));
      // The alias is free again, and the live template is the one it names.
      const again = await create(welcome);
      expect((await get("welcome")).TemplateId).toBe(again.TemplateId);
    });

    test("with deletedTemplatesReadable off (the default), a deleted template is gone even by ID", async () => {
      const created = await create(welcome);
      await api("DELETE", `/templates/${created.TemplateId}`);
      expect(await pm.admin().templates(serverId)).toEqual([]);
    });
  });

  describe("validate", () => {
    const validate = async (body: unknown) => {
      const res = await api("POST", "/templates/validate", body);
      if (res.status !== 200) throw new Error(`validate failed: ${res.status} ${res.text}`);
      return res.json;
    };

    test("valid content: each part sent is rendered with the test model (HTML escaped in HtmlBody), parts not sent are null", async () => {
      const result = await validate({ Subject: "Hi {{name}}", HtmlBody: "<p>{{name}} {{{raw}}} {{missing}}</p>", TestRenderModel: { name: "Ann & Bob", raw: "<i>x</i>" } });
      expect(result).toEqual({
        AllContentIsValid: true,
        Subject: { ContentIsValid: true, ValidationErrors: [], RenderedContent: "Hi Ann & Bob" },
        HtmlBody: { ContentIsValid: true, ValidationErrors: [], RenderedContent: "<p>Ann &amp; Bob <i>x</i> </p>" },
        TextBody: null,
        SuggestedTemplateModel: { name: "name_Value", raw: "raw_Value", missing: "missing_Value" },
      });
    });

    test("sections, each blocks, inverted sections, dotted paths and comments render and shape the suggested model", async () => {
      const TextBody = "{{! note }}{{company.name}}:{{#each items}} {{title}}{{/each}}{{#vip}} VIP {{level}}{{/vip}}{{^items}} none{{/items}}";
      const rendered = await validate({ TextBody, TestRenderModel: { company: { name: "ACME" }, items: [{ title: "a" }, { title: "b" }], vip: { level: 3 } } });
      expect(rendered.TextBody.RenderedContent).toBe("ACME: a b VIP 3");
      expect(rendered.SuggestedTemplateModel).toEqual({ company: { name: "name_Value" }, items: [{ title: "title_Value" }], vip: { level: "level_Value" } });
      expect((await validate({ TextBody, TestRenderModel: {} })).TextBody.RenderedContent).toBe(": none");
    });

    test.each([
      ["an unclosed tag", "Hello\n  {{name", 2, 3],
      ["a tag opened inside a tag", "{{a {{b}}", 1, 1],
      ["a stray '}}'", "ab\ncd}}", 2, 3],
      ["an unclosed section", "x\n\n   {{#items}}y", 3, 4],
      ["a mismatched close", "{{#a}}{{/b}}", 1, 7],
      ["a close without an opening", "text {{/a}}", 1, 6],
      ["an empty tag", "{{ }}", 1, 1],
      ["an invalid expression", "{{> partial}}", 1, 1],
    ])("%s is reported with its line and character, and the content is not valid", async (_, TextBody, Line, CharacterPosition) => {
      const result = await validate({ Subject: "Fine {{x}}", TextBody });
      expect(result.AllContentIsValid).toBe(false);
      expect(result.Subject.ContentIsValid).toBe(true);
      expect(result.TextBody).toEqual({ ContentIsValid: false, ValidationErrors: [{ Message: expect.any(String), Line, CharacterPosition }], RenderedContent: null });
    });

    test("with a LayoutTemplate, the bodies are rendered inside the layout", async () => {
      await create(layoutFields);
      const result = await validate({ Subject: "S", HtmlBody: "<p>{{name}}</p>", TextBody: "{{name}}", LayoutTemplate: "frame", TestRenderModel: { name: "Ann" } });
      expect(result.HtmlBody.RenderedContent).toBe("<main><p>Ann</p></main>");
      expect(result.TextBody.RenderedContent).toBe("--\nAnn\n--");
      expect(result.Subject.RenderedContent).toBe("S");
    });

    test("a Layout's content without the placeholder is reported invalid; with it, it is valid", async () => {
      expect((await validate({ TemplateType: "Layout", HtmlBody: "<div></div>" })).HtmlBody.ContentIsValid).toBe(false);
      expect((await validate({ TemplateType: "Layout", HtmlBody: "<div>{{{@content}}}</div>", InlineCssForHtmlTestRender: false })).AllContentIsValid).toBe(true);
    });

    test.each([
      ["an empty body", 1109, ""],
      ["no content to validate", 1120, { TestRenderModel: {} }],
      ["a Subject for a Layout", 1123, { TemplateType: "Layout", Subject: "S", HtmlBody: "{{{@content}}}" }],
      ["an unknown layout", 1101, { HtmlBody: "x", LayoutTemplate: "nowhere" }],
      ["an unknown TemplateType", 1122, { HtmlBody: "x", TemplateType: "Fancy" }],
      ["a TestRenderModel that is not an object", 403, { HtmlBody: "x", TestRenderModel: "name=Ann" }],
      ["InlineCssForHtmlTestRender that is not a boolean", 403, { HtmlBody: "x", InlineCssForHtmlTestRender: "yes" }],
      ["an unknown field", 403, { HtmlBody: "x", Name: "N" }],
    ])("%s answers ErrorCode %i", async (_, errorCode, body) => {
      const res = await api("POST", "/templates/validate", body);
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(errorCode));
    });

    test("validation saves nothing", async () => {
      await validate({ Subject: "S", TextBody: "T" });
      expect(await pm.admin().templates(serverId)).toEqual([]);
    });
  });

  describe("push (account token)", () => {
    let destination: { id: number; token: string };
    const push = (body: unknown, headers?: Record<string, string | undefined>) => pm.call("PUT", "/templates/push", body, headers);
    beforeEach(async () => {
      destination = await pm.server("Destination");
    });

    test("a dry run lists what would change and changes nothing; PerformChanges copies by alias, layouts first", async () => {
      const layout = await create(layoutFields);
      const user = await create({ ...welcome, LayoutTemplate: "frame" });
      await create({ Name: "No alias", Subject: "S", TextBody: "T" });
      const expected = {
        TotalCount: 2,
        Templates: [
          { Action: "Create", TemplateId: layout.TemplateId, Alias: "frame", Name: "Frame", TemplateType: "Layout" },
          { Action: "Create", TemplateId: user.TemplateId, Alias: "welcome", Name: "Welcome", TemplateType: "Standard" },
        ],
      };
      const dryRun = await push({ SourceServerID: serverId, DestinationServerID: destination.id, PerformChanges: false });
      expect(dryRun.json).toEqual(expected);
      expect(await pm.admin().templates(destination.id)).toEqual([]);

      expect((await push({ SourceServerID: serverId, DestinationServerID: destination.id, PerformChanges: true })).json).toEqual(expected);
      const copied = await pm.admin().templates(destination.id);
      expect(copied.map(({ Alias, TemplateType, LayoutTemplate, AssociatedServerId }) => ({ Alias, TemplateType, LayoutTemplate, AssociatedServerId }))).toEqual([
        { Alias: "frame", TemplateType: "Layout", LayoutTemplate: null, AssociatedServerId: destination.id },
        { Alias: "welcome", TemplateType: "Standard", LayoutTemplate: "frame", AssociatedServerId: destination.id },
      ]);

      // In sync: nothing to list. A change on the source is an Edit of the destination's template.
      expect((await push({ SourceServerID: serverId, DestinationServerID: destination.id, PerformChanges: true })).json).toEqual({ TotalCount: 0, Templates: [] });
      await api("PUT", "/templates/welcome", { Subject: "New subject" });
      expect((await push({ SourceServerID: serverId, DestinationServerID: destination.id, PerformChanges: true })).json.Templates).toEqual([
        { Action: "Edit", TemplateId: user.TemplateId, Alias: "welcome", Name: "Welcome", TemplateType: "Standard" },
      ]);
      expect((await pm.serverCall(destination.token, "GET", "/templates/welcome")).json.Subject).toBe("New subject");
    });

    test.each([
      ["the source", { SourceServerID: 4242 }, "The source server was not found."],
      ["the destination", { DestinationServerID: 4242 }, "The destination server was not found."],
      ["both", { SourceServerID: 4242, DestinationServerID: 4343 }, "The source and destination servers were not found."],
    ])("a push naming servers the account does not have (%s) answers 601 with Postmark's message", async (_, servers, message) => {
      const res = await push({ SourceServerID: serverId, DestinationServerID: destination.id, PerformChanges: false, ...servers });
      expect(res.status).toBe(422);
      expect(res.json).toEqual(postmarkError(601, message));
    });

    test("refusals: a server token (401), a missing server (601), nothing with an alias (1124), a type mismatch (1125), a missing field (1120)", async () => {
      const body = { SourceServerID: serverId, DestinationServerID: destination.id, PerformChanges: true };
      const withServerToken = await push(body, serverTokenHeaders(serverToken));
      expect(withServerToken.status).toBe(401);
      expect(withServerToken.json.ErrorCode).toBe(10);
      expect((await push({ ...body, DestinationServerID: 4242 })).json).toEqual(postmarkError(601, "The destination server was not found."));
      expect((await push(body)).json).toEqual(postmarkError(1124));
      await create(welcome);
      await pm.serverCall(destination.token, "POST", "/templates", { ...layoutFields, Alias: "welcome" });
      expect((await push(body)).json).toEqual(postmarkError(1125, /welcome/));
      expect((await push({ SourceServerID: serverId, DestinationServerID: destination.id })).json).toEqual(postmarkError(1120, /PerformChanges/));
      expect((await push({ ...body, PerformChanges: "yes" })).json).toEqual(postmarkError(403));
    });
  });

  describe("auth, faults and the request log", () => {
    test.each([
      ["GET", "/templates?Count=10&Offset=0"],
      ["GET", "/templates/1"],
      ["POST", "/templates"],
      ["PUT", "/templates/1"],
      ["DELETE", "/templates/1"],
      ["POST", "/templates/validate"],
    ])("%s %s with the account token answers 401 ErrorCode 10 and changes nothing", async (method, route) => {
      const created = await create(welcome);
      const res = await pm.call(method, route.replace("/1", `/${created.TemplateId}`), method === "GET" || method === "DELETE" ? undefined : { Name: "X", Subject: "S", TextBody: "T" });
      expect(res.status).toBe(401);
      expect(res.json).toEqual(postmarkError(10, "Please do not include Account API Token for Server API Token calls."));
      expect((await pm.admin().templates(serverId)).map((t) => t.Name)).toEqual(["Welcome"]);
    });

    test("without a token, or with no server's token, answers 401 ErrorCode 10", async () => {
      expect((await pm.call("GET", "/templates?Count=1&Offset=0", undefined, { "X-Postmark-Account-Token": undefined })).json.ErrorCode).toBe(10);
      expect((await pm.serverCall("not-a-token", "GET", "/templates?Count=1&Offset=0")).json).toEqual(postmarkError(10, "Request does not contain a valid Server token."));
    });

    test("lost-create on POST /templates creates the template, then drops the connection unanswered; validate is not a create", async () => {
      await pm.settings({ faults: "lost-create:1" });
      await expect(api("POST", "/templates", welcome)).rejects.toThrow(droppedConnection);
      expect((await pm.admin().templates(serverId)).map((t) => t.Alias)).toEqual(["welcome"]);
      expect((await api("POST", "/templates/validate", { TextBody: "x" })).status).toBe(200);
      expect((await api("PUT", "/templates/welcome", { Name: "Edited" })).status).toBe(200);
    });

    test("the fault queue and the request log apply: a 429 creates nothing, and the log has the path, never the token", async () => {
      await pm.call("DELETE", "/__emulator/requests");
      await pm.settings({ faultQueue: ["429", "none"] });
      expect((await api("POST", "/templates", welcome)).status).toBe(429);
      expect(await pm.admin().templates(serverId)).toEqual([]);
      expect((await api("GET", "/templates?Count=5&Offset=0")).status).toBe(200);
      const log = await pm.admin().requests();
      expect(log.map(({ method, path: loggedPath, status, fault }) => [method, loggedPath, status, fault])).toEqual([
        ["POST", "/templates", 429, "429"],
        ["GET", "/templates?Count=5&Offset=0", 200, null],
      ]);
      expect(JSON.stringify(log)).not.toContain(serverToken);
    });
  });

  describe("admin hand edits", () => {
    test("create, edit (bypassing every check) and delete by hand; the API sees each change", async () => {
      const admin = pm.admin();
      const layout = await admin.createTemplateByHand(serverId, { ...layoutFields });
      expect(layout).toMatchObject({ TemplateType: "Layout", AssociatedServerId: serverId, Active: true, Subject: null });
      const user = await admin.createTemplateByHand(serverId, { ...welcome, LayoutTemplate: "frame" });
      expect(await get(user.TemplateId)).toEqual(user);

      const edited = await admin.editTemplateByHand(serverId, "welcome", { Subject: "Changed in the web UI", LayoutTemplate: null });
      expect(edited).toMatchObject({ Subject: "Changed in the web UI", LayoutTemplate: null });
      expect(await get("welcome")).toEqual(edited);
      // No check at all: a subject the API would refuse.
      expect((await admin.editTemplateByHand(serverId, user.TemplateId, { Subject: "" })).Subject).toBe("");

      await admin.deleteTemplateByHand(serverId, "frame");
      expect((await api("GET", "/templates/frame")).json.ErrorCode).toBe(1101);
      expect((await admin.templates(serverId)).map((t) => t.Alias)).toEqual(["welcome"]);
    });

    test("deleting by hand honours deletedTemplatesReadable and skips the layout-in-use check", async () => {
      const admin = pm.admin();
      await create(layoutFields);
      await create({ ...welcome, LayoutTemplate: "frame" });
      await admin.templateSettings({ deletedTemplatesReadable: true });
      await admin.deleteTemplateByHand(serverId, "frame");
      expect(await get("frame")).toMatchObject({ Active: false });
    });

    test("refusals: no server (404), a taken alias or no Name (400), an unknown template (404), a bad setting (400)", async () => {
      await create(welcome);
      const admin = pm.admin();
      await expect(admin.templates(4242)).rejects.toThrow(/404/);
      await expect(admin.createTemplateByHand(serverId, { Name: "Dup", Alias: "WELCOME" })).rejects.toThrow(/400.*alias/);
      await expect(admin.createTemplateByHand(serverId, { Subject: "S" })).rejects.toThrow(/400/);
      await expect(admin.editTemplateByHand(serverId, "nothing", { Name: "X" })).rejects.toThrow(/404/);
      await expect(admin.editTemplateByHand(serverId, "welcome", { TemplateId: 1 })).rejects.toThrow(/400/);
      await expect(admin.deleteTemplateByHand(serverId, 4242)).rejects.toThrow(/404/);
      await expect(pm.call("PUT", "/__emulator/settings/templates", { deletedTemplatesReadable: "yes" }).then((r) => r.status)).resolves.toBe(400);
    });

    test("deleting a server removes its templates, and no one else's", async () => {
      await create(welcome);
      const other = await pm.server("Other");
      await pm.serverCall(other.token, "POST", "/templates", welcome);
      await pm.call("DELETE", `/servers/${serverId}`);
      expect((await pm.admin().templates(other.id)).map((t) => t.AssociatedServerId)).toEqual([other.id]);
      await expect(pm.admin().templates(serverId)).rejects.toThrow(/404/);
    });
  });

  describe("the official postmark ServerClient", () => {
    const client = (tokenToUse = serverToken) => new ServerClient(tokenToUse, pm.officialClientOptions());

    test("creates, gets, lists, edits, validates and deletes templates", async () => {
      const layout = await client().createTemplate(
        new Models.CreateTemplateRequest("Frame", undefined, "<main>{{{@content}}}</main>", "{{{@content}}}", "frame", Models.TemplateTypes.Layout),
      );
      expect(layout).toMatchObject({ Alias: "frame", TemplateType: "Layout", Active: true });
      const created = await client().createTemplate(new Models.CreateTemplateRequest("Welcome", "Hi {{name}}", "<p>{{name}}</p>", undefined, null, undefined, "frame"));
      expect(created).toEqual({ TemplateId: expect.any(Number), Name: "Welcome", Active: true, Alias: null, TemplateType: "Standard", LayoutTemplate: "frame" });

      expect(await client().getTemplate(created.TemplateId)).toMatchObject({ Subject: "Hi {{name}}", HtmlBody: "<p>{{name}}</p>", TextBody: null, AssociatedServerId: serverId });
      expect(await client().getTemplate("frame")).toMatchObject({ TemplateId: layout.TemplateId });

      const all = await client().getTemplates();
      expect(all.TotalCount).toBe(2);
      const layouts = await client().getTemplates(new Models.TemplateFilteringParameters(10, 0, Models.TemplateTypes.Layout));
      expect(layouts.Templates.map((t) => t.Alias)).toEqual(["frame"]);
      const usingFrame = await client().getTemplates(new Models.TemplateFilteringParameters(10, 0, undefined, "frame"));
      expect(usingFrame.Templates.map((t) => t.TemplateId)).toEqual([created.TemplateId]);

      const edited = await client().editTemplate(created.TemplateId, new Models.UpdateTemplateRequest("Welcome!", undefined, undefined, "Text {{name}}", "welcome"));
      expect(edited).toMatchObject({ Name: "Welcome!", Alias: "welcome", LayoutTemplate: "frame" });
      const detached = await client().editTemplate("welcome", { LayoutTemplate: "" });
      expect(detached.LayoutTemplate).toBeNull();

      const validation = await client().validateTemplate(new Models.TemplateValidationOptions("Hi {{name}}", "<p>{{name}}</p>", "{{#x}}", { name: "Ann" }));
      expect(validation.AllContentIsValid).toBe(false);
      expect(validation.Subject).toEqual({ ContentIsValid: true, ValidationErrors: [], RenderedContent: "Hi Ann" });
      expect(validation.TextBody.ContentIsValid).toBe(false);

      expect(await client().deleteTemplate("welcome")).toEqual({ ErrorCode: 0, Message: `Template ${created.TemplateId} removed.` });
      expect(await client().deleteTemplate(layout.TemplateId)).toEqual({ ErrorCode: 0, Message: `Template ${layout.TemplateId} removed.` });
      expect((await client().getTemplates()).TotalCount).toBe(0);
    });

    test("Postmark's refusals surface as the client's errors with their ErrorCodes", async () => {
      const missing = await client().getTemplate(4242).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(Errors.ApiInputError);
      expect(missing).toMatchObject({ statusCode: 422, code: 1101 });
      const noSubject = await client().createTemplate(new Models.CreateTemplateRequest("N", undefined, "<p>x</p>")).catch((e: unknown) => e);
      expect(noSubject).toMatchObject({ statusCode: 422, code: 1120 });
      const wrongToken = await client("not-a-server-token").getTemplates().catch((e: unknown) => e);
      expect(wrongToken).toBeInstanceOf(Errors.InvalidAPIKeyError);
      expect(wrongToken).toMatchObject({ statusCode: 401, code: 10 });
    });
  });
});

describe("state file with templates", () => {
  const { start, stop, api, asServer, readState } = useStateFileEmulator("postmark-emulator-templates-");

  test("templates (with bodies and layouts) survive a restart, template IDs are not reused, and the file names them", async () => {
    await start();
    const server = (await api("POST", "/servers", { Name: "Persisted" })).json;
    const serverToken = server.ApiTokens[0];
    await asServer(serverToken, "POST", "/templates", layoutFields);
    const kept = (await asServer(serverToken, "POST", "/templates", { ...welcome, LayoutTemplate: "frame" })).json;
    const dropped = (await asServer(serverToken, "POST", "/templates", { ...welcome, Alias: "gone" })).json;
    await asServer(serverToken, "DELETE", `/templates/${dropped.TemplateId}`);
    const before = (await asServer(serverToken, "GET", `/templates/${kept.TemplateId}`)).json;
    const state = readState();
    expect(state.nextTemplateId).toBe(dropped.TemplateId + 1);
    expect(state.templates.map((t: { Alias: string }) => t.Alias)).toEqual(["frame", "welcome"]);
    await stop();

    await start();
    expect((await asServer(serverToken, "GET", `/templates/${kept.TemplateId}`)).json).toEqual(before);
    expect((await asServer(serverToken, "GET", "/templates?Count=10&Offset=0")).json.TotalCount).toBe(2);
    const next = (await asServer(serverToken, "POST", "/templates", { ...welcome, Alias: "next" })).json;
    expect(next.TemplateId).toBe(dropped.TemplateId + 1);
  });
});
