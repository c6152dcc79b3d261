import * as pulumi from "@pulumi/pulumi";

/**
 * The object Pulumi serializes into every resource's state, twice (the engine keeps it among the inputs and the
 * outputs). It holds no code of ours beyond one `configure` that `require`s the runtime from the installed package
 * when it runs, so later runs use the installed code and never code or settings frozen into state.
 *
 * Why only `configure`: Pulumi's closure serializer wraps every function it emits in about 170 bytes of scaffolding
 * (`with`, `apply`), so seven methods cost 2.6 kB per copy. The dynamic-provider host deserializes a provider once
 * per process and calls its `configure` (with the stack's config) before any other method, so `configure` installs
 * the kind's operations on the provider itself (`this`): about 0.7 kB per copy.
 *
 * Keep it free of captured objects: anything it references is copied into state by value.
 */
export function dynamicProviderFor(kind: string): pulumi.dynamic.ResourceProvider {
  let provider = providersByKind.get(kind);
  if (!provider) {
    // The engine's type asks for `create`, which `configure` installs when the provider runs.
    provider = serializedProvider(kind) as pulumi.dynamic.ResourceProvider;
    providersByKind.set(kind, provider);
  }
  return provider;
}

// Pulumi serializes a provider once per object (a WeakMap), which costs several milliseconds of the program's
// time: one object per kind, not one per resource.
const providersByKind = new Map<string, pulumi.dynamic.ResourceProvider>();

function serializedProvider(kind: string): Pick<pulumi.dynamic.ResourceProvider, "configure"> {
  const runtimeModule = "pulumi-postmark/dist/provider/providerRuntime";
  // One line, a function expression (not a method, which the serializer annotates): every byte is stored twice per resource.
  // prettier-ignore
  return { configure: async function (request) { Object.assign(this, require(runtimeModule).operationMethods(kind, request.config)); } };
}
