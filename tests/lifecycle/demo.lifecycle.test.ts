/**
 * `npm run demo`, the first command a newcomer runs (scripts/demo.js, through its runDemo): each step is checked in the
 * emulator while it still holds that step's objects and API calls, and in what the user reads under its heading.
 */
import {
  EmulatorAdmin,
  StoredDomain,
  StoredInboundRule,
  StoredSenderSignature,
  StoredServer,
  StoredStream,
  StoredTemplate,
  StoredWebhook,
} from "../support/emulatorAdmin";

jest.setTimeout(600_000);

interface Demo {
  runDemo(options: { write: (text: string) => void; afterStep: (key: string, context: { emulatorUrl: string }) => Promise<void> }): Promise<void>;
}
// scripts/ is plain JavaScript, run by `npm run demo` without a build of its own.
const { runDemo } = require("../../scripts/demo.js") as Demo;

/** What Postmark held after a step. */
interface Postmark {
  servers: (StoredServer & { streams: StoredStream[]; webhooks: StoredWebhook[]; templates: StoredTemplate[]; rules: StoredInboundRule[] })[];
  domains: StoredDomain[];
  senders: StoredSenderSignature[];
}
/** A step as the user saw it (what was printed under its heading) and as Postmark saw it. */
interface Step {
  printed: string;
  /** The step's API calls, `METHOD /path` without the query. */
  calls: string[];
  postmark: Postmark;
}

const seen: Record<string, Step> = {};
let printed = "";

async function postmarkNow(admin: EmulatorAdmin): Promise<Postmark> {
  const servers = await Promise.all(
    (await admin.servers()).map(async (server) => ({
      ...server,
      streams: await admin.streams(server.ID),
      webhooks: await admin.webhooks(server.ID),
      templates: (await admin.templates(server.ID)).filter((t) => t.Active),
      rules: await admin.inboundRules(server.ID),
    })),
  );
  return { servers, domains: await admin.domains(), senders: await admin.senders() };
}

const changes = (step: Step) => step.calls.filter((c) => !c.startsWith("GET "));

beforeAll(async () => {
  let shown = 0;
  const demo = runDemo({
    write: (text) => (printed += text),
    afterStep: async (key, { emulatorUrl }) => {
      const admin = new EmulatorAdmin(emulatorUrl);
      const calls = (await admin.requests()).map((r) => `${r.method} ${r.path.split("?")[0]}`);
      seen[key] = { printed: printed.slice(shown), calls, postmark: await postmarkNow(admin) };
      shown = printed.length;
    },
  });
  await demo.catch((e: Error) => {
    throw new Error(`${e.message}; the demo's last output:\n${printed.slice(-3000)}`);
  });
});

