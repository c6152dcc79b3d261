/**
 * The Postmark APIs the emulator serves: one module each, registered here by one line. A new API is a new file
 * in this folder (see emulator/README.md, "Adding an API") plus its line below.
 */
import { ApiModule } from "../api";
import { messageStreamsApi } from "./messageStreams";
import { serversApi } from "./servers";
import { webhooksApi } from "./webhooks";

export const apiModules: ApiModule[] = [
  serversApi,
  messageStreamsApi,
  webhooksApi,
];
