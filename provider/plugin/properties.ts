/**
 * Properties as the engine sends and takes them: a protobuf Struct whose secrets are wrapped in Pulumi's secret
 * marker and whose unknown values are Pulumi's unknown string (the core's `unknownValue`). The core sees plain values;
 * secretness is kept aside, by top-level property, and put back on what goes to the engine.
 */
import * as path from "path";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Values } from "../core/fields";

/**
 * The protobuf runtime and gRPC library the SDK's generated service definitions use, loaded from the SDK's own
 * place, so the messages built here are the same classes the definitions serialize.
 */
const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
export const sdkRequire = <T>(module: string): T => require(require.resolve(module, { paths: [sdkDir] })) as T;
const structs = sdkRequire<typeof import("google-protobuf/google/protobuf/struct_pb")>("google-protobuf/google/protobuf/struct_pb");

const signatureKey = "4dabf18193072939515e22adb298388d";
const secretSignature = "1b47061264138c4ac30d75fd1eb44270";

const isPlainObject = (value: unknown): value is Values => typeof value === "object" && value !== null && !Array.isArray(value);
const isSecret = (value: unknown): value is Values => isPlainObject(value) && value[signatureKey] === secretSignature;

/** A value with every secret marker removed, and whether it held one. */
function unwrap(value: unknown): { value: unknown; secret: boolean } {
  if (isSecret(value)) return { value: unwrap(value.value).value, secret: true };
  if (Array.isArray(value)) {
    const items = value.map(unwrap);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (isPlainObject(value)) {
    const members = Object.entries(value).map(([key, member]) => [key, unwrap(member)] as const);
    return { value: Object.fromEntries(members.map(([key, m]) => [key, m.value])), secret: members.some(([, m]) => m.secret) };
  }
  return { value, secret: false };
}

/** What the engine sent: plain values, and the names of the top-level properties that held a secret. */
export interface Received {
  values: Values;
  secrets: Set<string>;
}

export function fromStruct(struct: Struct | undefined): Received {
  const values: Values = {};
  const secrets = new Set<string>();
  for (const [key, raw] of Object.entries(struct?.toJavaScript() ?? {})) {
    const { value, secret } = unwrap(raw);
    values[key] = value;
    if (secret) secrets.add(key);
  }
  return { values, secrets };
}

/** Values for the engine, the named top-level properties wrapped as secrets (undefined ones are left out). */
export function toStruct(values: Values, secrets: Iterable<string>): Struct {
  const secret = new Set(secrets);
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    plain[key] = secret.has(key) && value !== null ? { [signatureKey]: secretSignature, value } : value;
  }
  return structs.Struct.fromJavaScript(plain as Parameters<typeof structs.Struct.fromJavaScript>[0]);
}
