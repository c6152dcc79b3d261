import * as pulumi from "@pulumi/pulumi";
import * as postmark from "pulumi-postmark-sdk";

const billing = new postmark.Server("billing", {
    name: "Billing (prod)",
    color: postmark.ServerColor.Red,
    deliveryType: postmark.ServerDeliveryType.Live,
    trackOpens: true,
});
export const billingTokens = billing.apiTokens;
