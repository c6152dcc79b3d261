/**
 * The resource core's field rules, with no API call: nested leaves, create and edit bodies in Postmark's
 * shapes (dotted names, partial objects), values read back, secret redaction in messages, and what an edit
 * must change (defaults for what a program stops declaring). A small declaration of its own exercises every
 * kind of field; the webhook's real declaration checks the same rules where it relies on them.
 */
import { ResourceDeclaration } from "../../provider/core/declaration";
import {
  createBody,
  declaredLeaves,
  editBody,
  Field,
  fromApi,
  membersFromApi,
  normaliseValue,
  sameValue,
  toApi,
  unknownValue,
  valueProblems,
} from "../../provider/core/fields";
import { inputsFromOutputs, looksFreshlyCreatedFrom, outputsFrom, pendingChanges, replacesResource } from "../../provider/core/state";
import { webhookDeclaration } from "../../provider/resources/webhook";

const flag = (input: string, api: string): Field => ({ input, api, type: "boolean", default: false, description: input });
const fields: Field[] = [
  { input: "name", api: "Name", type: "string", required: true, description: "name" },
  { input: "color", api: "Color", type: "enum", allowed: ["Red", "Blue"], description: "color" },
  { input: "kind", api: "Kind", type: "string", replaceOnChange: true, description: "kind" },
  // Two values Postmark nests under one object.
  { input: "handling", api: "Config.Handling", type: "enum", allowed: ["None", "Postmark"], description: "handling" },
  { input: "limit", api: "Config.Limit", type: "integer", default: 0, description: "limit" },
  {
    input: "auth",
    api: "Auth",
    type: "object",
    secret: true,
    fields: [
      { input: "user", api: "User", type: "string", required: true, description: "user" },
      { input: "password", api: "Password", type: "string", required: true, description: "password" },
    ],
    description: "auth",
  },
  {
    input: "headers",
    api: "Headers",
    type: "list",
    secret: true,
    default: [],
    fields: [
      { input: "name", api: "Name", type: "string", required: true, description: "header name" },
      { input: "value", api: "Value", type: "string", required: true, description: "header value" },
    ],
    rule: (headers: unknown[]) => (headers.length > 2 ? "at most 2 headers" : undefined),
    description: "headers",
  },
  {
    input: "triggers",
    api: "Triggers",
    type: "object",
    edit: "changedMembers",
    fields: [
      { input: "open", api: "Open", type: "object", fields: [flag("enabled", "Enabled"), flag("firstOnly", "FirstOnly")], description: "open" },
      { input: "click", api: "Click", type: "object", fields: [flag("enabled", "Enabled")], description: "click" },
    ],
    description: "triggers",
  },
];
const declaration: ResourceDeclaration = {
  kind: "TestThing",
  noun: "thing",
  description: "A declaration exercising every kind of field.",
  token: "account",
  apiId: "ID",
  fields,
  outputs: [{ output: "thingId", api: "ID", description: "ID" }],
  adopt: { input: "adoptThingId", type: "integer", description: "adopt" },
  api: { create: { method: "POST", path: "/things" }, read: { method: "GET", path: "/things/{id}" }, update: { method: "PUT", path: "/things/{id}" } },
  isNotFound: () => false,
  label: (values) => String(values.name),
};
const field = (input: string) => fields.find((f) => f.input === input)!;

/** Postmark's whole answer for a thing, as a read returns it. */
const apiThing = {
  ID: 7,
  Name: "Thing",
  Color: "red",
  Kind: "a",
  Config: { Handling: "Postmark", Limit: 3 },
  Auth: { User: "u", Password: "pw" },
  Triggers: { Open: { Enabled: true, FirstOnly: true }, Click: { Enabled: false } },
};

describe("values", () => {
  it("an enum matches any case and compares equal to its canonical spelling, in nested objects too", () => {
    expect(normaliseValue(field("color"), "BLUE")).toBe("Blue");
    expect(sameValue(field("color"), "red", "Red")).toBe(true);
    expect(sameValue(field("color"), "red", "Blue")).toBe(false);
    expect(sameValue(field("triggers"), { open: { enabled: true } }, { open: { enabled: true, firstOnly: undefined } })).toBe(true);
  });

  it("a value is sent in Postmark's names and read back in the program's", () => {
    const auth = { user: "u", password: "pw" };
    expect(toApi(field("auth"), auth)).toEqual({ User: "u", Password: "pw" });
    expect(fromApi(field("auth"), { User: "u", Password: "pw" })).toEqual(auth);
    expect(toApi(field("headers"), [{ name: "X-A", value: "1" }])).toEqual([{ Name: "X-A", Value: "1" }]);
    expect(fromApi(field("headers"), [{ Name: "X-A", Value: "1" }])).toEqual([{ name: "X-A", value: "1" }]);
  });

  it("reads dotted names from the nested object, and an empty list Postmark leaves out as the list's default", () => {
    expect(membersFromApi(fields, apiThing)).toEqual({
      name: "Thing",
      color: "Red",
      kind: "a",
      handling: "Postmark",
      limit: 3,
      auth: { user: "u", password: "pw" },
      headers: [],
      triggers: { open: { enabled: true, firstOnly: true }, click: { enabled: false } },
    });
  });

  it("a list left out that has no known default stays unknown", () => {
    const noDefault = { ...field("headers"), default: undefined };
    expect(membersFromApi([noDefault], {})).toEqual({});
  });

  it("a field named differently in answers is read from its answer name", () => {
    const from: Field = { input: "from", api: "FromEmail", apiRead: "EmailAddress", type: "string", description: "from" };
    expect(membersFromApi([from], { EmailAddress: "a@example.com", FromEmail: "ignored" })).toEqual({ from: "a@example.com" });
  });
});

