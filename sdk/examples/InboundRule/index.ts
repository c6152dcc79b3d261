import * as pulumi from "@pulumi/pulumi";
import * as postmark from "pulumi-postmark-sdk";

const billing = new postmark.Server("billing", {name: "Billing (prod)"});
const noSpammer = new postmark.InboundRule("noSpammer", {
    serverId: billing.serverId,
    rule: "spammer.example.com",
});
