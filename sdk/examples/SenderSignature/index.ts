import * as pulumi from "@pulumi/pulumi";
import * as postmark from "pulumi-postmark-sdk";

const billing = new postmark.SenderSignature("billing", {
    fromEmail: "billing@example.com",
    name: "Example Billing",
});
