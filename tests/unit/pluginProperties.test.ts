/**
 * The plugin's properties as the engine sends and takes them (a protobuf Struct, secrets wrapped in Pulumi's marker,
 * unknowns as Pulumi's unknown string): plain values for the core, and secretness kept by top-level property.
 */
import { unknownValue } from "../../provider/core/fields";
import { fromStruct, sdkRequire, toStruct } from "../../provider/plugin/properties";

const { Struct } = sdkRequire<typeof import("google-protobuf/google/protobuf/struct_pb")>("google-protobuf/google/protobuf/struct_pb");
const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

describe("properties between the engine and the core", () => {
  it("secrets arrive unwrapped, and the top-level properties that held one are named", () => {
    const received = fromStruct(Struct.fromJavaScript({ url: "https://x.example.com", httpAuth: { username: "u", password: secret("pw") }, name: secret("n") }));
    expect(received.values).toEqual({ url: "https://x.example.com", httpAuth: { username: "u", password: "pw" }, name: "n" });
    expect([...received.secrets].sort()).toEqual(["httpAuth", "name"]);
  });

  it("what goes back marks the named properties secret, leaves undefined out, and keeps unknowns", () => {
    const struct = toStruct({ serverId: 7, apiTokens: ["t"], inboundAddress: undefined, name: unknownValue }, ["apiTokens", "inboundAddress"]);
    expect(struct.toJavaScript()).toEqual({ serverId: 7, apiTokens: secret(["t"]), name: unknownValue });
  });

  it("a value sent back the way it came is the same value and secretness", () => {
    const sent = { a: secret({ b: [1, secret("c")] }), d: "e" };
    const received = fromStruct(Struct.fromJavaScript(sent));
    expect(fromStruct(toStruct(received.values, received.secrets))).toEqual(received);
  });
});
