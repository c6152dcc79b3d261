/** What every resource class derives from its declaration: its initial properties, its secret outputs and its base class. */
import * as pulumi from "@pulumi/pulumi";
import { ResourceDeclaration } from "./declaration";
import { providerModuleText } from "./dynamicProvider";
import { managedFieldsOutput, postmarkIdOutput, providerKey, scopeAndAdoptInputs, serverScopeInputs, splitPulumiId } from "./state";

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

/** `apply` with its callback also run while the value is unknown (given `pulumi.unknown`): the SDK's own, unlisted in its types. */
interface ApplyingWithUnknowns {
  apply<U>(func: (value: unknown) => U, runWithUnknowns: true): pulumi.Output<U>;
}

/**
 * Postmark's ID of the object (serverId, domainId, ...), from the resource's ID rather than its registered output.
 * In a preview the engine gives an updated resource's program only its new inputs, so every output that is not an
 * input is unknown, its Postmark ID too; the resource's ID it knows, as an update keeps it and only a create or a
 * replacement brings a new one. So a resource wired to this ID previews what up does: nothing when the object is
 * updated, a replacement when it is replaced. A create that adopts an object will have that object's ID.
 */
function postmarkId(declaration: ResourceDeclaration, id: pulumi.Output<string>, args: object | undefined): pulumi.Output<number> {
  const adopted = declaration.adopt && (args as Record<string, pulumi.Input<unknown>> | undefined)?.[declaration.adopt.input];
  return (id as unknown as ApplyingWithUnknowns).apply((value) => {
    if (!pulumi.isUnknown(value)) return Number(splitPulumiId(declaration, value as string).apiId);
    return adopted === undefined || adopted === null ? pulumi.unknown : pulumi.output(adopted).apply(Number);
  }, true) as pulumi.Output<number>;
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
      const idOutput = postmarkIdOutput(declaration);
      if (idOutput) (this as unknown as Record<string, unknown>)[idOutput.output] = postmarkId(declaration, this.id, args);
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