describe("npm run demo", () => {
  it("heads each step with what the user is looking at, in order, and ends saying how long it took", () => {
    const headings = [...printed.matchAll(/^== (\d)\/7 (.*)$/gm)].map((m) => [Number(m[1]), m[2]]);
    expect(headings.map(([n]) => n)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const expected = [
      /Pulumi CLI.*Postmark emulator/,
      /pulumi up: a whole Postmark environment/,
      /outputs.*DNS records.*\[secret\]/,
      /template edit.*preview names the one field.*one edit/,
      /hand edit in Postmark.*refresh finds it.*up puts it back/,
      /destroy.*Broadcasts stream archived, everything else deleted/,
      /same environment as a YAML program.*plugin/,
    ];
    headings.forEach(([, heading], i) => expect(heading).toMatch(expected[i]));
    expect(printed).toMatch(/\nDone in \d+ s\./);
  });

  it("create: one of each kind, wired as declared; the domain verified with the records the demo published; the server's token looked up once", () => {
    const { postmark, calls, printed: text } = seen.create;
    expect(postmark.servers).toHaveLength(1);
    const [server] = postmark.servers;
    expect(server).toMatchObject({ Name: "App (demo)", DeliveryType: "Sandbox", Color: "purple", TrackOpens: true });
    expect(server.streams.find((s) => s.ID === "newsletters")).toMatchObject({ MessageStreamType: "Broadcasts", ArchivedAt: null });
    expect(server.webhooks).toEqual([
      expect.objectContaining({ MessageStream: "newsletters", HttpAuth: { Username: "postmark", Password: expect.stringMatching(/^[0-9a-f]{24}$/) } }),
    ]);
    expect(server.webhooks[0].Triggers).toMatchObject({ Open: { Enabled: true }, Click: { Enabled: true } });
    expect(server.templates.map((t) => [t.Alias, t.TemplateType, t.LayoutTemplate])).toEqual([
      ["base", "Layout", null],
      ["welcome", "Standard", "base"],
    ]);
    expect(server.rules.map((r) => r.Rule)).toEqual(["spam.example.com"]);
    expect(postmark.domains).toEqual([
      expect.objectContaining({ Name: "example.com", ReturnPathDomain: "pm-bounces.example.com", DKIMVerified: true, ReturnPathDomainVerified: true }),
    ]);
    expect(postmark.senders).toEqual([expect.objectContaining({ EmailAddress: "hello@example.com", Name: "ACME", Confirmed: false })]);

    expect(changes(seen.create).sort()).toEqual(
      expect.arrayContaining(["POST /servers", "POST /message-streams", "POST /webhooks", "POST /templates", "POST /triggers/inboundrules", "POST /domains", "POST /senders"]),
    );
    expect(calls.filter((c) => c === `GET /servers/${server.ID}`)).toHaveLength(1);
    expect(text).toContain("+ 10 created");
    expect(text).toContain(`the server's token was looked up once (GET /servers/${server.ID})`);
  });

  it("outputs: the DNS records to publish in the clear, the server's tokens and the webhook's auth [secret]", () => {
    const [domain] = seen.create.postmark.domains;
    const text = seen.outputs.printed;
    expect(text).toMatch(/apiTokens\s+\[secret\]/);
    expect(text).toMatch(/webhookAuth\s+\[secret\]/);
    expect(text).toContain(`${domain.DKIMPendingHost || domain.DKIMHost} TXT "${domain.DKIMPendingTextValue || domain.DKIMTextValue}"`);
    expect(text).toMatch(/returnPathRecord\s+pm-bounces.example.com CNAME pm.mtasv.net/);
    expect(seen.outputs.calls).toEqual([]);
  });

  it("prints no secret anywhere: neither a server token nor its inbound hash, nor the webhook's password, in either program", () => {
    const secrets = [seen.create, seen.yaml].flatMap((step) =>
      step.postmark.servers.flatMap((s) => [...(s.ApiTokens as string[]), s.InboundHash as string, ...s.webhooks.map((w) => (w.HttpAuth as { Password: string }).Password)]),
    );
    expect(secrets).toHaveLength(2 * 3);
    for (const secret of secrets) expect(printed).not.toContain(secret);
  });

  it("template edit: the preview names htmlBody of the welcome template alone, and up sends one edit, which Postmark then holds", () => {
    const { printed: text, postmark } = seen.templateEdit;
    expect(text).toMatch(/welcome update \[diff: ~htmlBody\]/);
    expect(text).toMatch(/~ 1 to update\s+9 unchanged/);
    const welcome = postmark.servers[0].templates.find((t) => t.Alias === "welcome")!;
    expect(changes(seen.templateEdit)).toEqual([`PUT /templates/${welcome.TemplateId}`]);
    expect(welcome.HtmlBody).toContain("<h1>Welcome aboard, {{name}}!</h1>");
    expect(welcome.Subject).toBe("Welcome to ACME, {{name}}");
  });

  it("hand edit: refresh finds the server's color and the webhook's trigger, the preview puts back those two alone, and up does with one edit each", () => {
    const { printed: text, postmark } = seen.handEdit;
    const [server] = postmark.servers;
    expect(text).toMatch(/app updated .*\[diff: ~color\]/);
    expect(text).toMatch(/engagement updated .*\[diff: ~triggers\]/);
    expect(text).toMatch(/color\s*: "Green" => "Purple"/);
    expect(text).toMatch(/~ enabled: false => true/);
    expect(text).toMatch(/~ 2 to update\s+8 unchanged/);
    expect(changes(seen.handEdit).sort()).toEqual([`PUT /servers/${server.ID}`, `PUT /webhooks/${server.webhooks[0].ID}`]);
    expect(server.Color).toBe("purple");
    expect(server.webhooks[0].Triggers).toMatchObject({ Open: { Enabled: true }, Click: { Enabled: true } });
    expect(text).toContain(`Postmark holds server #${server.ID} purple and the click trigger on again.`);
  });

  it("destroy: the Broadcasts stream archived, everything else deleted, and Postmark holds nothing", () => {
    const [server] = seen.create.postmark.servers;
    const [welcome, base] = ["welcome", "base"].map((alias) => server.templates.find((t) => t.Alias === alias)!.TemplateId);
    expect(changes(seen.destroy).sort()).toEqual(
      [
        "POST /message-streams/newsletters/archive",
        `DELETE /webhooks/${server.webhooks[0].ID}`,
        `DELETE /templates/${welcome}`,
        `DELETE /templates/${base}`,
        `DELETE /triggers/inboundrules/${server.rules[0].ID}`,
        `DELETE /senders/${seen.create.postmark.senders[0].ID}`,
        `DELETE /domains/${seen.create.postmark.domains[0].ID}`,
        `DELETE /servers/${server.ID}`,
      ].sort(),
    );
    expect(seen.destroy.postmark).toEqual({ servers: [], domains: [], senders: [] });
    expect(seen.destroy.printed).toContain(`Message stream "newsletters" of server ${server.ID} archived`);
    expect(seen.destroy.printed).toContain("Postmark now holds 0 servers, 0 domains, 0 senders.");
  });

  it("YAML: the program is printed, and up through the postmark plugin makes the same environment, which destroy removes", () => {
    const { printed: text, postmark } = seen.yaml;
    for (const kind of ["Server", "MessageStream", "Webhook", "Template", "InboundRule", "Domain", "DomainVerification", "SenderSignature"]) {
      expect(text).toContain(`type: postmark:index:${kind}\n`);
    }
    expect(text).toMatch(/\+ {2}postmark:index:Server app created/);
    expect(text).toContain("+ 10 created");
    const shape = (p: Postmark) => ({
      servers: p.servers.map((s) => ({
        name: s.Name,
        color: s.Color,
        streams: s.streams.map((st) => [st.ID, st.MessageStreamType]),
        webhooks: s.webhooks.map((w) => [w.Url, w.MessageStream, w.Triggers, w.HttpAuth]),
        templates: s.templates.map((t) => [t.Alias, t.TemplateType, t.LayoutTemplate, t.Subject, t.HtmlBody]),
        rules: s.rules.map((r) => r.Rule),
      })),
      domains: p.domains.map((d) => [d.Name, d.ReturnPathDomain, d.DKIMVerified, d.ReturnPathDomainVerified]),
      senders: p.senders.map((s) => [s.EmailAddress, s.Name]),
    });
    // The TypeScript program's environment as its last `up` left it (the template edit included).
    expect(shape(postmark)).toEqual(shape(seen.handEdit.postmark));
    expect(seen.yamlDestroy.postmark).toEqual({ servers: [], domains: [], senders: [] });
    expect(changes(seen.yamlDestroy)).toContain(`DELETE /servers/${postmark.servers[0].ID}`);
    expect(changes(seen.yamlDestroy)).toContain("POST /message-streams/newsletters/archive");
  });
});
