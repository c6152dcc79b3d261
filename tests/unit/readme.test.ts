import * as fs from "fs";
import * as path from "path";
import { serverDeclaration } from "../../provider/resources/server";

const writableFields = serverDeclaration.fields;
const repoRoot = path.join(__dirname, "..", "..");

/**
 * Where users read the server's field table: the generated reference page (docs/resources/PostmarkServer.md, kept
 * current by tests/unit/referenceDocs.test.ts), and the README for as long as it still carries a table of its own.
 */
const tableSources = ["docs/resources/PostmarkServer.md", "README.md"].filter(
  (file) => file !== "README.md" || fs.readFileSync(path.join(repoRoot, file), "utf8").includes("<!-- fields-table"),
);

/** The field table is documentation users rely on: it must say what the field table does. */
describe.each(tableSources)("the field table in %s matches the server's declaration", (file) => {
  const readme = fs.readFileSync(path.join(repoRoot, file), "utf8");
  const start = readme.indexOf("<!-- fields-table");
  const table = readme.slice(start, readme.indexOf("\n\n", start));
  const rows = table
    .split("\n")
    .slice(3)
    .map((line) => line.split("|").map((cell) => cell.trim().replace(/`/g, "")));

  it("lists every writable field, in order, with Postmark's name", () => {
    expect(rows.map((r) => [r[1], r[2]])).toEqual(writableFields.map((f) => [f.input, f.api]));
  });

  it.each(writableFields.map((f) => [f.input, f] as const))("%s: what happens when it is removed, and on change", (_name, field) => {
    const row = rows.find((r) => r[1] === field.input)!;
    const removed = field.required ? "(required)" : field.default === undefined ? "stops being managed" : `back to ${JSON.stringify(field.default)}`;
    expect(row[4].replace(/"/g, "")).toBe(removed.replace(/"/g, ""));
    expect(row[5]).toBe(field.replaceOnChange ? "**replaces the server**" : "update");
  });
});
