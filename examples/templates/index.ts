import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { DeliveryTypes, PostmarkInboundRule, PostmarkServer, PostmarkTemplate } from "pulumi-postmark";

// staging and prod are two stacks of this one program: a template change reaches prod through the same code,
// once `pulumi up` on staging has been reviewed and tried.
const environment = pulumi.getStack();
const sendsRealMail = new pulumi.Config().requireBoolean("sendsRealMail");

const server = new PostmarkServer("transactional", {
  name: `Transactional (${environment})`,
  deliveryType: sendsRealMail ? DeliveryTypes.Live : DeliveryTypes.Sandbox,
});

/** A file of templates/ as committed: a pull request shows the exact change, and `pulumi preview` names the field. */
const file = (name: string) => fs.readFileSync(path.join(__dirname, "templates", name), "utf8");

const layout = new PostmarkTemplate("base-layout", {
  serverId: server.serverId,
  name: "Base layout",
  alias: "base",
  templateType: "Layout",
  htmlBody: file("base.html"),
  textBody: file("base.txt"),
});

const emails = [
  { alias: "welcome", name: "Welcome", subject: "Welcome to ACME, {{name}}" },
  { alias: "password-reset", name: "Password reset", subject: "Reset your ACME password" },
];
const templates = emails.map(
  ({ alias, name, subject }) =>
    new PostmarkTemplate(alias, {
      serverId: server.serverId,
      name,
      alias,
      subject,
      htmlBody: file(`${alias}.html`),
      textBody: file(`${alias}.txt`),
      // The layout's alias output: the engine creates the layout first and deletes it last.
      layoutTemplate: layout.alias,
      // Postmark's own validation runs in `pulumi up` before each content change, naming line and character.
      validate: true,
    }),
);

new PostmarkInboundRule("blocked-domain", { serverId: server.serverId, rule: "blocked.example.com" });

export const serverId = server.serverId;
export const templateIds = Object.fromEntries(templates.map((t, i) => [emails[i].alias, t.templateId]));
