/**
 * everyListItem, the core's reading of a whole paged Postmark list, on a list served from memory: which pages it
 * asks for, in the list's own parameter names, and when it stops. (Each kind's use of it runs against the emulator
 * in its *Operations test: inbound rules over two pages.)
 */
import { Endpoint, ResourceContext } from "../../provider/core/declaration";
import { Values } from "../../provider/core/fields";
import { everyListItem, listPageSize } from "../../provider/core/paging";
import { ApiObject } from "../../provider/core/postmarkClient";

const domainsList: Endpoint = { method: "GET", path: "/domains", verb: "list" };

/** A context whose calls page through `items` as Postmark does (count and offset; TotalCount), remembering each call. */
function listOf(items: ApiObject[], options: { totalCount?: number; names?: [count: string, offset: string] } = {}) {
  const [countName, offsetName] = options.names ?? ["count", "offset"];
  const calls: { endpoint: Endpoint; params: Values }[] = [];
  const context = {
    call: async (endpoint: Endpoint, { params = {} }: { params?: Values } = {}) => {
      calls.push({ endpoint, params });
      const offset = Number(params[offsetName]);
      return { TotalCount: options.totalCount ?? items.length, Domains: items.slice(offset, offset + Number(params[countName])) };
    },
  } as unknown as ResourceContext;
  return { context, calls };
}
const domains = (n: number) => Array.from({ length: n }, (_, i) => ({ ID: i + 1 }));

describe("everyListItem", () => {
  it("reads page after page until a short page, and returns every item in order", async () => {
    const { context, calls } = listOf(domains(1001));
    const found = await everyListItem(context, domainsList, "Domains");
    expect(found).toEqual(domains(1001));
    expect(calls.map((c) => c.params)).toEqual([0, 500, 1000].map((offset) => ({ count: listPageSize, offset })));
    expect(calls.every((c) => c.endpoint === domainsList)).toBe(true);
  });

  it("asks for no empty page after a full last page: TotalCount says it was the last", async () => {
    const { context, calls } = listOf(domains(1000));
    expect(await everyListItem(context, domainsList, "Domains")).toHaveLength(1000);
    expect(calls).toHaveLength(2);
  });

  it("stops at a short page even when TotalCount counts more (items deleted meanwhile)", async () => {
    const { context, calls } = listOf(domains(3), { totalCount: 700 });
    expect(await everyListItem(context, domainsList, "Domains")).toHaveLength(3);
    expect(calls).toHaveLength(1);
  });

  it("an empty list is one call", async () => {
    const { context, calls } = listOf([]);
    expect(await everyListItem(context, domainsList, "Domains")).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it("names the page parameters as the list does, with its filters", async () => {
    const { context, calls } = listOf(domains(501), { names: ["Count", "Offset"] });
    const found = await everyListItem(context, domainsList, "Domains", (count, offset) => ({ Count: count, Offset: offset, TemplateType: "Layout" }));
    expect(found).toHaveLength(501);
    expect(calls.map((c) => c.params)).toEqual([
      { Count: 500, Offset: 0, TemplateType: "Layout" },
      { Count: 500, Offset: 500, TemplateType: "Layout" },
    ]);
  });
});
