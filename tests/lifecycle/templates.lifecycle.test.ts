/**
 * PostmarkTemplate and PostmarkInboundRule through the real Pulumi CLI against the emulator: one shared stack
 * whose templates and rules come from stack config, asserted on the engine's results, the emulator's state and
 * its request log (the fewest calls each phase needs); then examples/templates deployed to staging and prod.
 */
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { EmulatorAdmin, StoredTemplate } from "../support/emulatorAdmin";
import { createTestStack, failureText, repoRoot, TestStack } from "./pulumiHarness";

jest.setTimeout(600_000);

const accountToken = "lifecycle-templates-account-token-31d0";

/**
 * Layouts come first in the program so that templates can name them (`useLayout` is the layout's key): the
 * wiring `layoutTemplate: layout.alias` is what makes the engine create layouts first and delete them last.
 */
const program = `
const pulumi = require("@pulumi/pulumi");
const { PostmarkTemplate, PostmarkInboundRule } = require("pulumi-postmark");
const config = new pulumi.Config();
const serverId = config.requireNumber("serverId");
const declared = Object.entries(config.requireObject("templates"));
declared.sort(([, a], [, b]) => (a.useLayout ? 1 : 0) - (b.useLayout ? 1 : 0));
const templates = {};
for (const [key, { useLayout, ...args }] of declared) {
  templates[key] = new PostmarkTemplate(key, { serverId, ...args, ...(useLayout && { layoutTemplate: templates[useLayout].alias }) });
}
for (const rule of config.getObject("rules") || []) new PostmarkInboundRule(rule, { serverId, rule });
exports.templateIds = Object.fromEntries(Object.entries(templates).map(([key, t]) => [key, t.templateId]));
`;

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let test: TestStack;
let serverId: number;
/**
 * How often each run looked the server's token up (every run configures both kinds): asserted on its own below,
 * so that the calls each phase makes are checked exactly whatever happens to the token lookup.
 */
const tokenLookups: Record<string, number> = {};

const layoutHtml = "<html><body><h1>ACME</h1>\n{{{@content}}}\n<footer>ACME Inc.</footer></body></html>";
const base = { name: "Base", alias: "base", templateType: "Layout", htmlBody: layoutHtml, textBody: "ACME\n\n{{{@content}}}" };
const welcome = { name: "Welcome", alias: "welcome", subject: "Welcome, {{name}}", htmlBody: "<p>Hello {{name}}</p>", textBody: "Hello {{name}}", useLayout: "base" };
const receipt = { name: "Receipt", alias: "receipt", subject: "Your receipt {{number}}", htmlBody: "<p>Total: {{total}}</p>", useLayout: "base" };
const notice = { name: "Notice", alias: "notice", subject: "Notice", textBody: "Something happened." };
const rules = ["spammer@example.com", "junk.example.com"];

const setTemplates = (templates: Record<string, Record<string, unknown>>) => test.stack.setConfig("templates", { value: JSON.stringify(templates) });
const setRules = (list: string[]) => test.stack.setConfig("rules", { value: JSON.stringify(list) });
const apiCalls = async () => (await admin.requests()).map((r) => `${r.method} ${r.path}`);
const sorted = (calls: string[]) => [...calls].sort();
const stored = async (alias: string): Promise<StoredTemplate> => (await admin.templates(serverId)).find((t) => t.Alias === alias && t.Active)!;
const tokenLookup = () => `GET /servers/${serverId}`;
const templateListing = "GET /templates?Count=500&Offset=0";
const ruleListing = "GET /triggers/inboundrules?count=500&offset=0";
/** A run's calls without its token lookups, which are counted apart (see "looks the server's token up once"). */
const withoutTokenLookups = (run: string, calls: string[]) => {
  tokenLookups[run] = calls.filter((call) => call === tokenLookup()).length;
  return calls.filter((call) => call !== tokenLookup());
};

beforeAll(async () => {
  emulator = await startEmulator({ token: accountToken });
  admin = new EmulatorAdmin(emulator.url);
  serverId = (await admin.createByHand({ Name: "Templates lifecycle" })).ID;
  test = await createTestStack({
    program,
    config: { serverId: String(serverId) },
    secretConfig: { "postmark:accountToken": accountToken },
    env: { POSTMARK_API_URL: emulator.url, POSTMARK_RETRY_BASE_DELAY_MS: "10" },
  });
});
afterAll(async () => {
  await test?.cleanup();
  await emulator?.stop();
});

