/**
 * The `postmark` resource provider plugin: the engine's ResourceProvider gRPC service, served with the service
 * definitions the Pulumi SDK ships, over the same core as the dynamic resources. Each RPC unpacks the engine's
 * properties (properties.ts), runs the kind's operations, and packs the answer with its secrets marked; there is no
 * Postmark knowledge here.
 *
 * It tells the engine that it takes secrets (so the values arrive marked, and it marks what it returns) and that it
 * previews: a preview asks it what a create or an update will give, so an update keeps its outputs (the object and
 * its Postmark ID stay) and resources wired to them preview exactly what `up` does.
 */
import { AsyncLocalStorage } from "async_hooks";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as engineMessages from "@pulumi/pulumi/proto/engine_pb";
import type * as engineServices from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as providerMessages from "@pulumi/pulumi/proto/provider_pb";
import type * as providerServices from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as pluginMessages from "@pulumi/pulumi/proto/plugin_pb";
import type * as emptyMessages from "google-protobuf/google/protobuf/empty_pb";
import { settingProblem, settingSources } from "../core/config";
import { ResourceDeclaration } from "../core/declaration";
import { isExpectedError, PostmarkProviderError } from "../core/errors";
import { show, unknownValue, Values } from "../core/fields";
import { setNoticeSink } from "../core/notices";
import { InputChange, ResourceOperations } from "../core/operations";
import { configure, operationsFor } from "../core/providerProcess";
import { secretInputs } from "../core/resource";
import { fromStruct, Received, sdkRequire, toStruct } from "./properties";
import { buildSchema, declarationOf, packageName, packageVersion } from "./schema";

const grpc = sdkRequire<typeof grpcTypes>("@grpc/grpc-js");
const messages = sdkRequire<typeof providerMessages>("@pulumi/pulumi/proto/provider_pb");
const services = sdkRequire<typeof providerServices>("@pulumi/pulumi/proto/provider_grpc_pb");
const { PluginInfo } = sdkRequire<typeof pluginMessages>("@pulumi/pulumi/proto/plugin_pb");
const { Empty } = sdkRequire<typeof emptyMessages>("google-protobuf/google/protobuf/empty_pb");
const { LogRequest, LogSeverity } = sdkRequire<typeof engineMessages>("@pulumi/pulumi/proto/engine_pb");
const { EngineClient } = sdkRequire<typeof engineServices>("@pulumi/pulumi/proto/engine_grpc_pb");

/**
 * The engine's address: the last argument the engine starts the plugin with, or what its handshake says. Pulumi hides a
 * plugin's output, so what the core tells the user goes to the engine's log, under the resource of the request.
 */
let engineAddress: string | undefined = process.argv.slice(2).filter((arg) => !arg.startsWith("-")).pop();
let engine: engineServices.EngineClient | undefined;
const requestUrn = new AsyncLocalStorage<string>();
/** Log calls under way: a request is answered once its notices reached the engine. */
const pendingNotices = new Set<Promise<void>>();

setNoticeSink((message) => {
  if (!engineAddress) return console.error(message);
  engine ??= new EngineClient(engineAddress, grpc.credentials.createInsecure());
  const request = new LogRequest().setSeverity(LogSeverity.INFO).setMessage(message).setUrn(requestUrn.getStore() ?? "");
  const sent = new Promise<void>((resolve) => engine!.log(request, () => resolve()));
  pendingNotices.add(sent);
  void sent.then(() => pendingNotices.delete(sent));
});

/** The package's version, which the plugin reports and the schema carries. */
export const pluginVersion = packageVersion();

/** The provider's configuration keys (`accountToken`, ...), as the engine names them without the package prefix. */
const configKeys = new Map(settingSources.map((setting) => [setting.config.replace(`${packageName}:`, ""), setting]));
const secretConfigKeys = [...configKeys].filter(([, setting]) => setting.secret).map(([key]) => key);

interface Kind {
  declaration: ResourceDeclaration;
  operations: ResourceOperations;
}

/** The kind a request names by type token (newer engines send it; the URN always holds it, after `::`). */
function kindOf(request: { getUrn(): string; getType?(): string }): Kind {
  const token = request.getType?.() || request.getUrn().split("::")[2]?.split("$").pop() || "";
  const declaration = declarationOf(token);
  if (!declaration) throw new PostmarkProviderError(`The postmark provider ${pluginVersion} has no resource type ${token}: upgrade the plugin.`);
  return { declaration, operations: operationsFor(declaration.kind) };
}

