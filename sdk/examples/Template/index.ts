import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as postmark from "pulumi-postmark-sdk";

const billing = new postmark.Server("billing", {name: "Billing (prod)"});
const base = new postmark.Template("base", {
    serverId: billing.serverId,
    name: "Base",
    alias: "base",
    templateType: postmark.TemplateType.Layout,
    htmlBody: fs.readFileSync("templates/base.html", "utf8"),
});
const welcome = new postmark.Template("welcome", {
    serverId: billing.serverId,
    name: "Welcome",
    alias: "welcome",
    subject: "Welcome, {{name}}",
    htmlBody: fs.readFileSync("templates/welcome.html", "utf8"),
    layoutTemplate: base.alias,
});
