/**
 * `pulumi-postmark scan` against the emulator, in-process: what it reads (only GETs, one listing per kind and scope,
 * whole reads only where a list gives summaries), what it declares for each object (exactly what a first read reports,
 * plus its adopt…Id), what it leaves out and why, the names it gives, the module and the import file it writes, and
 * its usage errors. The written program through the real Pulumi CLI is tests/lifecycle/scan.lifecycle.test.ts.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../provider/commands/cli";
import { parseScanOptions, ReadOnlyClient, someSkippedExitCode } from "../../provider/commands/scan";
import { AccountScan, scanAccount, Selection } from "../../provider/commands/scan/account";
import { importFile } from "../../provider/commands/scan/importFile";
import { typeToken } from "../../provider/plugin/schema";
import { identifierFrom, isIdentifier, NameTable } from "../../provider/commands/scan/names";
import { programFile, resourceNames, writeProgram } from "../../provider/commands/scan/program";
import { ResourceOperations } from "../../provider/core/operations";
import { PostmarkClient } from "../../provider/core/postmarkClient";
import { declarations } from "../../provider/resources";
import { buildHandMadeAccount, HandMadeAccount } from "../support/handMadeAccount";
import { failureOf, useOperationsEmulator } from "../support/operationsHarness";

const accountToken = "unit-test-account-token-scan-7b3e";
const { admin, client, newClient, calls, emulator } = useOperationsEmulator({ token: accountToken, seed: 31 });
const everything: Selection = { servers: "all", accountObjects: true };
const progress: string[] = [];
const read = (selection: Selection = everything) => scanAccount(client(), selection, (line) => progress.push(line));
const namesOf = (scan: AccountScan) => [...resourceNames(scan.objects).values()];

let account: HandMadeAccount;
let billing: number;
let marketing: number;
beforeAll(async () => {
  await admin.reset();
  account = await buildHandMadeAccount(admin);
  [billing, marketing] = [account.billing.server.ID, account.marketing.server.ID];
});

describe("what a scan reads", () => {
  it("only GETs: one listing per kind and scope, and a read of each object only where the list gives summaries", async () => {
    await admin.clearRequests();
    await read();
    const made = await calls();
    expect(made.every((call) => call.startsWith("GET "))).toBe(true);
    const templates = (await admin.templates(billing)).length + (await admin.templates(marketing)).length;
    const count = (pattern: RegExp) => made.filter((call) => pattern.test(call)).length;
    expect(count(/^GET \/servers\?/)).toBe(1);
    expect(count(/^GET \/message-streams\?/)).toBe(2);
    expect(count(/^GET \/webhooks /)).toBe(2);
    expect(count(/^GET \/templates\?/)).toBe(2);
    expect(count(/^GET \/templates\/\d+ /)).toBe(templates);
    expect(count(/^GET \/webhooks\/\d+ /) + count(/^GET \/message-streams\/\w+ /)).toBe(0);
    expect(count(/^GET \/domains\/\d+ /)).toBe(2);
    expect(count(/^GET \/senders\/\d+ /)).toBe(2);
  });

  it("the scan's client refuses any call but a read, before it reaches Postmark", async () => {
    const readOnly = new ReadOnlyClient(newClient().settings);
    await admin.clearRequests();
    const refused = await failureOf(readOnly.send({ operation: "create server", target: "x", method: "POST", path: "/servers", body: { Name: "x" }, retryAmbiguous: false, auth: { kind: "account" } }));
    expect(refused.message).toBe('a scan only reads: "create server" (POST) was refused.');
    expect(await calls()).toEqual([]);
  });

  it("through 429s and 5xx it reads the same account, with the core's retries", async () => {
    const calm = writeProgram(await read(), () => []).files;
    await admin.settings({ faults: "429:0.2,500:0.1,503:0.1", retryAfterRate: 0 });
    await admin.clearRequests();
    try {
      const stormy = await scanAccount(new PostmarkClient({ ...newClient().settings, maxAttempts: 12 }), everything, () => undefined);
      expect(writeProgram(stormy, () => []).files).toEqual(calm);
    } finally {
      await admin.settings({ faults: "" });
    }
    const statuses = new Set((await admin.requests()).map((r) => r.status));
    expect([...statuses].sort()).toEqual([200, 429, 500, 503]);
  });

  it("a long list of summaries reports its reads on stderr every 50", async () => {
    const server = (await admin.createByHand({ Name: "Many templates" })).ID;
    for (let i = 1; i <= 120; i++) await admin.createTemplateByHand(server, { Name: `T${i}`, Subject: "s", TextBody: "b" });
    progress.length = 0;
    try {
      await read({ servers: ["Many templates"], accountObjects: false });
    } finally {
      await admin.deleteByHand(server);
    }
    expect(progress).toEqual(["servers: 3 in the account, 1 selected", "  Many templates: 50/120 templates read", "  Many templates: 100/120 templates read", "[1/1] Many templates: 3 message streams, 0 webhooks, 120 templates, 0 inbound rules"]);
  });
});

describe("what a scan declares", () => {
  it("each object with exactly the inputs its first read reports (what `.get` or an import would manage), and its adopt…Id", async () => {
    const scan = await read();
    expect(scan.objects.map((o) => o.declaration.kind).sort()).toEqual(
      [
        ...Array(2).fill("PostmarkServer"),
        ...Array(2).fill("PostmarkMessageStream"),
        ...Array(4).fill("PostmarkWebhook"),
        ...Array(8).fill("PostmarkTemplate"),
        ...Array(4).fill("PostmarkInboundRule"),
        ...Array(2).fill("PostmarkDomain"),
        ...Array(2).fill("PostmarkSenderSignature"),
      ].sort(),
    );
    for (const object of scan.objects) {
      const { inputs: firstRead } = await new ResourceOperations(object.declaration, client).read(object.pulumiId, {});
      const adopt = object.declaration.adopt!;
      expect(object.inputs).toEqual({ ...firstRead, [adopt.input]: adopt.type === "integer" ? Number(object.apiId) : object.apiId });
    }
  });

  it("a server's default streams as Postmark made them are left out; one changed by hand is declared", async () => {
    expect(progress.length).toBeGreaterThan(0);
    let scan = await read();
    expect(scan.objects.filter((o) => o.declaration.kind === "PostmarkMessageStream").map((o) => o.apiId)).toEqual(["newsletters", "newsletters"]);
    expect([...scan.madeByPostmark].map(([d, n]) => [d.kind, n])).toEqual([["PostmarkMessageStream", 6]]);
    await admin.editStreamByHand(billing, "broadcast", { Name: "Announcements" });
    scan = await read();
    expect(scan.objects.find((o) => o.apiId === "broadcast")?.inputs).toMatchObject({ serverId: billing, streamId: "broadcast", name: "Announcements", adoptStreamId: "broadcast" });
    await admin.editStreamByHand(billing, "broadcast", { Name: "Default Broadcast Stream" });
  });

  it("what it cannot declare is skipped with the reason: an archived stream (and the webhook on it), a template type it does not know, what check refuses", async () => {
    await admin.createStreamByHand(marketing, { ID: "old-news", Name: "Old news", MessageStreamType: "Broadcasts" });
    await admin.createWebhookByHand(marketing, { Url: "https://hooks.example.com/old", MessageStream: "old-news", Triggers: { Open: { Enabled: true } } });
    await admin.archiveStreamByHand(marketing, "old-news");
    const interactive = await admin.createTemplateByHand(marketing, { Name: "Quiz", Alias: "quiz", TemplateType: "Interactive", Subject: "s", HtmlBody: "<p>?</p>" });
    const noPlaceholder = await admin.createTemplateByHand(marketing, { Name: "Broken layout", Alias: "broken", TemplateType: "Layout", HtmlBody: "<p>no content</p>" });
    const inBroken = await admin.createTemplateByHand(marketing, { Name: "Uses broken", Subject: "s", TextBody: "t", LayoutTemplate: "broken" });
    const scan = await read();
    expect(scan.skipped.map((s) => [s.declaration.kind, s.apiId, s.reason])).toEqual([
      ["PostmarkMessageStream", "old-news", "Postmark still lists it, but it counts as deleted (archived, or inactive)"],
      ["PostmarkWebhook", expect.any(String), 'it names the message stream "old-news", which is not declared'],
      ["PostmarkTemplate", String(interactive.TemplateId), 'templateType is "Interactive"; allowed values: Standard, Layout: the provider cannot declare it'],
      [
        "PostmarkTemplate",
        String(noPlaceholder.TemplateId),
        "check refuses it as Postmark holds it: htmlBody of a Layout must hold the content placeholder {{{@content}}} exactly once; it holds it 0 times",
      ],
      ["PostmarkTemplate", String(inBroken.TemplateId), 'it names the template "Broken layout", which is not declared'],
    ]);
    expect(scan.unlisted.map((d) => d.kind)).toEqual(["PostmarkDomainVerification"]);
    for (const template of [interactive, noPlaceholder, inBroken]) await admin.deleteTemplateByHand(marketing, template.TemplateId);
    await admin.purgeStreamByHand(marketing, "old-news");
  });

  it("a value no program can declare, on a field that neither replaces nor is required, stays unmanaged and is noted in the module", async () => {
    await admin.editByHand(billing, { InboundSpamThreshold: 7 });
    const scan = await read({ servers: ["Billing (prod)"], accountObjects: false });
    const server = scan.objects.find((o) => o.declaration.kind === "PostmarkServer")!;
    expect(server.inputs).not.toHaveProperty("inboundSpamThreshold");
    const program = writeProgram(scan, () => []).files.get(programFile)!;
    expect(program).toContain("// Not declared (stays as Postmark holds it): inboundSpamThreshold is 7; allowed values: 0, 5, 10, 15, 20, 25, 30.\nexport const billingProd =");
    await admin.editByHand(billing, { InboundSpamThreshold: 0 });
  });

  it("a selection takes the servers it names (any case, * and ?), and the account-level objects or not", async () => {
    const names = async (selection: Selection) => (await read(selection)).objects.map((o) => `${o.declaration.kind} ${o.server?.label ?? o.label}`);
    const billingOnly = await names({ servers: ["billing*"], accountObjects: false });
    expect(new Set(billingOnly)).toEqual(new Set(["PostmarkServer Billing (prod)", ...["MessageStream", "Webhook", "Template", "InboundRule"].map((k) => `Postmark${k} Billing (prod)`)]));
    expect(await names({ servers: "none", accountObjects: true })).toEqual([
      "PostmarkDomain example.com",
      "PostmarkDomain example.org",
      "PostmarkSenderSignature billing@example.com",
      "PostmarkSenderSignature news@example.org",
    ]);
    const error = await failureOf(read({ servers: ["Billing (prod)", "Biling*"], accountObjects: true }));
    expect(error.message).toBe('--server "Biling*" matches no server of the account; its servers: "Billing (prod)", "Marketing (prod)".');
  });
});

describe("names", () => {
  it("from Postmark's names: a server by its name, what it holds prefixed with it and ending with its kind", async () => {
    const scan = await read();
    const names = namesOf(scan);
    expect(names).toContain("billingProd");
    expect(names).toContain("billingProdNewslettersMessageStream");
    expect(names).toContain("billingProdWelcomeTemplate");
    expect(names).toContain("billingProdJunkExampleComInboundRule");
    expect(names).toContain("billingProdHooksExampleComPostmarkEngagementWebhook");
    expect(names).toContain("exampleComDomain");
    expect(names).toContain("billingExampleComSenderSignature");
    expect(new Set(names).size).toBe(names.length);
    expect(names.every(isIdentifier)).toBe(true);
    // The same account gives the same names.
    expect(namesOf(await read())).toEqual(names);
  });

  it("unique and valid whatever the names: a clash takes Postmark's ID (the lowest ID keeps the plain name), reserved words and digits are avoided", () => {
    const table = new NameTable(isIdentifier);
    expect(table.claim(identifierFrom(undefined, "Billing (prod)", "server", false), "12")).toBe("billingProd");
    expect(table.claim(identifierFrom(undefined, "billing-PROD", "server", false), "15")).toBe("billingProd15");
    expect(table.claim(identifierFrom(undefined, "Default", "server", false), "3")).toBe("default3");
    expect(table.claim(identifierFrom(undefined, "2024 Réception", "server", false), "4")).toBe("server2024Reception");
    expect(table.claim(identifierFrom(undefined, "!!!", "server", false), "5")).toBe("server");
    expect(table.claim(identifierFrom("billingProd", "https://hooks.example.com/in?x=1", "webhook", true), "7")).toBe("billingProdHooksExampleComInX1Webhook");
  });
});

describe("the module and the import file", () => {
  let scan: AccountScan;
  beforeAll(async () => {
    scan = await read();
  });

  it("wires objects by reference, reads bodies from files and secrets from secret config; no secret value in the text", () => {
    const { files, secrets } = writeProgram(scan, () => ["header line"]);
    const program = files.get(programFile)!;
    expect(program.startsWith("// header line\n\nimport * as fs")).toBe(true);
    expect(program).toContain(`export const billingProdNewslettersMessageStream = new PostmarkMessageStream("billingProdNewslettersMessageStream", {
  serverId: billingProd.serverId,
  streamId: "newsletters",`);
    expect(program).toContain("  messageStream: billingProdNewslettersMessageStream.streamId,\n");
    expect(program).toContain("  layoutTemplate: billingProdBaseTemplate.alias,\n");
    // Both servers have a layout "base": each server's templates name their own server's.
    const wiredTo = (layout: string) => program.split(`  layoutTemplate: ${layout}.alias,\n`).length - 1;
    expect([wiredTo("billingProdBaseTemplate"), wiredTo("marketingProdBaseTemplate")]).toEqual([3, 3]);
    expect(program).toContain('  htmlBody: file("templates/billing-prod/welcome.html"),\n');
    expect(program).toContain(
      '  httpAuth: { username: "postmark", password: config.requireSecret("billingProdHooksExampleComPostmarkEngagementWebhookHttpAuthPassword") },\n' +
        '  httpHeaders: [{ name: "X-Api-Key", value: config.requireSecret("billingProdHooksExampleComPostmarkEngagementWebhookHttpHeadersXApiKeyValue") }],\n',
    );
    // A layout is declared before the templates that name it.
    expect(program.indexOf("new PostmarkTemplate(\"billingProdBaseTemplate\"")).toBeLessThan(program.indexOf("billingProdWelcomeTemplate = new"));
    expect(secrets.map((s) => s.value).sort()).toEqual(
      [account.billing.secrets.password, account.billing.secrets.headerValue, account.marketing.secrets.password, account.marketing.secrets.headerValue].sort(),
    );
    for (const secret of secrets) for (const text of files.values()) expect(text).not.toContain(String(secret.value));
    expect(files.get("templates/billing-prod/password-reset.txt")).toBe("Follow {{link}}\n");
    // Postmark's "" for a note that can only be left out is none: nothing to say about it.
    expect(program).not.toContain("Not declared");
  });

  it("the import file: each object's type token, its Pulumi ID, the module's name, its server as parent; no value", () => {
    const { names } = writeProgram(scan, () => []);
    const { resources } = importFile(scan.objects, names);
    expect(resources).toHaveLength(scan.objects.length);
    expect(resources.map((r) => r.name)).toEqual(scan.objects.map((o) => names.get(o)));
    expect(new Set(resources.map((r) => r.type))).toEqual(new Set(declarations.filter((d) => d.kind !== "PostmarkDomainVerification").map(typeToken)));
    expect(resources[0]).toEqual({ type: "postmark:index:Server", name: "billingProd", id: String(billing) });
    const stream = resources.find((r) => r.name === "billingProdNewslettersMessageStream");
    expect(stream).toEqual({ type: "postmark:index:MessageStream", name: "billingProdNewslettersMessageStream", id: `${billing}/newsletters`, parent: "billingProd" });
    expect(resources.find((r) => r.name === "billingProdHooksExampleComPostmarkEngagementWebhook")).toEqual({
      type: "postmark:index:Webhook",
      name: "billingProdHooksExampleComPostmarkEngagementWebhook",
      id: expect.stringMatching(new RegExp(`^${billing}/\\d+$`)),
      parent: "billingProd",
    });
    expect(resources.find((r) => r.name === "exampleComDomain")).toEqual({ type: "postmark:index:Domain", name: "exampleComDomain", id: expect.stringMatching(/^\d+$/) });
    // Every parent is an entry of the file, before its children.
    resources.forEach((r, i) => r.parent && expect(resources.findIndex((p) => p.name === r.parent)).toBeLessThan(i));
  });
});

describe("the command", () => {
  let out: string;
  const env = { POSTMARK_ACCOUNT_TOKEN: process.env.POSTMARK_ACCOUNT_TOKEN, POSTMARK_API_URL: process.env.POSTMARK_API_URL };
  beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-postmark-scan-"));
    process.env.POSTMARK_ACCOUNT_TOKEN = accountToken;
    process.env.POSTMARK_API_URL = emulator().url;
  });
  afterAll(() => {
    for (const [key, value] of Object.entries(env)) value === undefined ? delete process.env[key] : (process.env[key] = value);
    fs.rmSync(out, { recursive: true, force: true });
  });
  const quietly = async (argv: string[]) => {
    const printed: string[] = [];
    const spies = [jest.spyOn(console, "log"), jest.spyOn(console, "error")].map((spy) => spy.mockImplementation((line) => printed.push(String(line))));
    try {
      return { code: await main(argv), printed: printed.join("\n") };
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  };

  it("writes the module, the files and the import file, and exits 0 when everything was taken, 3 when something was skipped", async () => {
    const first = await quietly(["scan", "--out", out]);
    expect(first.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(["import.json", "index.ts", "templates"]);
    expect(first.printed).toContain("4 secrets to set before `pulumi preview`");
    await admin.createStreamByHand(billing, { ID: "archived", Name: "Archived", MessageStreamType: "Broadcasts" });
    await admin.archiveStreamByHand(billing, "archived");
    const again = await quietly(["scan", "--out", out, "--force"]);
    expect(again.code).toBe(someSkippedExitCode);
    expect(again.printed).toContain('  - message stream "archived" of server "Billing (prod)" (ID archived): Postmark still lists it');
    expect(fs.readFileSync(path.join(out, programFile), "utf8")).toContain('//   message stream "archived" of server "Billing (prod)" (ID archived)');
    await admin.purgeStreamByHand(billing, "archived");
  });

  it("bad usage fails before reading Postmark, naming the flag and what is allowed (exit 2)", async () => {
    await admin.clearRequests();
    const cases: [string[], string][] = [
      [["scan", "--out", out], `pulumi-postmark scan: --out ${out} is not empty: pass --force to replace what a scan writes there (index.ts, import.json, templates), or choose another folder.`],
      [["scan", "--servers", "x"], 'pulumi-postmark scan: unknown option "--servers"; allowed: --out, --server, --no-servers, --no-account-objects, --stack, --force, --help.'],
      [["scan", "--server"], "pulumi-postmark scan: --server needs a server name (* and ? are wildcards)."],
      [["scan", "--no-servers", "--server", "a"], "pulumi-postmark scan: --server and --no-servers exclude each other."],
      [["scan", "--no-servers", "--no-account-objects"], "pulumi-postmark scan: --no-servers with --no-account-objects leaves nothing to scan."],
    ];
    for (const [argv, message] of cases) expect(await quietly(argv)).toEqual({ code: 2, printed: message });
    expect(await calls()).toEqual([]);
    delete process.env.POSTMARK_ACCOUNT_TOKEN;
    const noToken = await quietly(["scan", "--out", path.join(out, "elsewhere")]);
    process.env.POSTMARK_ACCOUNT_TOKEN = accountToken;
    expect(noToken.code).toBe(2);
    expect(noToken.printed).toMatch(/^pulumi-postmark scan: no account token: set POSTMARK_ACCOUNT_TOKEN/);
  });

  it("options: --server repeats, --out=, defaults", () => {
    expect(parseScanOptions([])).toEqual({ out: "postmark", selection: { servers: "all", accountObjects: true }, stack: undefined, force: false });
    expect(parseScanOptions(["--server", "a", "--server=b*", "--out=x", "--no-account-objects", "--stack", "prod"])).toEqual({
      out: "x",
      selection: { servers: ["a", "b*"], accountObjects: false },
      stack: "prod",
      force: false,
    });
    expect(parseScanOptions(["--help"])).toBeUndefined();
  });
});
