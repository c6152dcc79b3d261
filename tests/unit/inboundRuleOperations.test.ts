/**
 * PostmarkInboundRule's operations against the emulator over HTTP: no GET by ID (read pages the list), no edit
 * (a changed rule replaces), a duplicate named by ID, lost-create recovery.
 */
import { interruptedCreateAdvice } from "../../provider/core/errors";
import { Values } from "../../provider/core/fields";
import { ResourceOperations } from "../../provider/core/operations";
import { inboundRuleDeclaration } from "../../provider/resources/inboundRule";
import { checkedInputs, failureOf, failureReasons, useOperationsEmulator } from "../support/operationsHarness";

const token = "unit-test-account-token-inbound-rules";

const { admin, calls, client } = useOperationsEmulator({ token, seed: 5 });
let operations: ResourceOperations;
let serverId: number;

beforeEach(async () => {
  await admin.settings({ faults: "", faultQueue: [], createFaultQueue: [] });
  await admin.inboundRuleSettings({ removalUnavailable: false });
  await admin.reset();
  serverId = (await admin.createByHand({ Name: "Inbound" })).ID;
  await client().serverToken(String(serverId));
  operations = new ResourceOperations(inboundRuleDeclaration, client);
  await admin.clearRequests();
});

const listing = (offset = 0) => `GET /triggers/inboundrules?count=500&offset=${offset} 200`;
const rules = async () => (await admin.inboundRules(serverId)).map((r) => r.Rule);

const checked = (news: Values, olds: Values = {}) => checkedInputs(operations, news, olds);

describe("check, with no API call", () => {
  const reasons = (news: Values) => failureReasons(operations.check({}, news));

  it("takes an email address or a domain", () => {
    expect(reasons({ serverId, rule: "spammer@example.com" })).toEqual([]);
    expect(reasons({ serverId, rule: "spam.example.co.uk" })).toEqual([]);
  });

  it.each([
    ["*.example.com", "wildcards are not allowed: a domain (example.com) blocks that domain"],
    ["spam example.com", "it must not hold spaces"],
    ["localhost", "it must be an email address (name@example.com) or a domain (example.com)"],
    ["@example.com", "it must be an email address (name@example.com) or a domain (example.com)"],
    ["a@b@example.com", "it must be an email address (name@example.com) or a domain (example.com)"],
  ])("refuses %p", async (rule, why) => {
    expect(reasons({ serverId, rule })).toEqual([`rule: rule is ${JSON.stringify(rule)}; ${why}`]);
    expect(await calls()).toEqual([]);
  });

  it("a rule is required", () => {
    expect(reasons({ serverId })).toEqual(["rule: rule is required"]);
  });
});

describe("create", () => {
  it("one listing per run (to know which rules existed before it), then one POST per rule; no read after", async () => {
    const first = await operations.create(checked({ serverId, rule: "spammer@example.com" }));
    const second = await operations.create(checked({ serverId, rule: "junk.example.com" }));
    const stored = await admin.inboundRules(serverId);
    expect(stored.map((r) => r.Rule)).toEqual(["spammer@example.com", "junk.example.com"]);
    expect(await calls()).toEqual([listing(), "POST /triggers/inboundrules 200", "POST /triggers/inboundrules 200"]);
    expect(first.id).toBe(`${serverId}/${stored[0].ID}`);
    expect(second.outs).toMatchObject({ rule: "junk.example.com", ruleId: stored[1].ID, serverId, managedFields: ["rule"] });
  });

  it("a rule the server has already (810, any case) names the existing rule's ID and how to adopt it", async () => {
    const existing = await admin.createInboundRuleByHand(serverId, "Junk.Example.com");
    const failure = await failureOf(operations.create(checked({ serverId, rule: "junk.example.com" })));
    expect(failure.message).toBe(
      `Server ${serverId} already has an inbound rule for "Junk.Example.com" (rule ID ${existing.ID}). To manage it from this ` +
        `program, set \`adoptRuleId: ${existing.ID}\` on this resource; otherwise remove the duplicate "junk.example.com". ` +
        interruptedCreateAdvice("inbound rule"),
    );
    expect(await rules()).toEqual(["Junk.Example.com"]);
  });

  it("a create whose answer is lost takes the rule it made", async () => {
    await admin.settings({ createFaultQueue: ["lost-create"] });
    const { id } = await operations.create(checked({ serverId, rule: "junk.example.com" }));
    const stored = await admin.inboundRules(serverId);
    expect(stored).toHaveLength(1);
    expect(id).toBe(`${serverId}/${stored[0].ID}`);
    expect(await calls()).toEqual([listing(), "POST /triggers/inboundrules 0", listing()]);
  });

  it("adoptRuleId takes a rule made by hand (found in the list), with no POST", async () => {
    const byHand = await admin.createInboundRuleByHand(serverId, "junk.example.com");
    const { id } = await operations.create(checked({ serverId, rule: "junk.example.com", adoptRuleId: byHand.ID }));
    expect(id).toBe(`${serverId}/${byHand.ID}`);
    expect(await calls()).toEqual([listing()]);
  });

  it("adoptRuleId of a rule that blocks something else is refused: a rule cannot be edited", async () => {
    const byHand = await admin.createInboundRuleByHand(serverId, "other.example.com");
    const failure = await failureOf(operations.create(checked({ serverId, rule: "junk.example.com", adoptRuleId: byHand.ID })));
    expect(failure.message).toContain(`declares rule "junk.example.com"; Postmark cannot change it after creation`);
    expect(await rules()).toEqual(["other.example.com"]);
  });
});

