/**
 * The `postmark` package's Pulumi schema, derived from the declarations as the reference docs are: every input and
 * output with its type, description, allowed values, default, required, secret and replace-on-change; the provider's
 * configuration. The plugin serves it (GetSchema); `npm run docs` writes it to provider/schema.json, from which the
 * SDKs are generated, and tests/unit/schema.test.ts fails when that file is stale.
 */
import * as fs from "fs";
import * as path from "path";
import { OutputField, ResourceDeclaration } from "../core/declaration";
import { settingSources } from "../core/config";
import { defaultClientSettings } from "../core/postmarkClient";
import { Field } from "../core/fields";
import { managedFieldsOutput, postmarkIdOutput, serverScopeInputs } from "../core/state";
import { declarations } from "../resources";

export const packageName = "postmark";

/**
 * What each language's SDK (sdk/<language>, `npm run sdks`) is called. The npm name is not `pulumi-postmark`, which is
 * this package with the dynamic resources; the Go module is the repository's path with /sdk/go, and nothing is
 * published under these names yet: a program takes the SDK from a clone (`pulumi package add`, or a path).
 */
export const sdkNames = {
  nodejs: "pulumi-postmark-sdk",
  python: "pulumi_postmark",
  goModule: "github.com/pulumi-postmark/pulumi-postmark/sdk/go",
  goImport: "github.com/pulumi-postmark/pulumi-postmark/sdk/go/postmark",
  csharpRootNamespace: "PulumiPostmark",
} as const;

/** The package's version, from pulumi-postmark's package.json above this module (the repository's, or the installed package's). */
export function packageVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    // provider/plugin's own package.json is the plugin's source project (PulumiPlugin.yaml), not the package.
    const found = fs.existsSync(manifest) ? JSON.parse(fs.readFileSync(manifest, "utf8")) : undefined;
    if (found?.name === "pulumi-postmark") return found.version;
  }
  throw new Error(`no package.json of pulumi-postmark above ${__dirname}`);
}

/** The kind's type token: "PostmarkServer" is `postmark:index:Server`. */
export const typeToken = (declaration: ResourceDeclaration) => `${packageName}:index:${declaration.kind.replace(/^Postmark/, "")}`;

/** The declaration of a type token, or undefined. */
export const declarationOf = (token: string) => declarations.find((declaration) => typeToken(declaration) === token);

/** How `pulumi import` names an object of the kind: the same ID the resource has once managed. */
export const importId = (declaration: ResourceDeclaration): string => {
  const id = postmarkIdOutput(declaration)?.output ?? declaration.fields.find((f) => f.api === declaration.apiId)?.input ?? "id";
  return declaration.token === "server" ? `<serverId>/<${id}>` : `<${id}>`;
};

type Spec = Record<string, unknown>;

const capitalized = (name: string) => name[0].toUpperCase() + name.slice(1);

/** The schema's types: enums and objects, by token, filled while the resources are described. */
class TypeRegistry {
  readonly types: Record<string, Spec> = {};

  /** A property's spec; an object or an enum becomes a named type, e.g. `postmark:index:WebhookTriggers`. */
  property(field: Field, typeName: string, asInput: boolean): Spec {
    const spec: Spec = { ...this.typeOf(field, typeName, asInput), description: field.description };
    if (field.secret) spec.secret = true;
    if (asInput && field.replaceOnChange) spec.replaceOnChanges = true;
    if (asInput && field.default !== undefined && typeof field.default !== "object") spec.default = field.default;
    return spec;
  }

  private typeOf(field: Field, typeName: string, asInput: boolean): Spec {
    switch (field.type) {
      case "boolean":
        return { type: "boolean" };
      case "integer":
        return { type: "integer" };
      case "enum":
        return { $ref: `#/types/${this.enumType(field, typeName)}` };
      case "object":
        return { $ref: `#/types/${this.objectType(field.fields ?? [], typeName, asInput)}` };
      case "list":
        // An element's type is named for one element: `WebhookHttpHeader`.
        return { type: "array", items: field.fields ? { $ref: `#/types/${this.objectType(field.fields, typeName.replace(/s$/, ""), asInput)}` } : { type: "string" } };
      default:
        return { type: "string" };
    }
  }

  private enumType(field: Field, typeName: string): string {
    const token = `${packageName}:index:${typeName}`;
    this.types[token] ??= {
      type: "string",
      description: field.description,
      enum: (field.allowed ?? []).map((value) => ({ value, name: String(value) })),
    };
    return token;
  }

  private objectType(members: readonly Field[], typeName: string, asInput: boolean): string {
    const token = `${packageName}:index:${typeName}`;
    if (!this.types[token]) {
      this.types[token] = {}; // reserved first: members may name types of their own
      const required = members.filter((m) => m.required).map((m) => m.input);
      this.types[token] = {
        type: "object",
        properties: Object.fromEntries(members.map((m) => [m.input, this.property(m, typeName + capitalized(m.input), asInput)])),
        ...(required.length > 0 && { required }),
      };
    }
    return token;
  }
}

