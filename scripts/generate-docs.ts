/**
 * `npm run docs`: writes docs/resources/<Kind>.md for every registered resource kind (and the index), from the
 * declarations, and removes pages of kinds no longer registered; and the provider plugin's schema,
 * provider/schema.json, from the same declarations. Both are checked in; tests/unit/referenceDocs.test.ts and
 * tests/unit/schema.test.ts fail when one differs from what this writes.
 */
import * as fs from "fs";
import * as path from "path";
import { docsDir, referencePages, repoRoot } from "./referenceDocs";
import { schemaFile, schemaText } from "../provider/plugin/schema";

const pages = referencePages();
fs.mkdirSync(docsDir, { recursive: true });
for (const file of fs.readdirSync(docsDir)) {
  if (file.endsWith(".md") && !pages.has(file)) {
    fs.rmSync(path.join(docsDir, file));
    process.stdout.write(`removed docs/resources/${file}\n`);
  }
}
for (const [file, text] of pages) {
  const target = path.join(docsDir, file);
  const unchanged = fs.existsSync(target) && fs.readFileSync(target, "utf8") === text;
  if (!unchanged) fs.writeFileSync(target, text);
  process.stdout.write(`${unchanged ? "unchanged" : "wrote"} docs/resources/${file}\n`);
}

const schemaPath = path.join(repoRoot, schemaFile);
const schemaUnchanged = fs.existsSync(schemaPath) && fs.readFileSync(schemaPath, "utf8") === schemaText();
if (!schemaUnchanged) fs.writeFileSync(schemaPath, schemaText());
process.stdout.write(`${schemaUnchanged ? "unchanged" : "wrote"} ${schemaFile}\n`);
