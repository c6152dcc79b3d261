/**
 * The foundation: the Pulumi CLI built by scripts/ensure-pulumi.sh runs a program with a dynamic
 * resource through up and destroy on a file:// backend, with secret outputs encrypted in state.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { createTestStack, pulumiBinDir, TestStack } from "./pulumiHarness";

jest.setTimeout(180_000);

const trivialProgram = `
const pulumi = require("@pulumi/pulumi");
const provider = {
  async create(inputs) { return { id: "thing-1", outs: { label: inputs.label, token: "tok-" + inputs.label } }; },
  async diff(id, olds, news) { return { changes: olds.label !== news.label }; },
  async update(id, olds, news) { return { outs: { label: news.label, token: "tok-" + news.label } }; },
  async delete() {},
};
class Thing extends pulumi.dynamic.Resource {
  constructor(name, label) {
    super(provider, name, { label, token: undefined }, { additionalSecretOutputs: ["token"] });
  }
}
const thing = new Thing("thing", new pulumi.Config().require("label"));
exports.label = thing.label;
exports.token = thing.token;
`;

describe("the Pulumi CLI built from Go modules", () => {
  it("prints the pinned version and holds the Node.js language host and the dynamic provider plugin", () => {
    const bin = pulumiBinDir();
    expect(execFileSync(path.join(bin, "pulumi"), ["version"], { encoding: "utf8" }).trim()).toBe("v3.248.0");
    for (const plugin of ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
      expect(fs.statSync(path.join(bin, plugin)).mode & 0o111).not.toBe(0);
    }
  });

  describe("a dynamic resource through up, a no-op preview, an update and destroy", () => {
    let test: TestStack;
    beforeAll(async () => {
      test = await createTestStack({ program: trivialProgram, config: { label: "first" } });
    });
    afterAll(async () => test?.cleanup());

    it("up creates the resource, records it in state and keeps the secret output encrypted", async () => {
      const up = await test.stack.up();
      expect(up.summary.result).toBe("succeeded");
      expect(up.summary.resourceChanges).toMatchObject({ create: 2 }); // the stack and the thing
      expect(up.outputs.label.value).toBe("first");
      expect(up.outputs.token).toMatchObject({ value: "tok-first", secret: true });

      const state = JSON.parse(await test.exportState()).deployment;
      const thing = state.resources.find((r: { type: string }) => r.type === "pulumi-nodejs:dynamic:Resource");
      expect(thing).toMatchObject({ id: "thing-1", outputs: { label: "first" } });
      expect(thing.outputs.token).toHaveProperty("ciphertext");
      expect(await test.exportState()).not.toContain("tok-first");
      expect(test.rawBackendFiles()).not.toContain("tok-first");
    });

    it("a second preview reports no changes", async () => {
      const preview = await test.stack.preview();
      expect(preview.changeSummary).toEqual({ same: 2 });
    });

    it("a config change updates the resource in place", async () => {
      await test.stack.setConfig("label", { value: "second" });
      const up = await test.stack.up();
      expect(up.summary.resourceChanges).toMatchObject({ update: 1, same: 1 });
      expect(up.outputs.label.value).toBe("second");
    });

    it("destroy removes every resource from state", async () => {
      const destroy = await test.stack.destroy();
      expect(destroy.summary.resourceChanges).toMatchObject({ delete: 2 });
      const state = JSON.parse(await test.exportState()).deployment;
      expect(state.resources ?? []).toHaveLength(0);
    });
  });
});
