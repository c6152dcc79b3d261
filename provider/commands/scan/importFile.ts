/**
 * The `pulumi import --file` JSON a scan writes, for programs in any language (with the provider plugin): each object's
 * type token, its import ID (the engine's ID, as the dynamic resources have it), its resource name (the same as the
 * TypeScript module's) and its server as parent, an entry of the same file (Pulumi's import resolves a parent named
 * in the file since v3.95). Pulumi's import then writes the code in the program's language and adds the state.
 */
import { typeToken } from "../../plugin/schema";
import { ScannedObject } from "./account";
import { secretInputsOf } from "./program";

/** One entry of Pulumi's import file (pulumi/pkg/cmd/pulumi/operations/import.go, importSpec). */
export interface ImportSpec {
  type: string;
  name: string;
  id: string;
  parent?: string;
  /** The inputs Pulumi's import keeps and writes into the code: given only to leave secrets out of the code. */
  properties?: string[];
}

export interface ImportFile {
  resources: ImportSpec[];
}

export const importFileName = "import.json";

export function importFile(objects: readonly ScannedObject[], names: Map<ScannedObject, string>): ImportFile {
  return {
    resources: objects.map((object) => {
      const secret = secretInputsOf(object);
      return {
        type: typeToken(object.declaration),
        name: names.get(object)!,
        id: object.pulumiId,
        ...(object.server && { parent: names.get(object.server)! }),
        // Pulumi's import writes the values it reads into the code, secrets in plaintext (`secret("...")`): an object with
        // a secret input is imported without it, and the program adds it from secret config (docs/scan.md).
        ...(secret.length > 0 && { properties: Object.keys(object.inputs).filter((input) => input !== object.declaration.adopt?.input && !secret.includes(input)) }),
      };
    }),
  };
}
