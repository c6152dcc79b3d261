/**
 * The Postmark APIs the emulator serves: one module each, registered here by one line. A new API is a new file
 * in this folder (see emulator/README.md, "Adding an API") plus its line below.
 */
import { ApiModule } from "../api";
import { serversApi } from "./servers";

export const apiModules: ApiModule[] = [
  serversApi,
];