/** The outputs (or inputs) for the engine, with the kind's secrets marked, and whatever arrived secret kept so. */
function packed(declaration: ResourceDeclaration, values: Values, ...received: Received[]) {
  const secretOutputs = declaration.outputs.filter((o) => o.secret).map((o) => o.output);
  return toStruct(values, [...secretInputs(declaration), ...secretOutputs, ...received.flatMap((r) => [...r.secrets])]);
}

const detailKinds: Record<InputChange["kind"], [number, number]> = {
  add: [messages.PropertyDiff.Kind.ADD, messages.PropertyDiff.Kind.ADD_REPLACE],
  update: [messages.PropertyDiff.Kind.UPDATE, messages.PropertyDiff.Kind.UPDATE_REPLACE],
  delete: [messages.PropertyDiff.Kind.DELETE, messages.PropertyDiff.Kind.DELETE_REPLACE],
};

/** What is wrong with the provider's configuration, checked as the client will read it (the token is checked at the first call). */
function configProblems(config: Values): { property: string; reason: string }[] {
  const problems: { property: string; reason: string }[] = [];
  for (const [key, value] of Object.entries(config)) {
    // The engine adds the plugin's version; unknown values (an explicit provider's, from other resources) are checked later.
    if (key === "version" || value === unknownValue || value === undefined || value === null) continue;
    const setting = configKeys.get(key);
    if (!setting) {
      problems.push({ property: key, reason: `${packageName}:${key} is not a setting of the postmark provider; known settings: ${[...configKeys.keys()].join(", ")}` });
      continue;
    }
    const problem = settingProblem(setting, String(value));
    if (problem) problems.push({ property: key, reason: `${setting.config} is ${show(value)}; ${problem}` });
  }
  return problems;
}

const configLookup = (config: Values) => (key: string) => {
  const value = config[key.replace(`${packageName}:`, "")];
  return value === undefined || value === null ? undefined : String(value);
};

type Handler<Request, Response> = (request: Request) => Promise<Response>;

/**
 * A unary RPC: the handler's answer, or its error as the engine shows it. An answer the user acts on shows its message
 * alone (the dynamic resources show the same text); a bug keeps its stack.
 */
function unary<Request, Response>(handler: Handler<Request, Response>): grpcTypes.handleUnaryCall<Request, Response> {
  return (call, callback) => {
    const urn = (call.request as { getUrn?(): string }).getUrn?.() ?? "";
    requestUrn.run(urn, () => handler(call.request)).then(
      async (response) => {
        await Promise.all(pendingNotices);
        callback(null, response);
      },
      (e: unknown) => {
        const details = isExpectedError(e) ? e.message : e instanceof Error ? `${e.message}\n${e.stack ?? ""}` : String(e);
        callback({ code: grpc.status.UNKNOWN, details, name: "Error", message: details, metadata: new grpc.Metadata() });
      },
    );
  };
}

const checkResponse = (declaration: ResourceDeclaration | undefined, inputs: Values, failures: { property: string; reason: string }[], received: Received) => {
  const response = new messages.CheckResponse();
  response.setInputs(declaration ? packed(declaration, inputs, received) : toStruct(inputs, [...secretConfigKeys, ...received.secrets]));
  response.setFailuresList(
    failures.map((f) => {
      const failure = new messages.CheckFailure();
      failure.setProperty(f.property);
      failure.setReason(f.reason);
      return failure;
    }),
  );
  return response;
};