describe("read pages the list: there is no GET by ID", () => {
  it("finds a rule past the first page of 500", async () => {
    for (let i = 0; i < 500; i++) await admin.createInboundRuleByHand(serverId, `spam${i}.example.com`);
    const { id, outs } = await operations.create(checked({ serverId, rule: "late.example.com" }));
    await admin.clearRequests();
    const read = await operations.read(id, outs);
    expect(read).toMatchObject({ id, props: { rule: "late.example.com" }, inputs: { rule: "late.example.com", serverId } });
    expect(await calls()).toEqual([listing(0), listing(500)]);
    // 500 rules made one request at a time: seconds on a machine that other work shares.
  }, 60_000);

  it("a rule deleted by hand is absent from the list: gone", async () => {
    const { id, outs } = await operations.create(checked({ serverId, rule: "junk.example.com" }));
    await admin.deleteInboundRuleByHand(serverId, Number(id.split("/")[1]));
    expect(await operations.read(id, outs)).toEqual({ id: "", props: {} });
  });

  it(".get of a rule that does not exist fails clearly", async () => {
    const failure = await failureOf(operations.read(`${serverId}/999`, {}));
    expect(failure.message).toBe(`PostmarkInboundRule.get: no Postmark inbound rule with ID 999 in server ${serverId}.`);
  });
});

describe("diff and delete", () => {
  it("any change to the rule replaces it; one differing only in case deletes the old rule first", async () => {
    const { id, outs } = await operations.create(checked({ serverId, rule: "junk.example.com" }));
    expect(operations.diff(id, outs, checked({ serverId, rule: "other.example.com" }, outs))).toEqual({ changes: true, replaces: ["rule"], deleteBeforeReplace: false });
    expect(operations.diff(id, outs, checked({ serverId, rule: "JUNK.example.com" }, outs))).toEqual({ changes: true, replaces: ["rule"], deleteBeforeReplace: true });
    expect(operations.diff(id, outs, checked({ serverId, rule: "junk.example.com" }, outs)).changes).toBe(false);
  });

  it("one DELETE; a rule already gone (812) is fine", async () => {
    const { id, outs } = await operations.create(checked({ serverId, rule: "junk.example.com" }));
    await admin.clearRequests();
    await operations.delete(id, outs);
    await operations.delete(id, outs);
    const ruleId = id.split("/")[1];
    expect(await calls()).toEqual([`DELETE /triggers/inboundrules/${ruleId} 200`, `DELETE /triggers/inboundrules/${ruleId} 422`]);
    expect(await rules()).toEqual([]);
  });

  it("a refused removal (811) fails with Postmark's answer and keeps the rule", async () => {
    const { id, outs } = await operations.create(checked({ serverId, rule: "junk.example.com" }));
    await admin.inboundRuleSettings({ removalUnavailable: true });
    const failure = await failureOf(operations.delete(id, outs));
    expect(failure.message).toMatch(new RegExp(`^Postmark delete inbound rule \\(${id}\\) failed: HTTP 422, ErrorCode 811: `));
    expect(await rules()).toEqual(["junk.example.com"]);
  });
});
