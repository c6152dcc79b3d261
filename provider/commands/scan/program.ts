/**
 * The TypeScript module a scan writes: every scanned object declared with the values Postmark holds and its adoption
 * input, wired to the objects it names (`serverId: billing.serverId`, `layoutTemplate: base.alias`), long texts read
 * from files beside it, secrets read from secret stack config. Names, files and keys come from `names.ts`.
 */
import { Field, Values } from "../../core/fields";
import { serverDeclaration } from "../../resources/server";
import { AccountScan, inputFields, isNamedBy, ScannedObject } from "./account";
import { camelCase, identifierFrom, isIdentifier, kebabCase, NameTable, pascalCase, wordsOf } from "./names";

/** The package a program imports the resource classes from. */
const packageName = "pulumi-postmark";

/** A secret value the program reads from stack config: its key, the value (never written to a file) and what it is. */
export interface ProgramSecret {
  readonly key: string;
  readonly value: unknown;
  /** "httpAuth.password of webhook "https://..." (server "Billing")". */
  readonly description: string;
}

export interface WrittenProgram {
  /** Relative path → content: the module (index.ts) and the files it reads. */
  readonly files: Map<string, string>;
  /** Each object's resource name (also its variable's). */
  readonly names: Map<ScannedObject, string>;
  readonly secrets: ProgramSecret[];
}

export const programFile = "index.ts";

/**
 * The resource names of a scan's objects (in the scan's order, servers before what they hold): a server is named by its
 * name alone ("Billing (prod)" → billingProd), and prefixes the names of what it holds, which end with their kind's noun
 * (billingProdNewslettersMessageStream); an account-level object is its name and noun (exampleComDomain).
 */
export function resourceNames(objects: readonly ScannedObject[]): Map<ScannedObject, string> {
  const table = new NameTable(isIdentifier);
  const names = new Map<ScannedObject, string>();
  for (const object of objects) {
    const { declaration, server } = object;
    const wanted = identifierFrom(server && names.get(server), object.label, declaration.noun, declaration !== serverDeclaration);
    names.set(object, table.claim(wanted, pascalCase(wordsOf(object.apiId))));
  }
  return names;
}

/** A secret leaf: its own field is secret, or it sits in a secret object or list that marks none of its members. */
function isSecretLeaf(chain: readonly Field[]): boolean {
  const leaf = chain[chain.length - 1];
  return leaf.secret === true || chain.slice(0, -1).some((f) => f.secret && !(f.fields ?? []).some((m) => m.secret));
}

