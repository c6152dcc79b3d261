/**
 * The reference pages in docs/resources are generated from the declarations (`npm run docs`; their examples in every
 * language from sdk/examples, `npm run sdks`) and checked in: they must be exactly what the generator writes now, so
 * that a changed declaration or example cannot leave a page stale, and they must say what users rely on for every
 * kind: each input (nested members included), secret or not, what replaces, each output, adoption and an example.
 */
import * as fs from "fs";
import * as path from "path";
import { Field } from "../../provider/core/fields";
import { managedFieldsOutput } from "../../provider/core/state";
import { declarations } from "../../provider/resources";
import { ResourceDeclaration } from "../../provider/core/declaration";
import { docsDir, fieldsTableMarker, referencePages, resourcePage } from "../../scripts/referenceDocs";

const pages = referencePages();
const onDisk = (file: string) => {
  const target = path.join(docsDir, file);
  return fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
};

describe("docs/resources is what `npm run docs` writes from the declarations", () => {
  it.each([...pages.keys()])("%s is current (run `npm run docs` after changing a declaration, `npm run sdks` after changing an example)", (file) => {
    expect(onDisk(file)).toEqual(pages.get(file));
  });

  it("holds no page of a kind that is no longer registered", () => {
    const files = fs.readdirSync(docsDir).filter((f) => f.endsWith(".md"));
    expect(files.sort()).toEqual([...pages.keys()].sort());
  });

  it("the index links every registered kind", () => {
    for (const { kind } of declarations) expect(pages.get("README.md")).toContain(`[${kind}](${kind}.md)`);
  });
});

/** Leaves as the field table lists them: objects opened, lists whole. */
function leaves(fields: readonly Field[], parents: Field[] = []): { path: string; chain: Field[] }[] {
  return fields.flatMap((field) => {
    const chain = [...parents, field];
    if (field.type === "object" && field.fields) return leaves(field.fields, chain);
    return [{ path: chain.map((f) => f.input).join("."), chain }];
  });
}

/** The rows of the table that follows `marker`, by their first cell (backticks removed). */
function tableRows(page: string, marker: string): Map<string, string> {
  const start = page.indexOf(marker);
  const table = page.slice(start, page.indexOf("\n\n", start)).split("\n").filter((line) => line.startsWith("| `"));
  return new Map(table.map((line) => [line.split("|")[1].trim().replace(/`/g, ""), line]));
}

describe.each(declarations.map((d) => [d.kind, d] as const))("the %s page", (kind, declaration) => {
  const page = pages.get(`${kind}.md`)!;
  const inputRows = tableRows(page, fieldsTableMarker);
  const outputRows = tableRows(page, "| Output | Postmark field | Secret | Description |");

  it("lists every input leaf in the field table, marking secrets and those whose change replaces", () => {
    const expected = leaves(declaration.fields);
    expect([...inputRows.keys()]).toEqual(expected.map((leaf) => leaf.path));
    for (const leaf of expected) {
      const row = inputRows.get(leaf.path)!;
      expect(row.includes("**secret**")).toBe(leaf.chain.some((f) => f.secret === true));
      expect(row.includes(`**replaces the ${declaration.noun}**`)).toBe(leaf.chain.some((f) => f.replaceOnChange === true));
    }
  });

  it("describes every input, with a table of the members of objects and of list elements", () => {
    for (const field of declaration.fields) {
      expect(page).toContain(`### \`${field.input}\`\n\n${field.description}`);
      if (field.type === "object") expect(page).toContain(`Members of \`${field.input}\`:`);
      if (field.type === "list" && field.fields) expect(page).toContain(`Each element of \`${field.input}\`:`);
    }
  });

  it("lists every output, secret where it is stored encrypted, with managedFields, the adoption input and the server's inputs", () => {
    const expected = [
      ...declaration.outputs.map((o) => [o.output, o.secret === true] as const),
      ...declaration.fields.map((f) => [f.input, f.secret === true] as const),
      [managedFieldsOutput, false] as const,
      ...(declaration.token === "server" ? [["serverId", false] as const, ["serverToken", true] as const] : []),
      ...(declaration.options ?? []).map((o) => [o.input, false] as const),
      ...(declaration.adopt ? [[declaration.adopt.input, false] as const] : []),
    ];
    expect([...outputRows.keys()]).toEqual(expected.map(([name]) => name));
    for (const [name, secret] of expected) expect(outputRows.get(name)!.includes("**yes**")).toBe(secret);
  });

  it("says how to adopt one, how replacement and destroy go, and shows an example", () => {
    if (declaration.adopt) expect(page).toContain(`\`${declaration.adopt.input}\``);
    else expect(page).toContain("cannot be adopted");
    expect(page).toContain("## Replacement");
    expect(page).toContain("## Destroy");
    if (declaration.destroyDescription) expect(page).toContain(declaration.destroyDescription);
    expect(page).toMatch(new RegExp(`\`\`\`ts\\nimport \\{ ${kind} \\} from "pulumi-postmark";\\n\\n[^]*new ${kind}\\(`));
  });
});

describe("what a page says destroy does", () => {
  /** A made-up kind: only what the destroy section reads matters. */
  const kind = (extra: Partial<ResourceDeclaration>): ResourceDeclaration => ({
    kind: "PostmarkGadget",
    noun: "gadget",
    description: "A gadget. Destroy files it away. It has a name.",
    token: "account",
    apiId: "ID",
    fields: [{ input: "name", api: "Name", type: "string", required: true, description: "Its name." }],
    outputs: [],
    api: { create: { method: "POST", path: "/gadgets" } },
    isNotFound: () => false,
    label: () => "gadget",
    ...extra,
  });
  const destroySection = (declaration: ResourceDeclaration) => {
    const page = resourcePage(declaration, { hasGet: false });
    return page.slice(page.indexOf("## Destroy"));
  };

  it("a kind Postmark deletes: the call, and retainOnDelete; its destroyDescription beside them", () => {
    const api = { create: { method: "POST", path: "/gadgets" }, delete: { method: "DELETE", path: "/gadgets/{id}" } } as const;
    expect(destroySection(kind({ api }))).toContain("`pulumi destroy` deletes the gadget (`DELETE /gadgets/{id}`)");
    expect(destroySection(kind({ api }))).toContain("`retainOnDelete: true`");
    const told = destroySection(kind({ api, destroyDescription: "Some accounts may not delete gadgets (ErrorCode 999)." }));
    expect(told).toContain("(`DELETE /gadgets/{id}`); one already deleted outside Pulumi counts as deleted. Some accounts may not delete gadgets (ErrorCode 999).");
  });

  it("a kind whose destroy is a hook: its destroyDescription, else the description's sentences about destroy", () => {
    const hooks = { delete: async () => undefined };
    expect(destroySection(kind({ hooks }))).toBe("## Destroy\n\nDestroy files it away.\n");
    expect(destroySection(kind({ hooks, destroyDescription: "Destroy shelves it." }))).toBe("## Destroy\n\nDestroy shelves it.\n");
    expect(destroySection(kind({ hooks, description: "A gadget." }))).toContain("what destroy does instead is in the description above");
  });
});
