import { unknownValue } from "../../provider/core/fields";
import { ResourceOperations } from "../../provider/core/operations";
import { serverDeclaration } from "../../provider/resources/server";

// diff never calls Postmark: a client factory that throws proves it.
const operations = new ResourceOperations(serverDeclaration, () => {
  throw new Error("diff must not call the API");
});

/** Outputs as create would have stored them for a server declared with `declared`. */
const oldOutputs = (declared: string[], values: Record<string, unknown> = {}) => ({
  serverId: 7,
  name: "Billing",
  color: "Red",
  smtpApiActivated: true,
  deliveryType: "Live",
  bounceHookUrl: "https://hooks.example.com/bounce",
  inboundSpamThreshold: 10,
  trackLinks: "HtmlOnly",
  includeBounceContentInHook: true,
  trackOpens: false,
  managedFields: declared,
  ...values,
});

describe("diff shows exactly what will change, and nothing else", () => {
  it("a color written in another case shows no diff", () => {
    expect(operations.diff("7", oldOutputs(["name", "color"]), { name: "Billing", color: "red" })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("a changed field is an in-place update", () => {
    expect(operations.diff("7", oldOutputs(["name", "color"]), { name: "Billing", color: "Blue" })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("fields the program never declared never show a diff, whatever their value in Postmark", () => {
    const olds = oldOutputs(["name"], { bounceHookUrl: "https://elsewhere.example.com", trackOpens: true });
    expect(operations.diff("7", olds, { name: "Billing" }).changes).toBe(false);
  });

  it("a declared field that was removed goes back to Postmark's default when one is known", () => {
    const olds = oldOutputs(["name", "bounceHookUrl", "smtpApiActivated", "inboundSpamThreshold", "trackLinks"]);
    expect(operations.diff("7", olds, { name: "Billing" }).changes).toBe(true);
  });

  it("a removed field that already holds the default shows no diff", () => {
    const olds = oldOutputs(["name", "trackOpens"]);
    expect(operations.diff("7", olds, { name: "Billing" }).changes).toBe(false);
  });

  it("a removed field without a known default (color) just stops being managed", () => {
    const olds = oldOutputs(["name", "color", "includeBounceContentInHook", "deliveryType"]);
    expect(operations.diff("7", olds, { name: "Billing" }).changes).toBe(false);
  });

  it("a deliveryType change replaces the server, deleting the old one first when the name stays", () => {
    expect(operations.diff("7", oldOutputs(["name", "deliveryType"]), { name: "Billing", deliveryType: "Sandbox" })).toEqual({
      changes: true,
      replaces: ["deliveryType"],
      deleteBeforeReplace: true,
    });
  });

  it("a name that differs only in case still counts as the same name (Postmark ignores case)", () => {
    const diff = operations.diff("7", oldOutputs(["name", "deliveryType"]), { name: "BILLING", deliveryType: "Sandbox" });
    expect(diff.deleteBeforeReplace).toBe(true);
  });

  it("a deliveryType change with a new name creates the new server before deleting the old", () => {
    expect(operations.diff("7", oldOutputs(["name", "deliveryType"]), { name: "Billing 2", deliveryType: "Sandbox" })).toEqual({
      changes: true,
      replaces: ["deliveryType"],
      deleteBeforeReplace: false,
    });
  });

  it("a value not known yet counts as a change, and a replacement deletes first in case the name stays", () => {
    expect(operations.diff("7", oldOutputs(["name"]), { name: unknownValue, deliveryType: unknownValue })).toEqual({
      changes: true,
      replaces: ["deliveryType"],
      deleteBeforeReplace: true,
    });
  });

  it("adding or changing adoptServerId never replaces or updates the server", () => {
    expect(operations.diff("7", oldOutputs(["name"]), { name: "Billing", adoptServerId: 99 }).changes).toBe(false);
  });
});

describe("a replacement never adopts again", () => {
  it("a change that replaces an adopted server fails while adoptServerId is still set, naming what to do", () => {
    const olds = oldOutputs(["name", "deliveryType"], { adoptServerId: 7 });
    expect(() => operations.diff("7", olds, { name: "Billing", deliveryType: "Sandbox", adoptServerId: 7 })).toThrow(
      'PostmarkServer "Billing": deliveryType changed, which replaces the server, but adoptServerId (7) is still set, so the ' +
        "replacement would adopt the old server again. Remove adoptServerId from the program (it did its work when the server " +
        "came into the stack) and run again.",
    );
  });

  it("without adoptServerId the same change is an ordinary replacement", () => {
    const olds = oldOutputs(["name", "deliveryType"], { adoptServerId: 7 });
    expect(operations.diff("7", olds, { name: "Billing", deliveryType: "Sandbox" }).replaces).toEqual(["deliveryType"]);
  });
});
