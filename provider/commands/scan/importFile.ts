/**
 * The `pulumi import --file` JSON a scan writes, for programs in any language (with the provider plugin): each object's
 * type token, its import ID (the engine's ID, as the dynamic resources have it), its resource name (the same as the
 * TypeScript module's) and its server as parent, an entry of the same file (Pulumi's import resolves a parent named
 * in the file since v3.95). Pulumi's import then writes the code in the program's language and adds the state.
 */
import { typeToken } from "../../plugin/schema";
import { ScannedObject } from "./account";

/** One entry of Pulumi's import file (pulumi/pkg/cmd/pulumi/operations/import.go, importSpec). */
export interface ImportSpec {
  type: string;
  name: string;
  id: string;
  parent?: string;
}

export interface ImportFile {
  resources: ImportSpec[];
}

export const importFileName = "import.json";

export function importFile(objects: readonly ScannedObject[], names: Map<ScannedObject, string>): ImportFile {
  return {
    // No values: Pulumi's import reads them through the plugin. (Its `properties` would not keep a secret out of the code
    // it writes: in Pulumi v3.248 they only add to the inputs the read reports.)
    resources: objects.map((object) => ({
      type: typeToken(object.declaration),
      name: names.get(object)!,
      id: object.pulumiId,
      ...(object.server && { parent: names.get(object.server)! }),
    })),
  };
}
