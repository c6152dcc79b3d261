import * as fs from "fs";
import * as path from "path";
import { serverDeclaration } from "../../provider/resources/server";

const writableFields = serverDeclaration.fields;

/** The README's field table is documentation users rely on: it must say what the field table does. */
describe("the README's field table matches provider/serverFields.ts", () => {
  const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
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
