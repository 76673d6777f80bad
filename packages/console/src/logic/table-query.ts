// Search, sorting and paging of a table's rows, pure: the VEN and resource tables hold every
// object of the VTN (up to MAX_OBJECTS), so they are filtered and paged here, not by the VTN.

export interface TableQuery<K extends string> {
  search: string;
  sort: K;
  descending: boolean;
  page: number;
  pageSize: number;
}

export interface Column<R> {
  /** The text searched and, unless `order` is given, sorted by. */
  text: (r: R) => string;
  /** A sort key of its own (e.g. a time), when text order is not the right one. */
  order?: (r: R) => number | string;
}

export interface TablePage<R> {
  rows: R[];
  /** Rows matching the search, over all pages. */
  matching: number;
  pages: number;
  /** The page shown (the asked one, kept inside the pages there are). */
  page: number;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

export function queryTable<R, K extends string>(
  rows: readonly R[],
  columns: Record<K, Column<R>>,
  q: TableQuery<K>,
): TablePage<R> {
  const words = q.search.toLowerCase().split(/\s+/).filter(Boolean);
  const cols = Object.values(columns) as Column<R>[];
  // Every word must be found in some column (so "ven-1 battery" narrows, not widens).
  const hit = words.length
    ? rows.filter((r) => {
        const hay = cols.map((c) => c.text(r).toLowerCase()).join("\u0000");
        return words.every((w) => hay.includes(w));
      })
    : [...rows];
  const col = columns[q.sort];
  const key = col.order ?? col.text;
  hit.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const c = typeof x === "number" && typeof y === "number" ? x - y : collator.compare(String(x), String(y));
    return q.descending ? -c : c;
  });
  const pages = Math.max(1, Math.ceil(hit.length / q.pageSize));
  const page = Math.min(Math.max(0, q.page), pages - 1);
  return { rows: hit.slice(page * q.pageSize, (page + 1) * q.pageSize), matching: hit.length, pages, page };
}
