import { checkInputs as checkAny } from "../../provider/core/checkInputs";
import { unknownValue } from "../../provider/core/fields";
import { serverDeclaration } from "../../provider/resources/server";

const checkInputs = (news: Record<string, unknown>) => checkAny(serverDeclaration, {}, news);

const reasons = (news: Record<string, unknown>) => checkInputs(news).failures.map((f) => `${f.property}: ${f.reason}`);

describe("check: bad input is refused before any API call, naming the field, the value and what is allowed", () => {
  it("an empty name is refused", () => {
    expect(reasons({ name: "  " })).toEqual(['name: name is "  "; it must not be empty']);
  });

  it("a missing name is refused", () => {
    expect(reasons({ color: "Red" })).toEqual(["name: name is required"]);
  });

  it("an unknown color lists the allowed colors", () => {
    expect(reasons({ name: "a", color: "Pink" })).toEqual([
      'color: color is "Pink"; allowed values: Purple, Blue, Turquoise, Green, Red, Yellow, Grey, Orange',
    ]);
  });

  it("an unknown delivery type lists Live and Sandbox", () => {
    expect(reasons({ name: "a", deliveryType: "Test" })).toEqual(['deliveryType: deliveryType is "Test"; allowed values: Live, Sandbox']);
  });

  it("an unknown trackLinks value lists the four options, and an empty string is refused too", () => {
    expect(reasons({ name: "a", trackLinks: "" })).toEqual([
      'trackLinks: trackLinks is ""; allowed values: None, HtmlAndText, HtmlOnly, TextOnly',
    ]);
  });

  it.each([3, -5, 35, 7.5, "10"])("spam threshold %p is refused: it must be 0..30 in steps of 5", (value) => {
    expect(reasons({ name: "a", inboundSpamThreshold: value })).toEqual([
      `inboundSpamThreshold: inboundSpamThreshold is ${JSON.stringify(value)}; allowed values: 0, 5, 10, 15, 20, 25, 30`,
    ]);
  });

  it.each(["ftp://hooks.example.com/x", "hooks.example.com/bounce", "/relative", "http//broken"])(
    "hook URL %p is refused: it must be an absolute http(s) URL",
    (url) => {
      expect(reasons({ name: "a", bounceHookUrl: url })).toEqual([
        `bounceHookUrl: bounceHookUrl is ${JSON.stringify(url)}; it must be an absolute http:// or https:// URL, or "" for no hook`,
      ]);
    },
  );

  it("wrong types are refused with the expected type", () => {
    expect(reasons({ name: 42, trackOpens: "yes", inboundDomain: false, clickHookUrl: 1 })).toEqual([
      "name: name is 42; it must be a string",
      'clickHookUrl: clickHookUrl is 1; it must be a string (an absolute http(s) URL, or "" for no hook)',
      "inboundDomain: inboundDomain is false; it must be a string",
      'trackOpens: trackOpens is "yes"; it must be true or false',
    ]);
  });

  it("an unknown input (a typo) is refused and the known inputs are listed", () => {
    const [reason] = reasons({ name: "a", colour: "Red" });
    expect(reason).toMatch(/^colour: colour is not a PostmarkServer input; known inputs: name, color, /);
  });

  it("adoptServerId must be a positive whole number", () => {
    expect(reasons({ name: "a", adoptServerId: "abc" })).toEqual([
      'adoptServerId: adoptServerId is "abc"; it must be the numeric ID of an existing Postmark server',
    ]);
    expect(checkInputs({ name: "a", adoptServerId: "42" }).inputs.adoptServerId).toBe(42);
  });

  it("every bad field is reported at once", () => {
    expect(reasons({ name: "", color: "Pink", deliveryType: "Test", inboundSpamThreshold: 3, openHookUrl: "x" })).toHaveLength(5);
  });
});

describe("check: values are normalised so that equal settings compare equal", () => {
  it("colors, delivery types and trackLinks in any case become the canonical spelling", () => {
    const { inputs, failures } = checkInputs({ name: "a", color: "RED", deliveryType: "sandbox", trackLinks: "htmlandtext" });
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({ color: "Red", deliveryType: "Sandbox", trackLinks: "HtmlAndText" });
  });

  it("an empty hook URL is allowed: it means no hook", () => {
    expect(reasons({ name: "a", inboundHookUrl: "" })).toEqual([]);
  });

  it("values not known until other resources exist are accepted as they are", () => {
    const { inputs, failures } = checkInputs({ name: unknownValue, color: unknownValue });
    expect(failures).toEqual([]);
    expect(inputs).toEqual({ name: unknownValue, color: unknownValue });
  });

  it("null and undefined inputs count as not declared", () => {
    expect(checkInputs({ name: "a", color: null, trackOpens: undefined }).inputs).toEqual({ name: "a" });
  });
});