describe("templates, layouts and inbound rules through pulumi up, preview, refresh and destroy", () => {
  it("up creates the layout before the templates that use it: one POST and one read each, one listing per kind", async () => {
    await setTemplates({ base, welcome, receipt, notice });
    await setRules(rules);
    await admin.clearRequests();
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toEqual({ create: 7 });
    const [layout, first, second] = [await stored("base"), await stored("welcome"), await stored("receipt")];
    // IDs are handed out in the order Postmark receives the creates (and a template naming a missing layout is refused).
    expect(layout.TemplateId).toBeLessThan(Math.min(first.TemplateId, second.TemplateId));
    expect(first).toMatchObject({ LayoutTemplate: "base", Subject: "Welcome, {{name}}", HtmlBody: "<p>Hello {{name}}</p>", TextBody: "Hello {{name}}" });
    expect(layout).toMatchObject({ TemplateType: "Layout", Subject: null, HtmlBody: layoutHtml });
    const ids = (await admin.templates(serverId)).map((t) => t.TemplateId);
    expect(sorted(withoutTokenLookups("first up", await apiCalls()))).toEqual(
      sorted([
        templateListing,
        ...ids.flatMap((id) => ["POST /templates", `GET /templates/${id}`]),
        ruleListing,
        "POST /triggers/inboundrules",
        "POST /triggers/inboundrules",
      ]),
    );
    // The engine creates the two rules in parallel, so Postmark may receive them in either order.
    expect(sorted((await admin.inboundRules(serverId)).map((r) => r.Rule))).toEqual(sorted(rules));
    expect(up.outputs.templateIds.value).toEqual({ base: layout.TemplateId, welcome: first.TemplateId, receipt: second.TemplateId, notice: (await stored("notice")).TemplateId });
  });

  it("a second preview shows no changes and makes no API call", async () => {
    await admin.clearRequests();
    expect((await test.stack.preview()).changeSummary).toEqual({ same: 7 });
    expect(await apiCalls()).toEqual([]);
  });

  it("a body change: preview names htmlBody, and up sends one PUT of that body only (a subject changed by hand stays)", async () => {
    const before = await stored("welcome");
    await admin.editTemplateByHand(serverId, "welcome", { Subject: "Changed in the web UI" });
    await admin.deleteInboundRuleByHand(serverId, (await admin.inboundRules(serverId))[0].ID);
    await setTemplates({ base, welcome: { ...welcome, htmlBody: "<p>Hello {{name}}, welcome aboard</p>" }, receipt, notice });
    await admin.clearRequests();
    const preview = await test.stack.preview();
    expect(preview.changeSummary).toEqual({ same: 6, update: 1 });
    expect(preview.stdout).toMatch(/welcome.*\[diff: ~htmlBody\]/);
    expect(await test.stack.up()).toMatchObject({ summary: { resourceChanges: { same: 6, update: 1 } } });
    expect(withoutTokenLookups("body change", await apiCalls())).toEqual([`PUT /templates/${before.TemplateId}`, `GET /templates/${before.TemplateId}`]);
    expect(await stored("welcome")).toMatchObject({ HtmlBody: "<p>Hello {{name}}, welcome aboard</p>", Subject: "Changed in the web UI" });
  });

  it("refresh shows a body edited by hand and drops the rule deleted by hand, with one read per resource", async () => {
    await admin.editTemplateByHand(serverId, "receipt", { HtmlBody: "<p>Edited in the web UI</p>" });
    await admin.clearRequests();
    const refresh = await test.stack.refresh();
    // welcome too: its outputs were already read back with the subject changed by hand, and now its inputs say so.
    expect(refresh.summary.resourceChanges).toEqual({ same: 4, update: 2, delete: 1 });
    const ids = (await admin.templates(serverId)).map((t) => t.TemplateId);
    expect(sorted(withoutTokenLookups("refresh", await apiCalls()))).toEqual(sorted([...ids.map((id) => `GET /templates/${id}`), ...rules.map(() => ruleListing)]));
  });

  it("the next up puts hand edits back, detaches a layout, replaces on templateType and recreates the rule; validate runs in up only", async () => {
    const [oldNotice, first, second] = [await stored("notice"), await stored("welcome"), await stored("receipt")];
    const noticeAsLayout = { name: "Notice", alias: "notice", templateType: "Layout", textBody: "NOTICE\n{{{@content}}}", validate: true };
    const { useLayout: _detached, ...receiptAlone } = receipt;
    await setTemplates({
      base,
      welcome: { ...welcome, htmlBody: "<p>Hello {{name}}, welcome aboard</p>", validate: true },
      receipt: { ...receiptAlone, validate: true },
      notice: noticeAsLayout,
    });
    await admin.clearRequests();
    const preview = await test.stack.preview();
    expect(preview.changeSummary).toEqual({ same: 3, update: 2, replace: 1, create: 1 });
    // The read after the last write of welcome found its subject changed by hand.
    expect(preview.stdout).toMatch(/welcome update \[diff: [^\]]*~subject/);
    expect(preview.stdout).toMatch(/receipt.*\[diff: [^\]]*-layoutTemplate/);
    expect(preview.stdout).toMatch(/receipt.*\[diff: [^\]]*~htmlBody/);
    expect(preview.stdout).toMatch(/notice replace \[diff: [^\]]*templateType/);
    expect(await apiCalls()).toEqual([]);

    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 3, update: 2, replace: 1, create: 1 });
    const newNotice = await stored("notice");
    expect(newNotice).toMatchObject({ TemplateType: "Layout", Subject: null, TextBody: "NOTICE\n{{{@content}}}" });
    const calls = withoutTokenLookups("up with both kinds", await apiCalls());
    expect(sorted(calls)).toEqual(
      sorted([
        ...[first.TemplateId, second.TemplateId].flatMap((id) => ["POST /templates/validate", `PUT /templates/${id}`, `GET /templates/${id}`]),
        `DELETE /templates/${oldNotice.TemplateId}`,
        templateListing,
        "POST /templates/validate",
        "POST /templates",
        `GET /templates/${newNotice.TemplateId}`,
        ruleListing,
        "POST /triggers/inboundrules",
      ]),
    );
    // The alias stays, and aliases are unique: the old template goes first.
    expect(calls.indexOf(`DELETE /templates/${oldNotice.TemplateId}`)).toBeLessThan(calls.indexOf("POST /templates"));
    expect(await stored("welcome")).toMatchObject({ Subject: "Welcome, {{name}}" });
    expect(await stored("receipt")).toMatchObject({ LayoutTemplate: null, HtmlBody: "<p>Total: {{total}}</p>" });
    expect((await admin.inboundRules(serverId)).map((r) => r.Rule).sort()).toEqual([...rules].sort());

    await admin.clearRequests();
    expect((await test.stack.preview()).changeSummary).toEqual({ same: 7 });
    expect(await apiCalls()).toEqual([]);
  });

  it("bad input fails preview naming each field, and Postmark sees no request", async () => {
    // One resource holds every problem: the engine stops at the first resource whose check fails.
    await setTemplates({
      base: { ...base, subject: "Layouts have none", htmlBody: "<html>no placeholder</html>", layoutTemplate: "other" },
      welcome,
      receipt,
      notice,
    });
    await admin.clearRequests();
    const text = await failureText(test.stack.preview());
    expect(text).toContain("subject is not allowed on a Layout: the templates that use it have the subject");
    expect(text).toContain("htmlBody of a Layout must hold the content placeholder {{{@content}}} exactly once; it holds it 0 times");
    expect(text).toContain("layoutTemplate is only for Standard templates: a Layout cannot use a layout");
    expect(await apiCalls()).toEqual([]);
  });

  it("with validate, content Postmark refuses fails up before any write, naming the line and character", async () => {
    const { useLayout: _detached, ...receiptAlone } = receipt;
    const broken = "<p>Hello {{name}}</p>\n<ul>{{#each items}}<li>{{title}}</li></ul>";
    await setTemplates({ base, welcome: { ...welcome, htmlBody: broken, validate: true }, receipt: receiptAlone, notice: { name: "Notice", alias: "notice", templateType: "Layout", textBody: "NOTICE\n{{{@content}}}" } });
    await admin.clearRequests();
    const text = await failureText(test.stack.up());
    expect(text).toContain(`Postmark's validation of template "Welcome" failed; nothing was written:`);
    expect(text).toMatch(/htmlBody, line 2, character \d+: /);
    expect(withoutTokenLookups("refused validation", await apiCalls())).toEqual(["POST /templates/validate"]);
    expect(await stored("welcome")).toMatchObject({ HtmlBody: "<p>Hello {{name}}, welcome aboard</p>" });
  });

  it("each run looks the server's token up once, shared by both kinds", () => {
    expect(tokenLookups).toEqual({ "first up": 1, "body change": 1, refresh: 1, "up with both kinds": 1, "refused validation": 1 });
  });

  it("destroy deletes templates before their layout; a layout still used outside the program names the template using it", async () => {
    const layout = await stored("base");
    const legacy = await admin.createTemplateByHand(serverId, { Name: "Legacy", Alias: "legacy", Subject: "Hi", TextBody: "Hi", LayoutTemplate: "base" });
    const first = await stored("welcome");
    await admin.clearRequests();
    const text = await failureText(test.stack.destroy());
    expect(text).toContain(
      `Cannot delete layout ${layout.TemplateId} ("Base", alias base) on server ${serverId}: templates use it: "Legacy" (ID ${legacy.TemplateId}, alias legacy).`,
    );
    const calls = await apiCalls();
    expect(calls.indexOf(`DELETE /templates/${first.TemplateId}`)).toBeLessThan(calls.indexOf(`DELETE /templates/${layout.TemplateId}`));
    expect((await admin.templates(serverId)).map((t) => t.Alias).sort()).toEqual(["base", "legacy"]);
    expect(await admin.inboundRules(serverId)).toEqual([]);

    await admin.deleteTemplateByHand(serverId, legacy.TemplateId);
    await admin.clearRequests();
    expect((await test.stack.destroy()).summary.result).toBe("succeeded");
    expect(await apiCalls()).toEqual([tokenLookup(), `DELETE /templates/${layout.TemplateId}`]);
    expect(await admin.templates(serverId)).toEqual([]);
  });
});

