import * as pulumi from "@pulumi/pulumi";
import { PostmarkServer } from "pulumi-postmark";

// The ID of the server made by hand (Postmark shows it in the server's URL: /servers/<ID>/streams).
const existingServerId = new pulumi.Config().requireNumber("serverId");

// Declare the server as it should be. The first `pulumi up` does not create anything: it reads the
// existing server and edits only what differs; afterwards it is managed like any other resource.
const legacy = new PostmarkServer("legacy", {
  name: "Legacy (made by hand)",
  color: "Grey",
  trackOpens: true,
  adoptServerId: existingServerId,
});

export const serverId = legacy.serverId;
export const apiTokens = legacy.apiTokens; // secret
