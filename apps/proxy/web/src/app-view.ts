import enigma from 'enigma.js';
import schema from 'enigma.js/schemas/12.2027.0.json';
import { append, button, field, h, replace } from './dom';
import type { Charts } from './nebula-charts';
import { BASE, call } from './qrs-client';

/**
 * An app opened in the hub (`#app/<id>`): enigma.js over the proxy's websocket (`/[prefix/]app/<id>`,
 * the session cookie plus the session's CSRF token), so the engine applies the user's object rules
 * and section access exactly as for any other QIX client; the page draws what the layouts hold.
 *
 * Charts are drawn by Qlik's open-source stack (@nebula.js/stardust with sn-bar-chart and sn-table,
 * nebula-charts.ts, a chunk loaded only here) from the stored object, as Qlik's hub does. An object
 * nebula cannot draw (no `visualization` property, another type) falls back to the small DOM/SVG
 * renderer below, drawn from the same hypercube layout.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- enigma.js objects are built from the schema at run time */
type Api = any;

interface Cell { qText?: string; qNum?: number | string; qElemNumber?: number; qState?: string }
interface HyperCube {
  qDimensionInfo: { qFallbackTitle: string }[];
  qMeasureInfo: { qFallbackTitle: string }[];
  qDataPages: { qMatrix: Cell[][] }[];
}

const text = (c: Cell | undefined) => c?.qText ?? (typeof c?.qNum === 'number' ? String(c.qNum) : '');

/** A table: one header row, one row per hypercube row, every value a text node. */
function table(cube: HyperCube): HTMLElement {
  const heads = [...cube.qDimensionInfo, ...cube.qMeasureInfo].map((i) => h('th', { scope: 'col' }, i.qFallbackTitle));
  const rows = (cube.qDataPages[0]?.qMatrix ?? []).map((r) => h('tr', {}, ...r.map((c) => h('td', {}, text(c)))));
  return h('table', { class: 'list chart-table' }, h('thead', {}, h('tr', {}, ...heads)), h('tbody', {}, ...rows));
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag: string, attrs: Record<string, string | number>, label?: string): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (label !== undefined) el.appendChild(document.createTextNode(label));
  return el;
}

/** A bar chart: first dimension × first measure, bars scaled to the largest value (presentation attributes, no style). */
function barChart(cube: HyperCube, title: string): HTMLElement {
  const rows = cube.qDataPages[0]?.qMatrix ?? [];
  const values = rows.map((r) => (typeof r[1]?.qNum === 'number' ? r[1].qNum : 0));
  const max = Math.max(1, ...values.map(Math.abs));
  const rowH = 24;
  const chart = svg('svg', { viewBox: `0 0 400 ${Math.max(rowH, rows.length * rowH)}`, width: '100%', role: 'img', 'aria-label': title });
  rows.forEach((r, i) => {
    const w = (Math.abs(values[i] ?? 0) / max) * 240;
    const g = svg('g', { class: 'bar', 'data-label': text(r[0]), 'data-value': text(r[1]) });
    g.appendChild(svg('text', { x: 0, y: i * rowH + 16, 'font-size': 12 }, text(r[0])));
    g.appendChild(svg('rect', { x: 100, y: i * rowH + 4, width: w, height: rowH - 8, fill: '#3b6ea8' }));
    g.appendChild(svg('text', { x: 104 + w, y: i * rowH + 16, 'font-size': 12 }, text(r[1])));
    chart.appendChild(g);
  });
  return h('figure', { class: 'chart-bar' }, chart);
}

const NEBULA_TYPES = new Set(['barchart', 'table']);

/** One sheet cell: nebula draws the types it knows (into a sized box); anything else our renderer. */
async function render(model: Api, charts: () => Promise<Charts>): Promise<HTMLElement> {
  const layout = await model.getLayout();
  const title = String(layout?.title ?? layout?.qMeta?.title ?? layout?.qInfo?.qId ?? '');
  const id = String(layout?.qInfo?.qId ?? '');
  const cube = layout?.qHyperCube as HyperCube | undefined;
  if (cube && NEBULA_TYPES.has(String(layout?.visualization))) {
    const box = h('div', { class: 'nebula-chart' });
    const section = h('section', { class: 'chart', 'data-id': id, 'data-renderer': 'nebula', 'aria-label': title || 'chart' }, h('h4', {}, title), box);
    // nebula measures its element: it must be in the page before it renders.
    const properties = await model.getProperties();
    return Object.assign(section, { draw: async () => (await charts()).render(box, String(layout.visualization), properties) });
  }
  const body = !cube ? h('p', { class: 'empty' }, `No data to draw for ${String(layout?.qInfo?.qType ?? 'this object')}.`)
    : layout?.qInfo?.qType === 'barchart' ? barChart(cube, title) : table(cube);
  return h('section', { class: 'chart', 'data-id': id, 'aria-label': title || 'chart' }, h('h4', {}, title), body);
}