/** The module and its files; `header` gives the comment at its top, knowing the secrets the module reads. */
export function writeProgram(scan: AccountScan, header: (secrets: ProgramSecret[]) => string[]): WrittenProgram {
  const names = resourceNames(scan.objects);
  const files = new Map<string, string>();
  const secrets: ProgramSecret[] = [];
  const keys = new NameTable(isIdentifier);
  const fileNames = new NameTable();
  const fileBases = new Map<ScannedObject, string>();
  /** Where an object's long texts go: a folder per kind and server, a name from Postmark's (the extension tells the texts apart). */
  const fileBase = (object: ScannedObject): string => {
    const folder = [kebabCase(wordsOf(object.declaration.noun)) + "s", ...(object.server ? [kebabCase(wordsOf(object.server.label)) || object.server.apiId] : [])];
    if (!fileBases.has(object)) fileBases.set(object, fileNames.claim(`${folder.join("/")}/${kebabCase(wordsOf(object.label)) || object.apiId}`, `-${object.apiId}`));
    return fileBases.get(object)!;
  };
  const usedKinds = new Set<string>();

  const described = (object: ScannedObject) =>
    `${object.declaration.noun} "${object.label}"${object.server ? ` (server "${object.server.label}")` : ""}`;

  /** The expression for one value of an object, at `chain` (the fields from the top-level input down). */
  const expression = (object: ScannedObject, chain: Field[], value: unknown, keyWords: string[]): string => {
    const field = chain[chain.length - 1];
    const target = chain.length === 1 && field.references ? referenced(object, field, value) : undefined;
    if (target) return `${names.get(target)}.${field.references!.property}`;
    if (field.fileExtension && typeof value === "string" && value !== "") {
      const file = `${fileBase(object)}.${field.fileExtension}`;
      files.set(file, value);
      return `file(${JSON.stringify(file)})`;
    }
    if (isSecretLeaf(chain) && field.type !== "object" && field.type !== "list") {
      const key = keys.claim(camelCase([names.get(object)!, ...keyWords]), String(secrets.length + 1));
      secrets.push({ key, value, description: `${keyWords.join(".")} of ${described(object)}` });
      return typeof value === "string" ? `config.requireSecret(${JSON.stringify(key)})` : `config.requireSecretObject(${JSON.stringify(key)})`;
    }
    if (field.type === "object" && value && typeof value === "object") {
      const members = (field.fields ?? []).filter((m) => (value as Values)[m.input] !== undefined);
      const parts = members.map((m) => `${m.input}: ${expression(object, [...chain, m], (value as Values)[m.input], [...keyWords, m.input])}`);
      return `{ ${parts.join(", ")} }`;
    }
    if (field.type === "list" && Array.isArray(value) && field.fields) {
      const items = value.map((item, i) => {
        // An element is told apart in its secrets' keys by its first plain member (a header's name), else its place.
        const plain = field.fields!.find((m) => !m.secret && typeof (item as Values)[m.input] === "string");
        const itemWords = plain ? wordsOf(String((item as Values)[plain.input])) : [String(i + 1)];
        const members = field.fields!.filter((m) => (item as Values)[m.input] !== undefined);
        return `{ ${members.map((m) => `${m.input}: ${expression(object, [...chain, m], (item as Values)[m.input], [...keyWords, ...itemWords, m.input])}`).join(", ")} }`;
      });
      return `[${items.join(", ")}]`;
    }
    return JSON.stringify(value);
  };

  /** The scanned object another one names with this value (its server, its stream, its layout), if the program declares it. */
  const referenced = (object: ScannedObject, field: Field, value: unknown): ScannedObject | undefined =>
    scan.objects.find((o) => isNamedBy(o, object, field, value));

  const declarationText = (object: ScannedObject): string => {
    const { declaration } = object;
    usedKinds.add(declaration.kind);
    const lines = inputFields(declaration)
      .filter((f) => object.inputs[f.input] !== undefined)
      .map((f) => `  ${f.input}: ${expression(object, [f], object.inputs[f.input], [f.input])},`);
    if (declaration.adopt) lines.push(`  ${declaration.adopt.input}: ${JSON.stringify(object.inputs[declaration.adopt.input])},`);
    const unmanaged = object.unmanaged.map((u) => `// Not declared (stays as Postmark holds it): ${u.problem}.`);
    const name = names.get(object)!;
    return [...unmanaged, `export const ${name} = new ${declaration.kind}(${JSON.stringify(name)}, {`, ...lines, "});"].join("\n");
  };

  const body = scan.objects.map(declarationText).join("\n\n");
  const imports = [
    ...(files.size > 0 ? ['import * as fs from "fs";', 'import * as path from "path";'] : []),
    ...(secrets.length > 0 ? ['import * as pulumi from "@pulumi/pulumi";'] : []),
    `import { ${[...usedKinds].sort().join(", ")} } from ${JSON.stringify(packageName)};`,
  ];
  const helpers = [
    ...(secrets.length > 0 ? ["// Secrets Postmark returns in clear: secret stack config (`pulumi config set --secret <key>`).", "const config = new pulumi.Config();"] : []),
    ...(files.size > 0 ? ["// Long texts live in files beside this module, read exactly as written.", 'const file = (name: string) => fs.readFileSync(path.join(__dirname, name), "utf8");'] : []),
  ];
  const comment = header(secrets).map((line) => (line === "" ? "//" : `// ${line}`));
  const sections = [comment, usedKinds.size > 0 ? imports : [], helpers, body === "" ? [] : [body]].filter((lines) => lines.length > 0);
  const text = sections.map((lines) => lines.join("\n")).join("\n\n") + "\n";
  files.set(programFile, text);
  return { files, names, secrets };
}
