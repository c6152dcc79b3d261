/**
 * The core's general pieces for kinds that are not one POST/PUT/DELETE object: derived outputs, kinds without
 * adoption, and the create, update and outstanding hooks. A small made-up kind shows each; no API is reached
 * (the client points at a closed port, so any call would fail the test).
 */
import { checkInputs } from "../../provider/core/checkInputs";
import { ResourceDeclaration } from "../../provider/core/declaration";
import { Values } from "../../provider/core/fields";
import { ResourceOperations } from "../../provider/core/operations";
import { ApiObject, defaultClientSettings, PostmarkClient } from "../../provider/core/postmarkClient";
import { inputsFromOutputs, outputsFrom, scopeAndAdoptInputs } from "../../provider/core/state";

const client = new PostmarkClient({ ...defaultClientSettings, apiUrl: "http://127.0.0.1:9", accountToken: "unused", maxAttempts: 1 });

/** A check of some object: made by a hook, re-run by a hook while it has not passed, never adopted. */
function checkKind(hooks: ResourceDeclaration["hooks"]): ResourceDeclaration {
  return {
    kind: "ExampleCheck",
    noun: "example check",
    description: "For tests.",
    token: "account",
    apiId: "ID",
    fields: [{ input: "targetId", api: "ID", type: "integer", required: true, replaceOnChange: true, description: "What is checked." }],
    options: [{ input: "strict", api: "", type: "boolean", description: "How hard to check." }],
    outputs: [
      { output: "label", api: "Name", description: "Copied." },
      { output: "passed", api: "State", derive: (object) => object.State === "ok", description: "Derived from State." },
    ],
    api: { read: { method: "GET", path: "/things/{id}" } },
    isNotFound: () => false,
    label: (values) => String(values.label),
    hooks,
  };
}

const object = (state: string): ApiObject => ({ ID: 7, Name: "seven", State: state });

describe("derived outputs", () => {
  it("are computed from the whole answer; the others are copied from their field", () => {
    const declaration = checkKind({});
    expect(outputsFrom(declaration, object("ok"), ["targetId"], {})).toEqual({ targetId: 7, label: "seven", passed: true, managedFields: ["targetId"] });
    expect(outputsFrom(declaration, object("waiting"), ["targetId"], {}).passed).toBe(false);
  });
});

describe("options", () => {
  it("are kept in the outputs as declared, and read reports them back as inputs, so a refresh shows no change", () => {
    const declaration = checkKind({});
    const outputs = outputsFrom(declaration, object("ok"), ["targetId"], { targetId: 7, strict: true });
    expect(outputs.strict).toBe(true);
    expect(inputsFromOutputs(declaration, outputs)).toEqual({ targetId: 7, strict: true });
    expect(inputsFromOutputs(declaration, outputsFrom(declaration, object("ok"), ["targetId"], { targetId: 7 }))).toEqual({ targetId: 7 });
  });
});

describe("a kind without adoption", () => {
  it("has no adoption input: check lists the others, and only the options are kept in the outputs", () => {
    const declaration = checkKind({});
    expect(scopeAndAdoptInputs(declaration)).toEqual(["strict"]);
    expect(checkInputs(declaration, {}, { targetId: 7, adoptId: 3 }).failures).toEqual([
      { property: "adoptId", reason: "adoptId is not a ExampleCheck input; known inputs: targetId, strict" },
    ]);
    expect(checkInputs(declaration, {}, { targetId: 7, strict: true }).failures).toEqual([]);
  });

  it("without api.create or hooks.create, create is a clear error and calls nothing", async () => {
    const operations = new ResourceOperations(checkKind({}), () => client);
    await expect(operations.create({ targetId: 7 })).rejects.toThrow("A Postmark example check is not created through the API.");
  });
});

describe("create and update hooks", () => {
  const seen: string[] = [];
  const operations = new ResourceOperations(
    checkKind({
      create: async (_context, news) => {
        seen.push(`create ${news.targetId} strict=${news.strict}`);
        return object("waiting");
      },
      update: async (_context, apiId, olds, news) => {
        seen.push(`update ${apiId} strict=${news.strict}`);
        return olds.passed ? undefined : object("ok");
      },
      outstanding: (olds) => olds.passed !== true,
    }),
    () => client,
  );
  beforeEach(() => seen.splice(0));

  it("create runs the hook instead of a POST; its object gives the ID and the outputs", async () => {
    const { id, outs } = await operations.create({ targetId: 7, strict: true });
    expect(seen).toEqual(["create 7 strict=true"]);
    expect(id).toBe("7");
    expect(outs).toMatchObject({ targetId: 7, label: "seven", passed: false });
  });

  it("with no input changed, diff reports a change while work is outstanding, and none after", () => {
    const waiting = outputsFrom(operations.declaration, object("waiting"), ["targetId"], {});
    const done = outputsFrom(operations.declaration, object("ok"), ["targetId"], {});
    expect(operations.diff("7", waiting, { targetId: 7 })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(operations.diff("7", done, { targetId: 7 })).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(operations.diff("7", done, { targetId: 8 }).replaces).toEqual(["targetId"]);
  });

  it("update runs the hook though no field changed; its object gives the outputs, undefined keeps them", async () => {
    const waiting: Values = outputsFrom(operations.declaration, object("waiting"), ["targetId"], {});
    const { outs } = await operations.update("7", waiting, { targetId: 7, strict: false });
    expect(outs).toMatchObject({ passed: true, label: "seven" });
    const { outs: kept } = await operations.update("7", outs, { targetId: 7 });
    // The outputs keep the options as now declared.
    expect(kept).toEqual({ ...outs, strict: undefined });
    expect(seen).toEqual(["update 7 strict=false", "update 7 strict=undefined"]);
  });
});