describe("examples/templates: the same program deployed to staging and prod", () => {
  const stacks: TestStack[] = [];
  afterAll(async () => {
    for (const stack of stacks) await stack.cleanup();
  });

  it("each stack makes its own server with the same layout, templates and rules from the repo's files", async () => {
    await admin.reset();
    for (const stackName of ["staging", "prod"]) {
      const stack = await createTestStack({
        projectDir: path.join(repoRoot, "examples", "templates"),
        stackName,
        secretConfig: { "postmark:accountToken": accountToken },
        env: { POSTMARK_API_URL: emulator.url },
      });
      stacks.push(stack);
      await stack.stack.up();
    }
    const servers = await admin.servers();
    expect(servers.map((s) => [s.Name, s.DeliveryType]).sort()).toEqual([
      ["Transactional (prod)", "Live"],
      ["Transactional (staging)", "Sandbox"],
    ]);
    // By alias: the two templates using the layout are created at the same time, in either order.
    const content = async (id: number) =>
      (await admin.templates(id))
        .map(({ Name, Alias, Subject, HtmlBody, TextBody, TemplateType, LayoutTemplate }) => ({ Name, Alias, Subject, HtmlBody, TextBody, TemplateType, LayoutTemplate }))
        .sort((a, b) => String(a.Alias).localeCompare(String(b.Alias)));
    const [prod, staging] = [...servers].sort((a, b) => a.Name.localeCompare(b.Name));
    // Promotion by code: prod gets exactly what staging got.
    expect(await content(prod.ID)).toEqual(await content(staging.ID));
    expect((await content(prod.ID)).map((t) => [t.Alias, t.LayoutTemplate])).toEqual([
      ["base", null],
      ["password-reset", "base"],
      ["welcome", "base"],
    ]);
    expect((await admin.inboundRules(prod.ID)).map((r) => r.Rule)).toEqual(["blocked.example.com"]);
    expect((await stacks[1].stack.preview()).changeSummary).toEqual({ same: 6 });
    for (const stack of stacks) await stack.stack.destroy();
    expect(await admin.servers()).toEqual([]);
  });
});
