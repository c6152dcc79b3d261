/**
 * The recover command's edits of a stack's state (provider/commands/deployment.ts), pure functions of Pulumi's deployment
 * format: secrets as `pulumi stack export --show-secrets` shows them and `pulumi stack import` encrypts them, outputs as the
 * engine stores a create's, and what becomes of each pending operation. (The lifecycle test
 * interruptedRun.lifecycle.test.ts runs them through the real CLI.)
 */
import { Deployment, neededByOthers, PendingOperation, plainValue, recoveredDeployment, secretValue, storedOutputs } from "../../provider/commands/deployment";
import { unsettleable } from "../../provider/commands/recover";

const sig = "4dabf18193072939515e22adb298388d";
const secret = (value: unknown) => ({ [sig]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(value) });
const stackUrn = "urn:pulumi:prod::infra::pulumi:pulumi:Stack::infra-prod";
const providerRef = "urn:pulumi:prod::infra::pulumi:providers:pulumi-nodejs::default::4c16a0de";
const urn = (kind: string, name: string) => `urn:pulumi:prod::infra::pulumi-nodejs:dynamic/postmark:${kind}::${name}`;
const providerText = 'exports.handler = () => require("pulumi-postmark/dist/provider/providerRuntime").dynamicProvider("PostmarkWebhook");\n';

const server = { urn: urn("PostmarkServer", "mail"), type: "pulumi-nodejs:dynamic/postmark:PostmarkServer", custom: true, id: "12", parent: stackUrn, provider: providerRef };
const stack = { urn: stackUrn, type: "pulumi:pulumi:Stack", custom: false };
const webhookCreate: PendingOperation = {
  type: "creating",
  resource: {
    urn: urn("PostmarkWebhook", "hook"),
    type: "pulumi-nodejs:dynamic/postmark:PostmarkWebhook",
    custom: true,
    inputs: { __provider: providerText, serverId: 12, url: "https://hooks.example.com", httpAuth: secret({ username: "pm", password: "pw" }) },
    parent: stackUrn,
    provider: providerRef,
    dependencies: [server.urn],
    propertyDependencies: { serverId: [server.urn] },
    additionalSecretOutputs: ["httpAuth", "httpHeaders", "serverToken"],
    protect: true,
  },
};

describe("secrets in the exported state", () => {
  it("plainValue unwraps every secret, at any depth; secretValue wraps one as import takes it", () => {
    expect(plainValue({ a: secret({ b: [1, secret("x")] }), c: [secret(true)] })).toEqual({ a: { b: [1, "x"] }, c: [true] });
    expect(plainValue(secretValue({ password: "pw" }))).toEqual({ password: "pw" });
    expect(() => plainValue({ [sig]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" })).toThrow("--show-secrets");
  });

  it("storedOutputs: secret where the input of that name holds a secret (member by member in objects), and each additionalSecretOutput; no undefined", () => {
    const inputs = { auth: secret({ user: "u" }), nested: { key: secret("k"), plain: "p" }, list: [1, secret(2)], name: "n" };
    const outs = { auth: { user: "u" }, nested: { key: "k", plain: "p" }, list: [1, 2], name: "n", headers: [], token: undefined };
    expect(storedOutputs(outs, inputs, ["headers", "token", "absent"])).toEqual({
      auth: secret({ user: "u" }),
      nested: { key: secret("k"), plain: "p" },
      list: secret([1, 2]),
      name: "n",
      headers: secret([]),
    });
  });
});

describe("recoveredDeployment", () => {
  const now = new Date("2026-12-02T08:00:00.000Z");

  it("an imported create is the engine's record of it, with its ID, stored outputs (and __provider), appended; no pending operation is left", () => {
    const deployment: Deployment = { resources: [stack, server], pending_operations: [webhookCreate], manifest: { version: "v3.248.0" } };
    const outs = { serverId: 12, url: "https://hooks.example.com", httpAuth: { username: "pm", password: "pw" }, httpHeaders: [], webhookId: 7 };
    const recovered = recoveredDeployment(deployment, [{ operation: webhookCreate, action: "import", id: "12/7", outs }], now);
    expect(recovered).toEqual({
      manifest: { version: "v3.248.0" },
      pending_operations: [],
      resources: [
        stack,
        server,
        {
          ...webhookCreate.resource,
          id: "12/7",
          outputs: { ...outs, __provider: providerText, httpAuth: secret(outs.httpAuth), httpHeaders: secret([]) },
          created: now.toISOString(),
          modified: now.toISOString(),
        },
      ],
    });
  });

  it("a resource of the same URN already in the state is the one the recovered create replaces: marked for deletion", () => {
    const old = { ...webhookCreate.resource, id: "12/3", outputs: {} };
    const deployment: Deployment = { resources: [stack, server, old], pending_operations: [webhookCreate] };
    const recovered = recoveredDeployment(deployment, [{ operation: webhookCreate, action: "import", id: "12/7", outs: {} }], now);
    expect(recovered.resources!.map((r) => [r.id, r.delete])).toEqual([
      [undefined, undefined],
      ["12", undefined],
      ["12/3", true],
      ["12/7", undefined],
    ]);
  });

  it("a delete that was done takes its resource (that URN and ID) out; a cleared operation changes nothing else", () => {
    const hook = { ...webhookCreate.resource, id: "12/3", outputs: {} };
    const deleting: PendingOperation = { type: "deleting", resource: hook };
    const updating: PendingOperation = { type: "updating", resource: server };
    const deployment: Deployment = { resources: [stack, server, hook], pending_operations: [deleting, updating] };
    const recovered = recoveredDeployment(deployment, [{ operation: deleting, action: "remove" }, { operation: updating, action: "clear" }], now);
    expect(recovered).toEqual({ resources: [stack, server], pending_operations: [] });
  });

  it("neededByOthers: a resource others name (parent, dependency, property dependency, deletedWith) cannot leave, unless its URN stays", () => {
    const hook = { ...webhookCreate.resource, id: "12/3" };
    expect(neededByOthers({ resources: [stack, server, hook] }, server)).toBe(true);
    expect(neededByOthers({ resources: [stack, server, { ...hook, dependencies: [], propertyDependencies: {} }] }, server)).toBe(false);
    expect(neededByOthers({ resources: [stack, server, { ...hook, dependencies: [], deletedWith: server.urn }] }, server)).toBe(true);
    expect(neededByOthers({ resources: [stack, server, { ...server, id: "13" }, hook] }, server)).toBe(false);
    expect(neededByOthers({ resources: [stack, server] }, stack)).toBe(true);
  });
});

describe("what the recover command refuses to settle", () => {
  it("another provider's pending create (importing the state would drop it), and operations it does not know", () => {
    const bucket: PendingOperation = { type: "creating", resource: { urn: "urn:pulumi:prod::infra::aws:s3/bucket:Bucket::b", type: "aws:s3/bucket:Bucket" } };
    const bucketUpdate: PendingOperation = { ...bucket, type: "updating" };
    const importing: PendingOperation = { ...webhookCreate, type: "importing" };
    expect(unsettleable([webhookCreate, bucket, bucketUpdate, importing, { type: "deleting", resource: server }])).toEqual([bucket, importing]);
  });
});
