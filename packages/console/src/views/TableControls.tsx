// The search box, page buttons and sortable column headers of a table (logic/table-query.ts).
import { type ReactNode, useState } from "react";
import type { TablePage, TableQuery } from "../logic/table-query.ts";

export function useTableQuery<K extends string>(sort: K, pageSize = 25) {
  return useState<TableQuery<K>>({ search: "", sort, descending: false, page: 0, pageSize });
}

export function TableSearch<K extends string>(props: {
  label: string;
  query: TableQuery<K>;
  setQuery: (q: TableQuery<K>) => void;
  result: TablePage<unknown>;
  total: number;
}) {
  const { query, setQuery, result } = props;
  return (
    <div className="table-tools">
      <label className="table-search">
        <span className="sr-only">{props.label}</span>
        <input
          type="search"
          placeholder={props.label}
          value={query.search}
          onChange={(e) => setQuery({ ...query, search: e.target.value, page: 0 })}
        />
      </label>
      <span className="muted" aria-live="polite">
        {result.matching === props.total ? `${props.total}` : `${result.matching} of ${props.total}`}
      </span>
      {result.pages > 1 ? (
        <span className="pager">
          <button
            type="button"
            disabled={result.page === 0}
            onClick={() => setQuery({ ...query, page: result.page - 1 })}
            aria-label={`Previous page of ${props.label.toLowerCase()}`}
          >
            ‹
          </button>
          <span>
            page {result.page + 1} of {result.pages}
          </span>
          <button
            type="button"
            disabled={result.page >= result.pages - 1}
            onClick={() => setQuery({ ...query, page: result.page + 1 })}
            aria-label={`Next page of ${props.label.toLowerCase()}`}
          >
            ›
          </button>
        </span>
      ) : null}
    </div>
  );
}

/** A column header that sorts by its column; a second click reverses. */
export function SortHeader<K extends string>(props: {
  column: K;
  query: TableQuery<K>;
  setQuery: (q: TableQuery<K>) => void;
  children: ReactNode;
}) {
  const { column, query, setQuery } = props;
  const active = query.sort === column;
  return (
    <th scope="col" aria-sort={active ? (query.descending ? "descending" : "ascending") : "none"}>
      <button
        type="button"
        className="sort"
        onClick={() => setQuery({ ...query, sort: column, descending: active ? !query.descending : false, page: 0 })}
      >
        {props.children}
        <span aria-hidden="true">{active ? (query.descending ? " ▾" : " ▴") : ""}</span>
      </button>
    </th>
  );
}

/**
 * A table that searches, pages and sorts: the search box and pager above, a header per column
 * (sortable where it names its `sort` column), an unlabelled actions column last when asked.
 */
export function QueriedTable<K extends string>(props: {
  /** The search box's label, e.g. "Search VENs". */
  search: string;
  caption: string;
  query: TableQuery<K>;
  setQuery: (q: TableQuery<K>) => void;
  result: TablePage<unknown>;
  total: number;
  columns: ReadonlyArray<{ label: string; sort?: K }>;
  actions?: boolean;
  children: ReactNode;
}) {
  const { query, setQuery } = props;
  return (
    <>
      <TableSearch label={props.search} query={query} setQuery={setQuery} result={props.result} total={props.total} />
      <div className="table-wrap">
        <table>
          <caption className="sr-only">{props.caption}</caption>
          <thead>
            <tr>
              {props.columns.map((c) =>
                c.sort ? (
                  <SortHeader key={c.label} column={c.sort} query={query} setQuery={setQuery}>
                    {c.label}
                  </SortHeader>
                ) : (
                  <th key={c.label} scope="col">
                    {c.label}
                  </th>
                ),
              )}
              {props.actions ? (
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>{props.children}</tbody>
        </table>
      </div>
    </>
  );
}
