import { PostmarkServer } from "pulumi-postmark";

// Every writable field, so `pulumi preview` after `up` proves none of them drifts.
const server = new PostmarkServer("transactional", {
  name: "Transactional (basic example)",
  color: "Turquoise",
  deliveryType: "Sandbox",
  smtpApiActivated: true,
  rawEmailEnabled: false,
  inboundHookUrl: "https://hooks.example.com/postmark/inbound",
  bounceHookUrl: "https://hooks.example.com/postmark/bounce",
  openHookUrl: "https://hooks.example.com/postmark/open",
  deliveryHookUrl: "https://hooks.example.com/postmark/delivery",
  clickHookUrl: "https://hooks.example.com/postmark/click",
  postFirstOpenOnly: true,
  inboundDomain: "",
  inboundSpamThreshold: 15,
  trackOpens: true,
  trackLinks: "HtmlAndText",
  includeBounceContentInHook: true,
  enableSmtpApiErrorHooks: true,
});

export const serverId = server.serverId;
export const serverLink = server.serverLink;
export const apiTokens = server.apiTokens; // secret
export const inboundAddress = server.inboundAddress; // secret
