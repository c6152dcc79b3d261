/** What every resource class derives from its declaration: its initial properties, its secret outputs and its base class. */
import * as pulumi from "@pulumi/pulumi";
import { ResourceDeclaration } from "./declaration";
import { providerModuleText } from "./dynamicProvider";
import { managedFieldsOutput, providerKey, scopeAndAdoptInputs, serverScopeInputs } from "./state";

/** Every output present (as undefined) so it exists as an Output property; declared args on top, secrets wrapped. */
export function initialProps(declaration: ResourceDeclaration, args: object | undefined): Record<string, unknown> {
  const names = [
    ...declaration.fields.map((f) => f.input),
    ...declaration.outputs.map((o) => o.output),
    managedFieldsOutput,
    ...scopeAndAdoptInputs(declaration),
  ];
  const props: Record<string, unknown> = Object.fromEntries(names.map((name) => [name, undefined]));
  const secrets = secretInputs(declaration);
  for (const [name, value] of Object.entries(args ?? {})) {
    // The engine keeps inputs in state too: a secret typed as a plain string in the program must be encrypted there.
    props[name] = secrets.includes(name) && value !== undefined ? pulumi.secret(value) : value;
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

/**
 * The base of a resource class: registers one declared kind with Pulumi, e.g.
 * `constructor(name, args, opts) { super(serverDeclaration, name, args, opts); }`.
 *
 * It registers what `pulumi.dynamic.Resource` registers (the same type, run by the same dynamic-provider host) with
 * the kind's own `__provider` text (dynamicProvider.ts) instead of the closure Pulumi would serialize.
 *
 * And for each of the four promises behind every output property, Pulumi's SDK formats a stack
 * trace (through source-map-support) that it only ever shows for promises a program leaks, and only with
 * PULUMI_DEBUG_PROMISE_LEAKS. A server has 25 outputs, so 100 formatted stacks: 0.8 s of a 4.2 s no-op preview of
 * 50 servers, where do-nothing resources take 3.5 s. They are not captured while the resource registers (unless
 * PULUMI_DEBUG_PROMISE_LEAKS is set). The source position and stack trace the engine records for the resource are
 * captured by Pulumi with its own limit, so they are unchanged.
 */
export abstract class PostmarkResource extends pulumi.CustomResource {
  protected constructor(declaration: ResourceDeclaration, name: string, args: object | undefined, opts?: pulumi.CustomResourceOptions) {
    const stackTraceLimit = Error.stackTraceLimit;
    if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
    try {
      const props = { ...initialProps(declaration, args), [providerKey]: providerModuleText(declaration.kind) };
      super(`pulumi-nodejs:dynamic/postmark:${declaration.kind}`, name, props, secretOptions(declaration, opts));
    } catch (e) {
      // Made without frames: give it the program's, where the resource was declared.
      Error.stackTraceLimit = stackTraceLimit;
      if (e instanceof Error) Error.captureStackTrace(e, PostmarkResource);
      throw e;
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }
}
