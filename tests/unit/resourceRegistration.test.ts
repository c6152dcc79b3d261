/**
 * PostmarkResource, the base of the resource classes, registering a made-up kind with Pulumi's SDK (under its
 * mocks, no engine): Pulumi's debug-only promise stacks are not captured while a resource registers, and everything
 * else (outputs, errors with the program's stack, the limit afterwards) is as without it.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResourceDeclaration } from "../../provider/core/declaration";
import { providerModuleText } from "../../provider/core/dynamicProvider";
import { PostmarkResource } from "../../provider/core/resource";

const gadgetDeclaration: ResourceDeclaration = {
  kind: "PostmarkGadget",
  noun: "gadget",
  description: "A made-up kind.",
  token: "account",
  apiId: "ID",
  fields: [{ input: "name", api: "Name", type: "string", required: true, description: "Its name." }],
  outputs: [{ output: "gadgetId", api: "ID", description: "Its ID." }],
  api: { create: { method: "POST", path: "/gadgets" } },
  isNotFound: () => false,
  label: (values) => String(values.name),
};

class PostmarkGadget extends PostmarkResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly gadgetId: pulumi.Output<number>;
  constructor(name: string, args: { name: string }, opts?: pulumi.CustomResourceOptions) {
    super(gadgetDeclaration, name, args, opts);
  }
}

const adoptableDeclaration: ResourceDeclaration = {
  ...gadgetDeclaration,
  adopt: { input: "adoptGadgetId", type: "integer", description: "An existing gadget's ID." },
};

class AdoptableGadget extends PostmarkResource {
  declare readonly gadgetId: pulumi.Output<number>;
  constructor(name: string, args: { name: string; adoptGadgetId?: pulumi.Input<number> }) {
    super(adoptableDeclaration, name, args);
  }
}

const registered: pulumi.runtime.MockResourceArgs[] = [];

/**
 * As the engine answers a preview: a resource it creates or replaces has no ID yet (""), and one it updates has its
 * ID but, for outputs, only its new inputs.
 */
const previewAnswers: Record<string, string> = { "being-created": "", "being-adopted": "", "being-updated": "12" };

beforeAll(() =>
  pulumi.runtime.setMocks(
    {
      newResource: (args) =>
        args.name in previewAnswers
          ? { id: previewAnswers[args.name], state: args.inputs }
          : (registered.push(args), { id: "7", state: { ...args.inputs, gadgetId: 7 } }),
      call: () => ({}),
    },
    "project",
    "stack",
    false,
  ),
);

/** Error.stackTraceLimit as Pulumi's registration sees it: transformations run inside the Resource constructor. */
function limitWhileRegistering(name: string): number {
  let seen = Number.NaN;
  new PostmarkGadget(name, { name: "Gadget" }, { transformations: [() => ((seen = Error.stackTraceLimit), undefined)] });
  return seen;
}

describe("registering a resource", () => {
  const saved = Error.stackTraceLimit;
  afterEach(() => {
    Error.stackTraceLimit = saved;
    delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
  });

  it("captures no stack for Pulumi's debug-only promise stacks, and puts the limit back after", () => {
    Error.stackTraceLimit = 17;
    expect(limitWhileRegistering("quiet")).toBe(0);
    expect(Error.stackTraceLimit).toBe(17);
  });

  it("keeps them when PULUMI_DEBUG_PROMISE_LEAKS asks for them", () => {
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "true";
    Error.stackTraceLimit = 17;
    expect(limitWhileRegistering("debugging")).toBe(17);
  });

  it("an error while registering carries the program's stack, and the limit is put back", () => {
    Error.stackTraceLimit = 17;
    const declareBroken = () =>
      new PostmarkGadget("broken", { name: "Gadget" }, {
        transformations: [
          () => {
            throw new Error("transformation failed");
          },
        ],
      });
    let caught: Error | undefined;
    try {
      declareBroken();
    } catch (e) {
      caught = e as Error;
    }
    expect(caught?.message).toBe("transformation failed");
    expect(caught?.stack).toMatch(/at new PostmarkGadget[^]*at declareBroken/);
    expect(Error.stackTraceLimit).toBe(17);
  });

  it("the resource's outputs resolve as usual", async () => {
    const gadget = new PostmarkGadget("working", { name: "Gadget" });
    const [name, id] = await new Promise<[string, number]>((resolve) => pulumi.all([gadget.name, gadget.gadgetId]).apply(resolve));
    expect([name, id]).toEqual(["Gadget", 7]);
  });

  it("registers as a dynamic resource of its kind, run by the kind's provider text", async () => {
    const gadget = new PostmarkGadget("registered", { name: "Gadget" });
    await new Promise((resolve) => gadget.urn.apply(resolve));
    const args = registered.find((r) => r.name === "registered")!;
    expect(args.type).toBe("pulumi-nodejs:dynamic/postmark:PostmarkGadget");
    expect(args.inputs).toEqual({ name: "Gadget", __provider: providerModuleText("PostmarkGadget") });
  });
});

/** An output's value, or "unknown" (as a preview leaves it): read through the SDK's own flag. */
async function valueOf(output: pulumi.Output<unknown>): Promise<unknown> {
  const known = await (output as unknown as { isKnown: Promise<boolean> }).isKnown;
  return known ? new Promise((resolve) => output.apply(resolve)) : "unknown";
}

describe("Postmark's ID output in a preview", () => {
  it("of a resource being updated is its ID, which the engine knows, though its outputs are only its new inputs", async () => {
    expect(await valueOf(new PostmarkGadget("being-updated", { name: "Gadget" }).gadgetId)).toBe(12);
  });

  it("of a resource being created (or replaced) is unknown", async () => {
    expect(await valueOf(new PostmarkGadget("being-created", { name: "Gadget" }).gadgetId)).toBe("unknown");
  });

  it("of a create that adopts an object is that object's ID", async () => {
    expect(await valueOf(new AdoptableGadget("being-adopted", { name: "Gadget", adoptGadgetId: 33 }).gadgetId)).toBe(33);
  });
});
