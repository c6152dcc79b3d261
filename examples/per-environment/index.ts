import * as pulumi from "@pulumi/pulumi";
import { DeliveryTypes, PostmarkServer, ServerColor } from "pulumi-postmark";

// One stack per environment (dev, staging, prod): the code is the same, Pulumi.<stack>.yaml differs.
const environment = pulumi.getStack();
const config = new pulumi.Config();
const sendsRealMail = config.requireBoolean("sendsRealMail");
const color = config.require("color") as ServerColor;

const products = ["Billing", "Notifications"];
const servers = products.map(
  (product) =>
    new PostmarkServer(product.toLowerCase(), {
      name: `${product} (${environment})`,
      color,
      // Only prod delivers; changing this later replaces the server.
      deliveryType: sendsRealMail ? DeliveryTypes.Live : DeliveryTypes.Sandbox,
      smtpApiActivated: sendsRealMail,
      trackOpens: true,
    }),
);

export const serverIds = servers.map((s) => s.serverId);
export const apiTokens = servers.map((s) => s.apiTokens); // secret
