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

const registered: pulumi.runtime.MockResourceArgs[] = [];

beforeAll(() =>
  pulumi.runtime.setMocks(
    {
      newResource: (args) => (registered.push(args), { id: "7", state: { ...args.inputs, gadgetId: 7 } }),
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
