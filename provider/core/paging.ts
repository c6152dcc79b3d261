/** Reading the whole of one of Postmark's paged lists (domains, sender signatures, a server's templates or rules), and the objects behind it. */
import { Endpoint, ResourceContext } from "./declaration";
import { Values } from "./fields";
import type { ApiObject } from "./postmarkClient";

/** The most items Postmark serves in one page of these lists. */
export const listPageSize = 500;

/** A page's query parameters: most lists say count and offset, the Templates API Count and Offset. */
export type PageParams = (count: number, offset: number) => Values;

const countAndOffset: PageParams = (count, offset) => ({ count, offset });

/**
 * Every item of a paged list, `pageSize` a page: the items of each page are under `itemsKey` (e.g. "Domains"), and
 * TotalCount counts them all. It stops at a short page, or once TotalCount is reached, so a full last page costs
 * no extra call.
 */
export async function everyPagedItem(
  fetchPage: (count: number, offset: number) => Promise<ApiObject>,
  itemsKey: string,
  pageSize: number,
): Promise<ApiObject[]> {
  const found: ApiObject[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const page = await fetchPage(pageSize, offset);
    const items = page[itemsKey] as ApiObject[];
    found.push(...items);
    if (items.length < pageSize || offset + pageSize >= (page.TotalCount as number)) return found;
  }
}

/** Every item of one of a resource kind's lists, 500 a page. */
export function everyListItem(context: ResourceContext, list: Endpoint, itemsKey: string, pageParams: PageParams = countAndOffset): Promise<ApiObject[]> {
  return everyPagedItem((count, offset) => context.call(list, { params: pageParams(count, offset) }), itemsKey, listPageSize);
}

/**
 * The whole objects behind a list's summaries (lists leave fields out): one read each, with the kind's read endpoint.
 * `onRead` hears of each read as it completes (a long scan's progress).
 */
export function readWhole(context: ResourceContext, summaries: ApiObject[], onRead?: () => void): Promise<ApiObject[]> {
  const { declaration } = context;
  const read = async (summary: ApiObject) => {
    const object = await context.call(declaration.api.read!, { id: String(summary[declaration.apiId]) });
    onRead?.();
    return object;
  };
  return Promise.all(summaries.map(read));
}