/** A type name from the kind and the input: `ServerColor`, `WebhookTriggers`; `MessageStreamType`, not `MessageStreamMessageStreamType`. */
function typeNameOf(declaration: ResourceDeclaration, input: string): string {
  const kind = declaration.kind.replace(/^Postmark/, "");
  return capitalized(input).startsWith(kind) ? capitalized(input) : kind + capitalized(input);
}

const outputTypes: Record<NonNullable<OutputField["type"]>, Spec> = {
  string: { type: "string" },
  integer: { type: "integer" },
  boolean: { type: "boolean" },
  strings: { type: "array", items: { type: "string" } },
};

/** Every input of a kind as a field: its fields, then the server it belongs to, the provider options and adoption. */
function inputFields(declaration: ResourceDeclaration): Field[] {
  const { adopt } = declaration;
  return [
    ...declaration.fields,
    ...(declaration.token === "server" ? Object.values(serverScopeInputs) : []),
    ...(declaration.options ?? []),
    ...(adopt ? [{ input: adopt.input, api: "", type: adopt.type, description: adopt.description } satisfies Field] : []),
  ];
}

function resourceSpec(declaration: ResourceDeclaration, registry: TypeRegistry): Spec {
  const inputs = inputFields(declaration);
  const inputProperties = Object.fromEntries(inputs.map((f) => [f.input, registry.property(f, typeNameOf(declaration, f.input), true)]));
  const outputs: Record<string, Spec> = Object.fromEntries(
    inputs.map((f) => {
      const { default: _default, replaceOnChanges: _replaces, ...spec } = registry.property(f, typeNameOf(declaration, f.input), false);
      return [f.input, spec];
    }),
  );
  for (const output of declaration.outputs) {
    outputs[output.output] = { ...outputTypes[output.type ?? "string"], description: output.description, ...(output.secret && { secret: true }) };
  }
  outputs[managedFieldsOutput] = { type: "array", items: { type: "string" }, description: "The inputs this resource manages (dotted paths for object members)." };
  const idOutput = postmarkIdOutput(declaration);
  const example = declaration.token === "server" ? "12345/67890" : "12345";
  return {
    description:
      `${declaration.description}\n\n## Import\n\nAn existing ${declaration.noun} is imported by its ID, \`${importId(declaration)}\`:\n\n` +
      `\`\`\`sh\n$ pulumi import ${typeToken(declaration)} example ${example}\n\`\`\`\n`,
    inputProperties,
    requiredInputs: inputs.filter((f) => f.required).map((f) => f.input),
    properties: outputs,
    required: [
      ...declaration.fields.filter((f) => f.required).map((f) => f.input),
      ...(declaration.token === "server" ? [serverScopeInputs.serverId.input] : []),
      ...(idOutput ? [idOutput.output] : []),
      managedFieldsOutput,
    ],
  };
}

/** The provider's configuration: the stack config keys the dynamic resources read (`postmark:accountToken`, ...). */
function configProperties(): Record<string, Spec> {
  return Object.fromEntries(
    settingSources.map((setting) => {
      const fallback = (defaultClientSettings as Record<string, unknown>)[setting.key];
      return [
        setting.config.replace(`${packageName}:`, ""),
        {
          type: typeof fallback === "number" ? "integer" : "string",
          description: `${setting.description} Environment: \`${setting.env}\`.`,
          defaultInfo: { environment: [setting.env] },
          ...(setting.secret && { secret: true }),
        },
      ];
    }),
  );
}

export function buildSchema(version: string): Spec {
  const registry = new TypeRegistry();
  const resources = Object.fromEntries(declarations.map((declaration) => [typeToken(declaration), resourceSpec(declaration, registry)]));
  const config = configProperties();
  return {
    name: packageName,
    displayName: "Postmark",
    version,
    description: "Postmark servers, message streams, webhooks, templates, inbound rules, domains and sender signatures as code.",
    keywords: ["pulumi", "postmark", "email", "category/utility", "kind/native"],
    license: "Apache-2.0",
    publisher: "pulumi-postmark",
    // supportPack: the SDKs carry the package's version (package.json, pyproject.toml, the .csproj) and Go's has a go.mod.
    meta: { moduleFormat: "(.*)", supportPack: true },
    language: {
      nodejs: { packageName: sdkNames.nodejs, packageDescription: "Typed SDK of the postmark Pulumi provider plugin (pulumi-postmark)." },
      python: { packageName: sdkNames.python },
      go: { importBasePath: sdkNames.goImport, modulePath: sdkNames.goModule },
      csharp: { rootNamespace: sdkNames.csharpRootNamespace },
    },
    config: { variables: config },
    provider: {
      description: "The Postmark provider: one Postmark account, by its account token.",
      inputProperties: config,
      properties: Object.fromEntries(Object.entries(config).filter(([, spec]) => spec.type === "string")),
    },
    resources,
    types: registry.types,
  };
}

/** Where the schema is checked in, from the repository's root. */
export const schemaFile = "provider/schema.json";

/** The checked-in schema's text: the package's version, two-space JSON. */
export const schemaText = (version: string = packageVersion()): string => `${JSON.stringify(buildSchema(version), null, 2)}\n`;
