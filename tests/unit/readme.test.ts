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
  const markdownIn = (dir: string) => fs.readdirSync(path.join(repoRoot, dir)).filter((f) => f.endsWith(".md")).map((f) => `${dir}/${f}`);
  const pages = ["README.md", ...markdownIn("docs"), ...markdownIn("docs/resources")];
  /** Each relative link of a page: the file it names (relative to the repo) and the section, if any. */
  const links = (page: string) =>
    [...fs.readFileSync(path.join(repoRoot, page), "utf8").matchAll(/\]\(([^)#\s]+)(?:#([^)\s]*))?\)/g)]
      .filter((m) => !/^[a-z]+:/.test(m[1]))
      .map((m) => ({ file: path.join(path.dirname(page), m[1]), section: m[2] }));
  /** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens. */
  const anchors = (file: string) =>
    [...fs.readFileSync(path.join(repoRoot, file), "utf8").matchAll(/^#+ (.*)$/gm)].map((m) =>
      m[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-"),
    );

  it.each(pages)("every relative link in %s names a file of the repo", (page) => {
    const missing = links(page).filter(({ file }) => !fs.existsSync(path.join(repoRoot, file)));
    expect(missing).toEqual([]);
  });

  it.each(pages)("every link from %s to a section of a page names one of its headings", (page) => {
    const broken = links(page).filter(({ file, section }) => section && file.endsWith(".md") && !anchors(file).includes(section));
    expect(broken).toEqual([]);
  });
});
