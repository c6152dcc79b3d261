/**
 * The `postmark` plugin's schema (provider/schema.json) is generated from the declarations (`npm run docs`) and checked
 * in: it must be exactly what the generator writes now, and must say what users of every language rely on: each kind's
 * type token, inputs and outputs with their types, secrets, what replaces, what is required, and the provider's config.
 */
import * as fs from "fs";
import * as path from "path";
import { serverScopeInputs } from "../../provider/core/state";
import { schemaFile, schemaText, typeToken } from "../../provider/plugin/schema";
import { declarations } from "../../provider/resources";

const repoRoot = path.join(__dirname, "..", "..");
const committed = fs.readFileSync(path.join(repoRoot, schemaFile), "utf8");
const schema = JSON.parse(committed);
type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("provider/schema.json", () => {
  it("is what `npm run docs` writes from the declarations now", () => {
    expect(committed).toEqual(schemaText());
  });

  it("carries the package's name and version", () => {
    expect(schema.name).toBe("postmark");
    expect(schema.version).toBe(JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).version);
  });

  it("has one resource per registered kind, under its type token", () => {
    expect(Object.keys(schema.resources)).toEqual(declarations.map(typeToken));
    expect(typeToken(declarations[0])).toBe("postmark:index:Server");
  });

  it.each(declarations.map((d) => [d.kind, d] as const))("%s: every field is an input and an output, typed, with its secret, replace and required", (_kind, declaration) => {
    const spec: Spec = schema.resources[typeToken(declaration)];
    for (const field of declaration.fields) {
      const input: Spec = spec.inputProperties[field.input];
      expect(input).toBeDefined();
      expect(input.description).toBe(field.description);
      expect(Boolean(input.secret)).toBe(Boolean(field.secret));
      expect(Boolean(input.replaceOnChanges)).toBe(Boolean(field.replaceOnChange));
      expect(spec.requiredInputs.includes(field.input)).toBe(Boolean(field.required));
      expect(spec.properties[field.input]).toBeDefined();
      if (field.type === "enum") expect(schema.types[input.$ref.replace("#/types/", "")].enum.map((e: Spec) => e.value)).toEqual(field.allowed);
    }
    for (const output of declaration.outputs) expect(Boolean(spec.properties[output.output].secret)).toBe(Boolean(output.secret));
    expect(spec.description).toContain(`pulumi import ${typeToken(declaration)}`);
    if (declaration.token === "server") {
      expect(spec.inputProperties.serverId).toMatchObject({ type: "integer", replaceOnChanges: true });
      expect(spec.inputProperties.serverToken).toMatchObject({ type: "string", secret: true });
      expect(spec.requiredInputs).toContain(serverScopeInputs.serverId.input);
    }
    if (declaration.adopt) expect(spec.inputProperties[declaration.adopt.input].type).toBe(declaration.adopt.type);
  });

  it("nested inputs are object types: a webhook's triggers member by member, its secret auth and headers", () => {
    const webhook: Spec = schema.resources["postmark:index:Webhook"];
    expect(webhook.inputProperties.triggers.$ref).toBe("#/types/postmark:index:WebhookTriggers");
    expect(schema.types["postmark:index:WebhookTriggersOpen"].properties).toMatchObject({ enabled: { type: "boolean" }, postFirstOpenOnly: { type: "boolean" } });
    expect(webhook.inputProperties.httpAuth).toMatchObject({ $ref: "#/types/postmark:index:WebhookHttpAuth", secret: true });
    expect(webhook.inputProperties.httpHeaders).toMatchObject({ type: "array", items: { $ref: "#/types/postmark:index:WebhookHttpHeader" }, secret: true });
  });

  it("the server's Postmark ID and secret outputs are typed", () => {
    const server: Spec = schema.resources["postmark:index:Server"];
    expect(server.properties.serverId.type).toBe("integer");
    expect(server.properties.apiTokens).toMatchObject({ type: "array", items: { type: "string" }, secret: true });
    expect(server.required).toContain("serverId");
  });

  it("the provider is configured under the keys the dynamic resources read, with their environment fallbacks", () => {
    expect(schema.config.variables.accountToken).toMatchObject({ type: "string", secret: true, defaultInfo: { environment: ["POSTMARK_ACCOUNT_TOKEN"] } });
    expect(schema.config.variables.maxAttempts).toMatchObject({ type: "integer", defaultInfo: { environment: ["POSTMARK_MAX_ATTEMPTS"] } });
    expect(Object.keys(schema.provider.inputProperties)).toEqual(Object.keys(schema.config.variables));
  });
});
