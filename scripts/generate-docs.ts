/**
 * `npm run docs`: writes docs/resources/<Kind>.md for every registered resource kind (and the index), from the
 * declarations, and removes pages of kinds no longer registered; and the provider plugin's schema,
 * provider/schema.json, from the same declarations. Both are checked in; tests/unit/referenceDocs.test.ts and
 * tests/unit/schema.test.ts fail when one differs from what this writes. (`npm run sdks` runs these too, around the
 * SDKs it generates from the schema: the pages show their examples.)
 */
import * as path from "path";
import { docsDir, referencePages, repoRoot } from "./referenceDocs";
import { schemaFile, schemaText } from "../provider/plugin/schema";
import { writeTree } from "./generatedFiles";

const schemaName = path.basename(schemaFile);
export const writeSchema = () =>
  writeTree(path.join(repoRoot, path.dirname(schemaFile)), new Map([[schemaName, schemaText()]]), path.dirname(schemaFile), (file) => file === schemaName);

export const writePages = () => writeTree(docsDir, referencePages(), path.relative(repoRoot, docsDir), (file) => file.endsWith(".md") && !file.includes("/"));

if (require.main === module) {
  writePages();
  writeSchema();
}