describe("problems with a declared value", () => {
  it("name the path, the value and what is allowed", () => {
    expect(valueProblems(field("color"), "green")).toEqual(['color is "green"; allowed values: Red, Blue']);
    expect(valueProblems(field("triggers"), { open: { enabled: "yes" }, hover: {} })).toEqual([
      "triggers.hover is not a member of triggers; known members: open, click",
      'triggers.open.enabled is "yes"; it must be true or false',
    ]);
    expect(valueProblems(field("triggers"), { open: { enabled: unknownValue } })).toEqual([]);
  });

  it("never show a secret's value: not for the object, a member, a list element or the list's own rule", () => {
    const problems = [
      ...valueProblems(field("auth"), "s3cret-a"),
      ...valueProblems(field("auth"), { user: "u", password: ["s3cret-b"] }),
      ...valueProblems(field("auth"), { user: "u" }),
      ...valueProblems(field("headers"), [{ name: "X", value: 5 }, "s3cret-c"]),
      ...valueProblems(field("headers"), [1, 2, 3].map((i) => ({ name: `X-${i}`, value: "s3cret-d" }))),
    ];
    expect(problems).toEqual([
      "auth (secret) is not valid; it must be an object with user, password",
      "auth.password (secret) is not valid; it must be a string",
      "auth.password is required",
      "headers[0].value (secret) is not valid; it must be a string",
      "headers[1] (secret) is not valid; it must be an object with name, value",
      "headers (secret) is not valid; at most 2 headers",
    ]);
    expect(problems.join("\n")).not.toMatch(/s3cret/);
  });

  it("a non-secret list element that is not an object is shown", () => {
    const plain = { ...field("headers"), secret: false };
    expect(valueProblems(plain, ["oops"])).toEqual(['headers[0] is "oops"; it must be an object with name, value']);
  });
});

describe("leaves and bodies", () => {
  const inputs = {
    name: "Thing",
    color: "blue",
    handling: "postmark",
    limit: 2,
    headers: [{ name: "X-A", value: "1" }],
    triggers: { open: { enabled: true }, click: {} },
    auth: null,
  };

  it("each declared member of an object is a leaf of its own; lists are leaves whole; null and {} declare nothing", () => {
    expect(declaredLeaves(fields, inputs).map((leaf) => [leaf.path, leaf.value])).toEqual([
      ["name", "Thing"],
      ["color", "blue"],
      ["handling", "postmark"],
      ["limit", 2],
      ["headers", [{ name: "X-A", value: "1" }]],
      ["triggers.open.enabled", true],
    ]);
  });

  it("a create body holds exactly the declared leaves, dotted names nested under one object", () => {
    expect(createBody(declaredLeaves(fields, inputs))).toEqual({
      Name: "Thing",
      Color: "Blue",
      Config: { Handling: "Postmark", Limit: 2 },
      Headers: [{ Name: "X-A", Value: "1" }],
      Triggers: { Open: { Enabled: true } },
    });
  });

  const current = membersFromApi(fields, apiThing);
  const change = (path: string, value: unknown) => ({ chain: path.split(".").reduce<Field[]>((chain, name) => [...chain, ((chain.at(-1)?.fields ?? fields).find((f) => f.input === name))!], []), value });

  it("an edit of one dotted value sends it nested, alone", () => {
    expect(editBody([change("handling", "None")], current)).toEqual({ Config: { Handling: "None" } });
  });

  it("an edit of one member of a whole-sent object sends the object with its current values", () => {
    expect(editBody([change("auth.password", "new")], current)).toEqual({ Auth: { User: "u", Password: "new" } });
  });

  it("an edit of one trigger member sends only that trigger, whole, with its other members' current values", () => {
    expect(editBody([change("triggers.open.enabled", false)], current)).toEqual({ Triggers: { Open: { Enabled: false, FirstOnly: true } } });
    expect(editBody([change("triggers.open.enabled", false), change("triggers.click.enabled", true)], current)).toEqual({
      Triggers: { Open: { Enabled: false, FirstOnly: true }, Click: { Enabled: true } },
    });
  });

  it("fields Postmark needs in every edit go along with the changes", () => {
    expect(editBody([change("color", "Blue")], current, [change("name", "Thing")])).toEqual({ Name: "Thing", Color: "Blue" });
  });
});

