/**
 * What a preview knows of a create's and an update's outputs without asking Postmark (the plugin answers the engine's
 * preview with it), and which inputs a diff finds changed: pure functions of the declarations, no API call.
 */
import { unknownValue } from "../../provider/core/fields";
import { ResourceOperations } from "../../provider/core/operations";
import { PostmarkClient } from "../../provider/core/postmarkClient";
import { domainDeclaration } from "../../provider/resources/domain";
import { domainVerificationDeclaration } from "../../provider/resources/domainVerification";
import { serverDeclaration } from "../../provider/resources/server";
import { webhookDeclaration } from "../../provider/resources/webhook";

const noClient = (): PostmarkClient => {
  throw new Error("a preview makes no API call");
};
const servers = new ResourceOperations(serverDeclaration, noClient);
const webhooks = new ResourceOperations(webhookDeclaration, noClient);
const domains = new ResourceOperations(domainDeclaration, noClient);
const verifications = new ResourceOperations(domainVerificationDeclaration, noClient);

/** A server's outputs as a create left them. */
const serverOutputs = {
  name: "Billing",
  color: "Red",
  trackOpens: false,
  trackLinks: "None",
  serverId: 7,
  apiTokens: ["token-1"],
  inboundAddress: "hash@inbound.postmarkapp.com",
  inboundDomain: "",
  managedFields: ["name", "color"],
};

describe("a create's outputs in a preview", () => {
  it("are the declared values, and Postmark's defaults where known; the rest (the ID, tokens) unknown until the create", () => {
    const outputs = servers.previewCreate({ name: "Billing", color: "Red" });
    expect(outputs).toMatchObject({ name: "Billing", color: "Red", trackOpens: false, trackLinks: "None", inboundHookUrl: "", managedFields: ["name", "color"] });
    expect(outputs).not.toHaveProperty("serverId");
    expect(outputs).not.toHaveProperty("apiTokens");
    expect(outputs).not.toHaveProperty("deliveryType"); // no known default
  });

  it("of an adoption carry the adopted object's ID", () => {
    expect(servers.previewCreate({ name: "Legacy", adoptServerId: 42 })).toMatchObject({ serverId: 42, adoptServerId: 42 });
  });

  it("of an object member declared in part fill its other members with their defaults", () => {
    expect(webhooks.previewCreate({ serverId: 7, url: "https://x.example.com", triggers: { open: { enabled: true } } }).triggers).toEqual({
      open: { enabled: true, postFirstOpenOnly: false },
      click: { enabled: false },
      delivery: { enabled: false },
      bounce: { enabled: false, includeContent: false },
      spamComplaint: { enabled: false, includeContent: false },
      subscriptionChange: { enabled: false },
    });
  });
});

describe("an update's outputs in a preview", () => {
  it("keep the last outputs, the ID and tokens included, with the changes on top", () => {
    const outputs = servers.previewUpdate(serverOutputs, { name: "Billing", color: "blue", trackOpens: true });
    expect(outputs).toMatchObject({ serverId: 7, apiTokens: ["token-1"], color: "Blue", trackOpens: true, managedFields: ["name", "color", "trackOpens"] });
  });

  it("make an output unknown where the edit may change it too: a new Return-Path domain is not verified yet", () => {
    const last = { name: "example.com", returnPathDomain: "pm.example.com", returnPathVerified: true, dkimHost: "k._domainkey.example.com", domainId: 3, managedFields: ["name", "returnPathDomain"] };
    const outputs = domains.previewUpdate(last, { name: "example.com", returnPathDomain: "bounces.example.com" });
    expect(outputs).toMatchObject({ returnPathDomain: "bounces.example.com", returnPathVerified: unknownValue, dkimHost: "k._domainkey.example.com", domainId: 3 });
  });

  it("of a kind whose update is its own hook (a verification runs its checks again) are unknown but for its inputs", () => {
    const last = { domainId: 3, dkimVerified: false, returnPathVerified: true, managedFields: ["domainId"] };
    expect(verifications.previewUpdate(last, { domainId: 3 })).toMatchObject({ domainId: 3, dkimVerified: unknownValue, returnPathVerified: unknownValue });
  });

  it("leave a value not known yet unknown", () => {
    expect(servers.previewUpdate(serverOutputs, { name: unknownValue, color: "Red" }).name).toBe(unknownValue);
  });
});

describe("the inputs a diff finds changed", () => {
  it("name each path, whether it was added, changed or dropped, and whether it replaces", () => {
    expect(servers.changedInputs(serverOutputs, { name: "Billing", trackOpens: true, deliveryType: "Sandbox" })).toEqual([
      { path: "deliveryType", kind: "add", replaces: true },
      { path: "trackOpens", kind: "add", replaces: false },
    ]);
    expect(servers.changedInputs({ ...serverOutputs, trackOpens: true, managedFields: ["name", "trackOpens"] }, { name: "Billing 2" })).toEqual([
      { path: "name", kind: "update", replaces: false },
      { path: "trackOpens", kind: "delete", replaces: false },
    ]);
  });

  it("name a webhook's trigger member by its path, and a new server as a replacement", () => {
    const last = { serverId: 7, url: "https://x.example.com", triggers: { open: { enabled: true } }, managedFields: ["url", "triggers.open.enabled"] };
    expect(webhooks.changedInputs(last, { serverId: 7, url: "https://x.example.com", triggers: { open: { enabled: false } } })).toEqual([
      { path: "triggers.open.enabled", kind: "update", replaces: false },
    ]);
    expect(webhooks.changedInputs(last, { serverId: unknownValue, url: "https://x.example.com", triggers: { open: { enabled: true } } })).toEqual([
      { path: "serverId", kind: "update", replaces: true },
    ]);
  });
});
