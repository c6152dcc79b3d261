import * as pulumi from "@pulumi/pulumi";

/**
 * The object Pulumi serializes into every resource's state. Each method only `require`s the implementation
 * from the installed package when it runs: modules are looked up from the program's node_modules, so this
 * stays small and never freezes old code (or settings) into state. Keep it free of captured objects:
 * anything it references is copied into state by value.
 */
export function dynamicProviderFor(kind: string): pulumi.dynamic.ResourceProvider {
  const runtimeModule = "pulumi-postmark/dist/provider/providerRuntime";
  const runtime = () => require(runtimeModule);
  const operations = () => runtime().operationsFor(kind);
  return {
    configure: async (req) => runtime().configure(req.config),
    check: async (olds, news) => operations().check(olds, news),
    diff: async (id, olds, news) => operations().diff(id, olds, news),
    create: async (inputs) => operations().create(inputs),
    read: async (id, props) => operations().read(id, props),
    update: async (id, olds, news) => operations().update(id, olds, news),
    delete: async (id, props) => operations().delete(id, props),
  };
}
