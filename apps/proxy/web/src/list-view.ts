import { button, h, replace } from './dom';

/**
 * A list with a quick search (over the shown columns), a QRS filter sent to the server (so the
 * server's rules and filter language decide what comes back), sorting by a column and paging.
 */
export interface Column<T> {
  label: string;
  value: (row: T) => string;
}

export interface ListOptions<T> {
  title: string;
  columns: Column<T>[];
  load: (qrsFilter: string) => Promise<T[]>;
  onOpen?: (row: T) => void;
  toolbar?: HTMLElement[];
  pageSize?: number;
}

export function listView<T>(o: ListOptions<T>): HTMLElement {
  const pageSize = o.pageSize ?? 25;
  let rows: T[] = [];
  let sortCol = 0;
  let sortDir = 1;
  let page = 0;
  const search = h('input', { type: 'search', name: 'search', placeholder: 'Search the list', 'aria-label': `Search ${o.title}` });
  const filter = h('input', { type: 'text', name: 'filter', placeholder: "QRS filter, e.g. name sw 'Sales'", 'aria-label': 'QRS filter (sent to the server)', spellcheck: 'false' });
  const table = h('table', { class: 'list' });
  const status = h('p', { class: 'status', role: 'status' });
  const pager = h('div', { class: 'pager' });

  const visible = (): T[] => {
    const q = search.value.trim().toLowerCase();
    const col = o.columns[sortCol];
    const shown = q ? rows.filter((r) => o.columns.some((c) => c.value(r).toLowerCase().includes(q))) : [...rows];
    if (col) shown.sort((a, b) => sortDir * col.value(a).localeCompare(col.value(b), undefined, { numeric: true, sensitivity: 'base' }));
    return shown;
  };

  const render = (): void => {
    const shown = visible();
    const pages = Math.max(1, Math.ceil(shown.length / pageSize));
    page = Math.min(page, pages - 1);
    const head = h('tr', {}, ...o.columns.map((c, i) => {
      const sorted = i === sortCol ? (sortDir > 0 ? 'ascending' : 'descending') : undefined;
      const b = button(c.label, () => {
        sortDir = i === sortCol ? -sortDir : 1;
        sortCol = i;
        render();
      }, { class: 'sort' });
      return h('th', { scope: 'col', 'aria-sort': sorted ?? 'none' }, b);
    }));
    const body = shown.slice(page * pageSize, (page + 1) * pageSize).map((r) => {
      const tr = h('tr', {}, ...o.columns.map((c, i) => {
        const v = c.value(r);
        if (i === 0 && o.onOpen) return h('td', {}, button(v || '(no name)', () => o.onOpen?.(r), { class: 'linklike' }));
        return h('td', {}, v);
      }));
      return tr;
    });
    replace(table, h('thead', {}, head), h('tbody', {}, ...body));
    replace(status, shown.length === 0 ? 'Nothing to show (the server returns only what you may read).' : `${shown.length} of ${rows.length}`);
    replace(pager,
      button('Previous', () => { page--; render(); }, { disabled: page === 0 }),
      h('span', {}, ` page ${page + 1} of ${pages} `),
      button('Next', () => { page++; render(); }, { disabled: page >= pages - 1 }));
  };

  const load = async (): Promise<void> => {
    replace(status, 'Loading…');
    table.setAttribute('aria-busy', 'true');
    try {
      rows = await o.load(filter.value.trim());
      render();
    } catch (e) {
      rows = [];
      render();
      replace(status, h('span', { class: 'error', role: 'alert' }, `Refused: ${(e as Error).message}`));
    } finally {
      table.removeAttribute('aria-busy');
    }
  };
  search.addEventListener('input', () => { page = 0; render(); });
  filter.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') void load(); });
  void load();
  return h('section', { class: 'list-view', 'aria-label': o.title },
    h('div', { class: 'toolbar' }, search, filter, button('Apply filter', () => void load()), button('Refresh', () => void load()), ...(o.toolbar ?? [])),
    status, table, pager);
}