export async function openAppView(main: HTMLElement, appId: string, onClose: () => void): Promise<void> {
  const status = h('p', { class: 'status', role: 'status' }, 'Opening the app…');
  replace(main, button('← Back to the apps', onClose), h('h2', {}, 'App'), status);
  const me = await call<{ csrfToken?: string }>('GET', '/qps/user');
  const url = `${location.protocol === 'http:' ? 'ws' : 'wss'}://${location.host}${BASE}/app/${encodeURIComponent(appId)}?qlik-csrf-token=${encodeURIComponent(me.csrfToken ?? '')}`;
  const session: Api = (enigma as Api).create({ schema, url });
  let closed = false;
  // The nebula charts drawn (React roots listening to the session): unmounted with the app.
  const views: { destroy(): void }[] = [];
  const close = () => {
    for (const v of views.splice(0)) v.destroy();
    if (!closed) void session.close().catch(() => undefined);
    closed = true;
    onClose();
  };
  replace(main, button('← Back to the apps', close), h('h2', {}, 'App'), status);
  let doc: Api;
  try {
    const global = await session.open();
    doc = await global.openDoc(appId);
  } catch (e) {
    replace(status, h('span', { class: 'error', role: 'alert' }, `Could not open the app: ${(e as Error).message}`));
    return;
  }
  const docName = String((await doc.getAppLayout()).qTitle ?? appId);
  const sheetNav = h('ul', { class: 'sheets', 'aria-label': 'Sheets' });
  const filters = h('div', { class: 'filters', 'aria-label': 'Filters' });
  const bookmarks = h('div', { class: 'bookmarks', 'aria-label': 'Bookmarks' });
  const chartArea = h('div', { class: 'charts', 'aria-live': 'polite' });
  const createOut = h('p', { class: 'status create-out', role: 'status' });
  let current: string | null = null;
  // nebula is fetched on the first chart it draws, once per opened app.
  let nebula: Promise<Charts> | null = null;
  const charts = () => (nebula ??= import('./nebula-charts').then((m) => m.chartsFor(doc)));

  // The current sheet's charts drawn by the fallback renderer: it draws a layout once, so refresh()
  // redraws them. nebula's charts follow the engine's change notifications on their own.
  let fallbacks: { model: Api; el: HTMLElement }[] = [];
  const drawSheet = async (id: string) => {
    current = id;
    const sheet = await doc.getObject(id);
    const props = await sheet.getProperties();
    const cells = Array.isArray(props.cells) ? (props.cells as { name?: unknown }[]) : [];
    const drawn: (HTMLElement & { draw?: () => Promise<{ destroy(): void }> })[] = [];
    const redrawn: typeof fallbacks = [];
    for (const c of cells.slice(0, 50)) {
      if (typeof c.name !== 'string') continue;
      try {
        const model = await doc.getObject(c.name);
        const el = await render(model, charts);
        drawn.push(el);
        if (!('draw' in el)) redrawn.push({ model, el });
      } catch (e) {
        drawn.push(h('p', { class: 'error' }, `${c.name}: ${(e as Error).message}`));
      }
    }
    if (current !== id) return;
    fallbacks = redrawn;
    for (const v of views.splice(0)) v.destroy();
    replace(chartArea, h('h3', {}, String(props.qMetaDef?.title ?? id)), ...(drawn.length ? drawn : [h('p', { class: 'empty' }, 'This sheet is empty.')]));
    for (const d of drawn) {
      if (!d.draw) continue;
      await d.draw().then((v) => views.push(v), (e: Error) => append(d, [h('p', { class: 'error', role: 'alert' }, `Could not draw the chart: ${e.message}`)]));
    }
  };

  const sheetList = await doc.createSessionObject({ qInfo: { qType: 'hub-sheets' }, qAppObjectListDef: { qType: 'sheet', qData: { title: '/qMetaDef/title' } } });
  const drawSheets = async () => {
    const items = ((await sheetList.getLayout()).qAppObjectList?.qItems ?? []) as { qInfo: { qId: string }; qMeta?: { title?: string }; qData?: { title?: string } }[];
    replace(sheetNav, ...(items.length ? items.map((it) => h('li', {}, button(String(it.qData?.title ?? it.qMeta?.title ?? it.qInfo.qId), () => void drawSheet(it.qInfo.qId), { 'data-id': it.qInfo.qId }))) : [h('li', { class: 'empty' }, 'No sheets you may see.')]));
  };

  // A filter pane: one list object per field (first 5 fields), a click selects (toggle) a value.
  const fieldList = await doc.createSessionObject({ qInfo: { qType: 'hub-fields' }, qFieldListDef: {} });
  const fieldNames = (((await fieldList.getLayout()).qFieldList?.qItems ?? []) as { qName: string }[]).map((f) => f.qName).slice(0, 5);
  const lists: { name: string; obj: Api; box: HTMLElement }[] = [];
  for (const name of fieldNames) {
    const obj = await doc.createSessionObject({ qInfo: { qType: 'hub-listbox' }, qListObjectDef: { qDef: { qFieldDefs: [name] }, qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 1, qHeight: 200 }] } });
    lists.push({ name, obj, box: h('div', { class: 'listbox', 'data-field': name }) });
  }
  const drawFilters = async () => {
    for (const l of lists) {
      const page = ((await l.obj.getLayout()).qListObject?.qDataPages?.[0]?.qMatrix ?? []) as Cell[][];
      replace(l.box, h('h4', {}, l.name), h('ul', {}, ...page.map((r) => {
        const c = r[0] ?? {};
        const b = button(text(c), () => void l.obj.selectListObjectValues('/qListObjectDef', [c.qElemNumber], true).then(refresh), { class: `value state-${c.qState ?? 'O'}` });
        b.setAttribute('aria-pressed', String(c.qState === 'S'));
        return h('li', {}, b);
      })));
    }
    replace(filters, h('h3', {}, 'Filters'), button('Clear selections', () => void doc.clearAll(false).then(refresh)), ...lists.map((l) => l.box));
  };

  const bookmarkList = await doc.createSessionObject({ qInfo: { qType: 'hub-bookmarks' }, qBookmarkListDef: { qType: 'bookmark', qData: { title: '/qMetaDef/title' } } });
  const drawBookmarks = async () => {
    const items = ((await bookmarkList.getLayout()).qBookmarkList?.qItems ?? []) as { qInfo: { qId: string }; qMeta?: { title?: string }; qData?: { title?: string } }[];
    replace(bookmarks, h('h3', {}, 'Bookmarks'), items.length ? h('ul', {}, ...items.map((b) => h('li', {}, button(String(b.qData?.title ?? b.qMeta?.title ?? b.qInfo.qId), () => void doc.applyBookmark(b.qInfo.qId).then(refresh), { class: 'bookmark', 'data-id': b.qInfo.qId })))) : h('p', { class: 'empty' }, 'No bookmarks.'));
  };

  // After a selection, ClearAll or a bookmark. The nebula charts are not redrawn here: they fetch
  // their layouts when the engine says they changed, and destroying them for a redraw raced that
  // fetch (their session object gone under a GetLayout in flight: "Invalid handle" in the page).
  async function refresh(): Promise<void> {
    await drawFilters();
    for (const f of fallbacks) {
      // As drawSheet does: a chart that cannot be read shows its error, never an uncaught rejection.
      const el = await render(f.model, charts).catch((e: Error) => h('p', { class: 'error' }, `${String(f.model.id)}: ${e.message}`));
      f.el.replaceWith(el);
      f.el = el;
    }
  }

  // "Create sheet": the engine's object rules decide; the page shows its answer, refusals included.
  const newTitle = h('input', { name: 'sheetTitle', type: 'text', autocomplete: 'off' });
  const create = button('Create sheet', () => {
    const title = newTitle.value.trim() || 'New sheet';
    void doc.createObject({ qInfo: { qType: 'sheet' }, qMetaDef: { title }, cells: [] })
      .then(async (o: Api) => { replace(createOut, `Created sheet ${title}.`); await drawSheets(); await drawSheet(o.id); })
      .catch((e: Error) => replace(createOut, h('span', { class: 'error', role: 'alert' }, `The engine refused: ${e.message}`)));
  });

  replace(main, button('← Back to the apps', close), h('h2', {}, docName),
    h('div', { class: 'app-layout' },
      h('nav', { 'aria-label': 'Sheets' }, h('h3', {}, 'Sheets'), sheetNav, field('New sheet title', newTitle), create, createOut),
      chartArea, h('aside', {}, filters, bookmarks)));
  await Promise.all([drawSheets(), drawFilters(), drawBookmarks()]);
  replace(chartArea, h('p', { class: 'empty' }, 'Choose a sheet.'));
}
