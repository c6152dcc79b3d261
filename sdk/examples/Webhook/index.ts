import * as pulumi from "@pulumi/pulumi";
import * as postmark from "pulumi-postmark-sdk";

const billing = new postmark.Server("billing", {name: "Billing (prod)"});
const bounces = new postmark.Webhook("bounces", {
    serverId: billing.serverId,
    url: "https://hooks.example.com/postmark",
    triggers: {
        bounce: {
            enabled: true,
        },
        open: {
            enabled: true,
            postFirstOpenOnly: true,
        },
    },
});