describe("pending changes", () => {
  const outs = outputsFrom(declaration, apiThing, ["name", "limit", "headers", "triggers.open.enabled", "triggers.open.firstOnly", "auth.password"], {});

  it("only the declared leaves whose value differs, compared canonically", () => {
    const news = { name: "Thing", color: "RED", limit: 3, triggers: { open: { enabled: false, firstOnly: true } }, headers: [], auth: { user: "u", password: "pw" } };
    expect(pendingChanges(declaration, outs, news).map((c) => [c.path, c.value])).toEqual([["triggers.open.enabled", false]]);
  });

  it("a leaf the program stops declaring goes back to its default; one without a default is left as it is", () => {
    const news = { name: "Thing" };
    expect(pendingChanges(declaration, outs, news).map((c) => [c.path, c.value])).toEqual([
      ["limit", 0],
      ["triggers.open.enabled", false],
      ["triggers.open.firstOnly", false],
    ]);
  });

  it("a dropped leaf already at its default needs no change; leaves never declared are never touched", () => {
    const atDefaults = outputsFrom(declaration, { ...apiThing, Config: { Limit: 0 }, Triggers: { Open: { Enabled: false, FirstOnly: false } } }, ["name", "limit", "triggers.open.enabled"], {});
    expect(pendingChanges(declaration, atDefaults, { name: "Thing" })).toEqual([]);
  });

  it("a value not known yet is a change; a create-only field's change replaces", () => {
    const changes = pendingChanges(declaration, outs, { name: unknownValue, limit: 3, headers: [], triggers: { open: { enabled: true, firstOnly: true } }, kind: "b" });
    expect(changes.map((c) => [c.path, replacesResource(c)])).toEqual([
      ["name", false],
      ["kind", true],
    ]);
  });

  it("the webhook: a trigger dropped goes back to disabled, headers dropped back to none, auth dropped is left alone", () => {
    const webhookOuts = {
      url: "https://a.example.com",
      httpAuth: { username: "u", password: "pw" },
      httpHeaders: [{ name: "X", value: "v" }],
      triggers: { bounce: { enabled: true, includeContent: true }, open: { enabled: true, postFirstOpenOnly: false } },
      managedFields: ["url", "httpAuth.username", "httpAuth.password", "httpHeaders", "triggers.bounce.enabled", "triggers.open.enabled"],
    };
    const changes = pendingChanges(webhookDeclaration, webhookOuts, { url: "https://a.example.com", triggers: { open: { enabled: true } } });
    expect(changes.map((c) => [c.path, c.value])).toEqual([
      ["httpHeaders", []],
      ["triggers.bounce.enabled", false],
    ]);
    expect(editBody(changes, webhookOuts)).toEqual({ HttpHeaders: [], Triggers: { Bounce: { Enabled: false, IncludeContent: true } } });
  });
});

describe("outputs, refreshed inputs and lost-create recognition", () => {
  it("outputs carry every field read, the declared outputs and the managed paths; a refresh reports only the managed leaves", () => {
    const outs = outputsFrom(declaration, apiThing, ["name", "triggers.open.enabled", "auth.password"], { adoptThingId: 7, other: 1 });
    expect(outs).toMatchObject({ thingId: 7, name: "Thing", color: "Red", adoptThingId: 7, managedFields: ["name", "triggers.open.enabled", "auth.password"] });
    expect(outs).not.toHaveProperty("other");
    expect(inputsFromOutputs(declaration, outs)).toEqual({ name: "Thing", triggers: { open: { enabled: true } }, auth: { password: "pw" }, adoptThingId: 7 });
  });

  it("an object is recognised as the lost create's only with every declared value and defaults elsewhere", () => {
    const fresh = { ID: 8, Name: "Thing", Config: { Handling: "None", Limit: 0 }, Triggers: { Open: { Enabled: true, FirstOnly: false }, Click: { Enabled: false } } };
    expect(looksFreshlyCreatedFrom(declaration, fresh, { name: "Thing", triggers: { open: { enabled: true } } })).toBe(true);
    expect(looksFreshlyCreatedFrom(declaration, fresh, { name: "Other" })).toBe(false);
    // Limit 0 and every trigger off are defaults; Open enabled by someone else is not what a bare create makes.
    expect(looksFreshlyCreatedFrom(declaration, fresh, { name: "Thing" })).toBe(false);
    expect(looksFreshlyCreatedFrom(declaration, { ...fresh, Headers: [{ Name: "X", Value: "v" }] }, { name: "Thing", triggers: { open: { enabled: true } } })).toBe(false);
  });
});
