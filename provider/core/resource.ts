/** What every resource class derives from its declaration: its initial properties and its secret outputs. */
import * as pulumi from "@pulumi/pulumi";
import { ResourceDeclaration } from "./declaration";
import { managedFieldsOutput, scopeAndAdoptInputs, serverScopeInputs } from "./state";

/** Every output present (as undefined) so it exists as an Output property; declared args on top, secrets wrapped. */
export function initialProps(declaration: ResourceDeclaration, args: object | undefined): Record<string, unknown> {
  const names = [
    ...declaration.fields.map((f) => f.input),
    ...declaration.outputs.map((o) => o.output),
    managedFieldsOutput,
    ...scopeAndAdoptInputs(declaration),
  ];
  const props: Record<string, unknown> = Object.fromEntries(names.map((name) => [name, undefined]));
  for (const [name, value] of Object.entries(args ?? {})) {
    // The engine keeps inputs in state too: a secret typed as a plain string in the program must be encrypted there.
    props[name] = secretInputs(declaration).includes(name) && value !== undefined ? pulumi.secret(value) : value;
  }
  return props;
}

export function secretInputs(declaration: ResourceDeclaration): string[] {
  const scope = declaration.token === "server" ? [serverScopeInputs.serverToken.input] : [];
  return [...declaration.fields.filter((f) => f.secret).map((f) => f.input), ...scope];
}

export function secretOptions(declaration: ResourceDeclaration, opts?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  const secretOutputs = [...declaration.outputs.filter((o) => o.secret).map((o) => o.output), ...secretInputs(declaration)];
  return { ...opts, additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), ...secretOutputs])] };
}
