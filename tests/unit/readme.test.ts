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

/** The README is a map of the guides: each of its links, and each guide's, must lead somewhere. */
describe("links between the README and the guides", () => {
  const pages = ["README.md", ...fs.readdirSync(path.join(repoRoot, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  it.each(pages)("every relative link in %s names a file of the repo", (page) => {
    const text = fs.readFileSync(path.join(repoRoot, page), "utf8");
    const targets = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/.test(t));
    const missing = targets.filter((t) => !fs.existsSync(path.join(repoRoot, path.dirname(page), t)));
    expect(missing).toEqual([]);
  });
});
