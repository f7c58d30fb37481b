import { RampartError } from '../../shared/errors';

/**
 * The paging strategies of vendor listings, for the vendor client (./vendor-client.ts):
 * - page-number: `?page=1&page_size=N` until the page says there is no next one (Flagsmith's DRF pagination; its
 *   `next` URL is not followed, since behind a proxy it may name another scheme or host);
 * - offset: `?offset=K&limit=N`, the next offset from the page (GrowthBook's `hasMore`/`nextOffset`) or, when the
 *   vendor gives none, offset + items received;
 * - next-link: follow a link in the body (LaunchDarkly's `_links.next.href`), relative to the configured base or
 *   absolute on its origin only.
 * Every strategy stops on an empty page or when `enough` says so. A listing longer than `maxPages`, or an offset
 * that does not move forward, is an error: a partial flag list is never returned as if it were whole.
 */

interface PagingBase<P, I> {
  items: (page: P) => I[];
}

export type Paging<P, I> =
  | (PagingBase<P, I> & {
      kind: 'page-number';
      size: number;
      hasNext: (page: P) => boolean;
      pageParam?: string;
      sizeParam?: string;
    })
  | (PagingBase<P, I> & {
      kind: 'offset';
      limit: number;
      nextOffset?: (page: P) => number | null | undefined;
      offsetParam?: string;
      limitParam?: string;
    })
  | (PagingBase<P, I> & { kind: 'next-link'; next: (page: P) => string | null | undefined });

export interface PageWalk<P, I> {
  vendor: string;
  first: string;
  paging: Paging<P, I>;
  maxPages: number;
  fetchPage: (url: string) => Promise<P>;
  resolveLink: (href: string) => string;
  enough?: (items: I[]) => boolean;
}

function withParams(url: string, params: Record<string, number>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
  return u.toString();
}

/** The URL of the page after `page` (fetched from `url`), or undefined when the listing is complete. */
function nextUrl<P, I>(
  w: PageWalk<P, I>,
  url: string,
  page: P,
  got: number,
  n: number,
  offset: number,
): { url: string; offset: number } | undefined {
  const p = w.paging;
  if (p.kind === 'page-number') {
    if (!p.hasNext(page)) return undefined;
    return {
      url: withParams(w.first, { [p.pageParam ?? 'page']: n + 2, [p.sizeParam ?? 'page_size']: p.size }),
      offset,
    };
  }
  if (p.kind === 'offset') {
    const given = p.nextOffset ? p.nextOffset(page) : offset + got;
    if (given === null || given === undefined) return undefined;
    if (!Number.isInteger(given) || given <= offset) {
      throw new RampartError(
        'vendor_error',
        `${w.vendor}: paging did not move forward (offset ${offset} → ${String(given)}) on ${new URL(url).pathname}`,
      );
    }
    return {
      url: withParams(w.first, { [p.offsetParam ?? 'offset']: given, [p.limitParam ?? 'limit']: p.limit }),
      offset: given,
    };
  }
  const href = p.next(page);
  return href ? { url: w.resolveLink(href), offset } : undefined;
}

export async function collectPages<P, I>(w: PageWalk<P, I>): Promise<I[]> {
  const p = w.paging;
  let url =
    p.kind === 'page-number'
      ? withParams(w.first, { [p.pageParam ?? 'page']: 1, [p.sizeParam ?? 'page_size']: p.size })
      : p.kind === 'offset'
        ? withParams(w.first, { [p.offsetParam ?? 'offset']: 0, [p.limitParam ?? 'limit']: p.limit })
        : w.first;
  let offset = 0;
  const out: I[] = [];
  for (let n = 0; n < w.maxPages; n++) {
    const page = await w.fetchPage(url);
    const items = p.items(page);
    out.push(...items);
    if (items.length === 0 || w.enough?.(items)) return out;
    const next = nextUrl(w, url, page, items.length, n, offset);
    if (!next) return out;
    ({ url, offset } = next);
  }
  throw new RampartError(
    'vendor_error',
    `${w.vendor}: the listing at ${new URL(w.first).pathname} has more than ${w.maxPages} pages; stopped rather than return part of it`,
  );
}
