import * as pulumi from "@pulumi/pulumi";

/**
 * The object Pulumi serializes into every PostmarkServer's state. Each method only `require`s the
 * implementation from the installed package when it runs: modules are looked up from the program's
 * node_modules, so this stays a few hundred bytes and never freezes old code (or settings) into state.
 * Keep it free of captured objects: anything it references is copied into state by value.
 */
const runtimeModule = "pulumi-postmark/dist/provider/providerRuntime";
const runtime = () => require(runtimeModule);

export const postmarkServerProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    runtime().configure(req.config);
  },
  async check(olds, news) {
    return runtime().operations.check(olds, news);
  },
  async diff(id, olds, news) {
    return runtime().operations.diff(id, olds, news);
  },
  async create(inputs) {
    return runtime().operations.create(inputs);
  },
  async read(id, props) {
    return runtime().operations.read(id, props);
  },
  async update(id, olds, news) {
    return runtime().operations.update(id, olds, news);
  },
  async delete(id, props) {
    return runtime().operations.delete(id, props);
  },
};
