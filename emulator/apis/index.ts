/**
 * The Postmark APIs the emulator serves: one module each, registered here by one line. A new API is a new file
 * in this folder (see emulator/README.md, "Adding an API") plus its line below.
 */
import { ApiModule } from "../api";
import { domainsApi } from "./domains";
import { inboundRulesApi } from "./inboundRules";
import { messageStreamsApi } from "./messageStreams";
import { senderSignaturesApi } from "./senderSignatures";
import { serverApi, serversApi } from "./servers";
import { templatePushApi, templatesApi } from "./templates";
import { webhooksApi } from "./webhooks";

export const apiModules: ApiModule[] = [
  serversApi,
  serverApi,
  messageStreamsApi,
  webhooksApi,
  templatePushApi, // before templatesApi: PUT /templates/push takes the account token
  templatesApi,
  inboundRulesApi,
  domainsApi,
  senderSignaturesApi,
];