/** The RPCs the engine calls; those left out (components, functions, parameterization) answer "unimplemented". */
export const resourceProvider: Partial<providerServices.IResourceProviderServer> = {
  getPluginInfo: unary(async () => new PluginInfo().setVersion(pluginVersion)),

  handshake: unary(async (request: providerMessages.ProviderHandshakeRequest) => {
    engineAddress = request.getEngineAddress() || engineAddress;
    return new messages.ProviderHandshakeResponse().setAcceptSecrets(true).setAcceptResources(false).setAcceptOutputs(false);
  }),

  getSchema: unary(async () => new messages.GetSchemaResponse().setSchema(JSON.stringify(buildSchema(pluginVersion)))),

  checkConfig: unary(async (request: providerMessages.CheckRequest) => {
    const news = fromStruct(request.getNews());
    return checkResponse(undefined, news.values, configProblems(news.values), news);
  }),

  diffConfig: unary(async (request: providerMessages.DiffRequest) => {
    const olds = fromStruct(request.getOldInputs() ?? request.getOlds()).values;
    const news = fromStruct(request.getNews()).values;
    const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((key) => key !== "version" && show(olds[key]) !== show(news[key]));
    const response = new messages.DiffResponse();
    response.setChanges(changed.length > 0 ? messages.DiffResponse.DiffChanges.DIFF_SOME : messages.DiffResponse.DiffChanges.DIFF_NONE);
    response.setDiffsList(changed);
    return response;
  }),

  configure: unary(async (request: providerMessages.ConfigureRequest) => {
    // The args carry the values typed and with secrets marked; older engines send only the variables ("postmark:x").
    const args = request.hasArgs() ? fromStruct(request.getArgs()).values : undefined;
    const variables = Object.fromEntries([...request.getVariablesMap().entries()].map(([key, value]) => [key.replace(`${packageName}:`, ""), value]));
    configure(configLookup(args ?? variables));
    const response = new messages.ConfigureResponse();
    response.setAcceptsecrets(true);
    response.setSupportspreview(true);
    return response;
  }),

  check: unary(async (request: providerMessages.CheckRequest) => {
    const { declaration, operations } = kindOf(request);
    const news = fromStruct(request.getNews());
    const { inputs, failures } = operations.check(fromStruct(request.getOlds()).values, news.values);
    return checkResponse(declaration, inputs, failures, news);
  }),

  diff: unary(async (request: providerMessages.DiffRequest) => {
    const { operations } = kindOf(request);
    const olds = fromStruct(request.getOlds()).values;
    const news = fromStruct(request.getNews()).values;
    const outcome = operations.diff(request.getId(), olds, news);
    const response = new messages.DiffResponse();
    response.setChanges(outcome.changes ? messages.DiffResponse.DiffChanges.DIFF_SOME : messages.DiffResponse.DiffChanges.DIFF_NONE);
    response.setReplacesList(outcome.replaces);
    response.setDeletebeforereplace(outcome.deleteBeforeReplace);
    const changes = operations.changedInputs(olds, news);
    response.setDiffsList([...new Set(changes.map((change) => change.path.split(".")[0]))]);
    response.setHasdetaileddiff(true);
    for (const change of changes) {
      const detail = new messages.PropertyDiff();
      detail.setKind(detailKinds[change.kind][change.replaces ? 1 : 0]);
      detail.setInputdiff(true);
      response.getDetaileddiffMap().set(change.path, detail);
    }
    return response;
  }),

  create: unary(async (request: providerMessages.CreateRequest) => {
    const { declaration, operations } = kindOf(request);
    const news = fromStruct(request.getProperties());
    const response = new messages.CreateResponse();
    if (request.getPreview()) return response.setProperties(packed(declaration, operations.previewCreate(news.values), news));
    const { id, outs } = await operations.create(news.values);
    return response.setId(id).setProperties(packed(declaration, outs, news));
  }),

  read: unary(async (request: providerMessages.ReadRequest) => {
    const { declaration, operations } = kindOf(request);
    const props = fromStruct(request.getProperties());
    const inputs = fromStruct(request.getInputs());
    const read = await operations.read(request.getId(), props.values);
    const response = new messages.ReadResponse().setId(read.id);
    if (read.id === "") return response;
    response.setProperties(packed(declaration, read.props, props, inputs));
    if (read.inputs) response.setInputs(packed(declaration, read.inputs, props, inputs));
    return response;
  }),

  update: unary(async (request: providerMessages.UpdateRequest) => {
    const { declaration, operations } = kindOf(request);
    const olds = fromStruct(request.getOlds());
    const news = fromStruct(request.getNews());
    const response = new messages.UpdateResponse();
    if (request.getPreview()) return response.setProperties(packed(declaration, operations.previewUpdate(olds.values, news.values), news));
    const { outs } = await operations.update(request.getId(), olds.values, news.values);
    return response.setProperties(packed(declaration, outs, news));
  }),

  delete: unary(async (request: providerMessages.DeleteRequest) => {
    const { operations } = kindOf(request);
    await operations.delete(request.getId(), fromStruct(request.getProperties()).values);
    return new Empty();
  }),

  cancel: unary(async () => new Empty()),
};

/** Serves the plugin on a free loopback port, and tells the engine which, as the first line of stdout. */
export async function serve(): Promise<void> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(services.ResourceProviderService, resourceProvider as providerServices.IResourceProviderServer);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  process.stdout.write(`${port}\n`);
}
