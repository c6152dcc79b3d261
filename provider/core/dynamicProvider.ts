/**
 * The `__provider` text of every resource: what Pulumi's dynamic-provider host loads (as a module whose `handler()`
 * returns the provider) to run the resource's operations. The engine keeps it in state twice per resource (among
 * the inputs and the outputs), so it is a two-line module that `require`s the runtime from the installed package: later
 * runs use the installed code, never code or settings frozen into state.
 *
 * Why written here and not by `pulumi.dynamic.Resource`: that class runs Pulumi's closure serializer, which wraps
 * every function in about 170 bytes of scaffolding (`with`, `apply`), so even a provider of one `configure` cost
 * 644 bytes per copy, and loading the serializer costs each program run time. The host only needs a module that
 * exports `handler`; it loads each distinct text once per process and calls the provider's `configure` (with the
 * stack's config) before any other method.
 */
export const runtimeModule = "pulumi-postmark/dist/provider/providerRuntime";

/** The module text for one kind, e.g. "PostmarkServer" (about 150 bytes as stored, a JSON string). */
export function providerModuleText(kind: string): string {
  return `const runtimeModule = ${JSON.stringify(runtimeModule)};\nexports.handler = () => require(runtimeModule).dynamicProvider(${JSON.stringify(kind)});\n`;
}
