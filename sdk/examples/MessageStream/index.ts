import * as pulumi from "@pulumi/pulumi";
import * as postmark from "pulumi-postmark-sdk";

const billing = new postmark.Server("billing", {name: "Billing (prod)"});
const newsletters = new postmark.MessageStream("newsletters", {
    serverId: billing.serverId,
    streamId: "newsletters",
    name: "Newsletters",
    messageStreamType: postmark.MessageStreamType.Broadcasts,
});
