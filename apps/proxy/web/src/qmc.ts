import { blobLink, button, field, h, link, replace } from './dom';
import { entityForm, type FieldSpec } from './entity-form';
import { listView, type Column } from './list-view';
import { call, download, logout, qrs, QrsError, upload, whoAmI, whenSessionEnds, BASE } from './qrs-client';
import { ruleEditor } from './rule-editor';
import { sectionAccessPreviewPanel } from './sa-preview';
import { ADMIN_PAGES, auditVerifyPanel } from './admin-pages';
import { sessionEnded, shell } from './shell';

/**
 * The management console: one section per kind of thing, each a list (search, QRS filter, sort,
 * paging) and an edit form. Every list and change is a `/qrs` call as the signed-in user: the
 * server's rules decide, and a refusal is shown as the server worded it. Nothing is hidden here as
 * a security measure — a user without admin roles sees the same sections and the server's answers.
 */
type Row = Record<string, unknown> & { id: string };
const s = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
const ownerOf = (v: unknown): string => {
  const o = v as { userDirectory?: string; userId?: string } | null | undefined;
  return o?.userId ? `${o.userDirectory ?? ''}\\${o.userId}` : '';
};
const META = new Set(['id', 'createdDate', 'modifiedDate', 'modifiedByUserName', 'schemaPath', 'privileges']);

/** Form fields for every setting an entity has (virtual proxies: every auth method's settings). */
function genericFields(e: Row): FieldSpec[] {
  return Object.entries(e).filter(([k]) => !META.has(k)).map(([k, v]) => ({
    name: k,
    label: k,
    kind: typeof v === 'boolean' ? 'checkbox' : typeof v === 'number' ? 'number' : typeof v === 'string' || v === undefined ? 'text' : 'json',
  }));
}

interface Section {
  id: string;
  title: string;
  type: string;
  columns: Column<Row>[];
  fields?: (row: Row) => FieldSpec[];
  editor?: (row: Row, back: () => void) => HTMLElement;
  create?: () => Row;
  actions?: (row: Row, back: () => void) => HTMLElement[];
  tools?: (reload: () => void) => HTMLElement[];
}

const SECTIONS: Section[] = [
  {
    id: 'users', title: 'Users', type: 'user',
    columns: [{ label: 'Name', value: (r) => s(r['name']) }, { label: 'User', value: (r) => `${s(r['userDirectory'])}\\${s(r['userId'])}` }, { label: 'Roles', value: (r) => ((r['roles'] as string[] | undefined) ?? []).join(', ') }, { label: 'Inactive', value: (r) => (r['inactive'] ? 'yes' : '') }],
    fields: () => [
      { name: 'name', label: 'Name' }, { name: 'email', label: 'Email' },
      { name: 'roles', label: 'Roles (JSON list)', kind: 'json' },
      { name: 'attributes', label: 'Attributes (JSON: [{ "attributeType": …, "attributeValue": … }])', kind: 'json' },
      { name: 'inactive', label: 'Inactive', kind: 'checkbox' },
    ],
  },
  {
    id: 'streams', title: 'Streams', type: 'stream',
    columns: [{ label: 'Name', value: (r) => s(r['name']) }, { label: 'Owner', value: (r) => ownerOf(r['owner']) }, { label: 'Modified', value: (r) => s(r['modifiedDate']) }],
    fields: () => [{ name: 'name', label: 'Name' }, { name: 'owner', label: 'Owner (JSON: { "userDirectory", "userId" })', kind: 'json' }],
    create: () => ({ id: '', name: '' }) as Row,
  },
  {
    id: 'apps', title: 'Apps', type: 'app',
    columns: [{ label: 'Name', value: (r) => s(r['name']) }, { label: 'Stream', value: (r) => s((r['stream'] as { name?: string } | null)?.name) }, { label: 'Owner', value: (r) => ownerOf(r['owner']) }, { label: 'Published', value: (r) => (r['published'] ? 'yes' : 'no') }, { label: 'Last reload', value: (r) => s(r['lastReloadTime']) }],
    fields: () => [{ name: 'name', label: 'Name' }, { name: 'description', label: 'Description', kind: 'textarea' }, { name: 'owner', label: 'Owner (JSON: { "userDirectory", "userId" })', kind: 'json' }],
    actions: appActions,
    tools: (reload) => [importApp(reload)],
  },
  {
    id: 'rules', title: 'Security rules', type: 'systemrule',
    columns: [{ label: 'Name', value: (r) => s(r['name']) }, { label: 'Type', value: (r) => s(r['type']) }, { label: 'Resource filter', value: (r) => s(r['resourceFilter']) }, { label: 'Disabled', value: (r) => (r['disabled'] ? 'yes' : '') }],
    editor: (r, back) => ruleEditor(r.id === '' ? { ...r, id: undefined } : r, back),
    create: () => ({ id: '', name: '', resourceFilter: 'App_*', rule: '', actions: 2, ruleContext: 0, disabled: false, comment: '' }) as Row,
  },
  {
    id: 'virtualproxies', title: 'Virtual proxies', type: 'virtualproxyconfig',
    columns: [{ label: 'Prefix', value: (r) => s(r['prefix']) || '(default)' }, { label: 'Description', value: (r) => s(r['description']) }, { label: 'Authentication', value: (r) => s(r['authenticationMethod']) }],
    fields: genericFields,
  },
  { id: 'dataconnections', title: 'Data connections', type: 'dataconnection', columns: [{ label: 'Name', value: (r) => s(r['name']) }, { label: 'Type', value: (r) => s(r['type']) }, { label: 'Owner', value: (r) => ownerOf(r['owner']) }], fields: genericFields },
  { id: 'customproperties', title: 'Custom properties', type: 'custompropertydefinition', columns: [{ label: 'Name', value: (r) => s(r['name']) }, { label: 'Values', value: (r) => s(r['choiceValues']) }], fields: genericFields },
  { id: 'tags', title: 'Tags', type: 'tag', columns: [{ label: 'Name', value: (r) => s(r['name']) }], fields: genericFields, create: () => ({ id: '', name: '' }) as Row },
  { id: 'tasks', title: 'Reload tasks', type: 'reloadtask', columns: [{ label: 'Name', value: (r) => s(r['name']) }, { label: 'App', value: (r) => s((r['app'] as { name?: string } | undefined)?.name) }, { label: 'Enabled', value: (r) => (r['enabled'] ? 'yes' : 'no') }], fields: genericFields },
  { id: 'history', title: 'Task history', type: 'executionresult', columns: [{ label: 'Task', value: (r) => s(r['taskID'] ?? r['reloadTask']) }, { label: 'Status', value: (r) => s(r['status']) }, { label: 'Started', value: (r) => s(r['startTime']) }, { label: 'Duration', value: (r) => s(r['duration']) }] },
];

function appActions(app: Row, back: () => void): HTMLElement[] {
  const out = h('p', { class: 'status', role: 'status' });
  const stream = h('select', { name: 'stream', 'aria-label': 'Stream to publish to' });
  void qrs.list<Row>('stream').then((streams) => {
    for (const st of streams) stream.append(Object.assign(h('option', { value: st.id }, s(st['name']))));
  }).catch(() => undefined);
  const act = async (what: string, f: () => Promise<unknown>): Promise<void> => {
    replace(out, `${what}…`);
    try {
      await f();
      replace(out, `${what}: done.`);
      back();
    } catch (e) {
      replace(out, h('span', { class: 'error', role: 'alert' }, `${what} refused: ${e instanceof QrsError ? `${e.detail.message} (${e.detail.status})` : (e as Error).message}`));
    }
  };
  return [h('section', { class: 'panel', 'aria-label': 'App actions' }, h('h3', {}, 'Actions'),
    h('div', { class: 'toolbar' }, stream,
      button('Publish', () => void act('Publish', () => call('PUT', `/qrs/app/${app.id}/publish`, undefined, { stream: stream.value }))),
      button('Reload', () => void act('Reload', () => call('POST', `/qrs/app/${app.id}/reload`))),
      button('Export', () => void exportApp(app, out))),
    out), sectionAccessPreviewPanel(app.id)];
}

/** Export: the server makes a single-use link for this user; the page fetches it (with its xrfkey) and offers the file. */
async function exportApp(app: Row, out: HTMLElement): Promise<void> {
  replace(out, 'Exporting…');
  try {
    const token = crypto.randomUUID();
    const x = await call<{ downloadPath: string }>('POST', `/qrs/app/${app.id}/export/${token}`);
    if (!/^\/qrs\/download\//.test(x.downloadPath)) throw new Error('unexpected download path');
    const blob = await download(x.downloadPath);
    const fileName = decodeURIComponent(x.downloadPath.split('/').pop() ?? 'app.tzapp');
    replace(out, 'Exported: ', blobLink(blob, fileName, `Save ${fileName} (${Math.ceil(blob.size / 1024)} KiB)`));
  } catch (e) {
    replace(out, h('span', { class: 'error', role: 'alert' }, `Export refused: ${e instanceof QrsError ? `${e.detail.message} (${e.detail.status})` : (e as Error).message}`));
  }
}

function importApp(reload: () => void): HTMLElement {
  const file = h('input', { type: 'file', name: 'file' });
  const name = h('input', { type: 'text', name: 'importName', autocomplete: 'off' });
  const out = h('p', { class: 'status', role: 'status' });
  const go = async (): Promise<void> => {
    const f = file.files?.[0];
    if (!f) return replace(out, h('span', { class: 'error', role: 'alert' }, 'Choose a .tzapp file first.'));
    replace(out, `Uploading ${f.name} (${Math.ceil(f.size / 1024)} KiB)…`);
    try {
      const app = await upload<{ name?: string }>('/qrs/app/upload', f, { name: name.value.trim() || f.name.replace(/\.tzapp$/, '') });
      replace(out, `Imported as ${app.name ?? ''}. `, button('Show it in the list', reload));
    } catch (e) {
      replace(out, h('span', { class: 'error', role: 'alert' }, `Import refused: ${e instanceof QrsError ? `${e.detail.field ? `${e.detail.field}: ` : ''}${e.detail.message} (${e.detail.status})` : (e as Error).message}`));
    }
  };
  return h('details', { class: 'import' }, h('summary', {}, 'Import an app'), field('App file (.tzapp)', file), field('Name', name), button('Import', () => void go()), out);
}

function openEditor(sec: Section, row: Row, main: HTMLElement, back: () => void): void {
  const isNew = row.id === '';
  const editor = sec.editor ? sec.editor(row, back) : entityForm({
    title: `${isNew ? 'New' : 'Edit'} ${sec.title.toLowerCase().replace(/s$/, '')}: ${s(row['name'] ?? row['prefix'])}`,
    entity: row,
    fields: (sec.fields ?? genericFields)(row),
    save: (body) => (isNew ? qrs.post(sec.type, Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'id'))) : qrs.put(sec.type, row.id, body)),
    onSaved: back,
    extra: sec.actions && !isNew ? sec.actions(row, back) : [],
  });
  replace(main, button('← Back to the list', back, { class: 'back' }), editor);
}

function auditSection(main: HTMLElement): void {
  const inputs = ['user', 'action', 'outcome', 'from', 'to', 'limit'].map((n) => h('input', { type: 'text', name: n, placeholder: n, 'aria-label': `Audit ${n}` }));
  const out = h('div', { role: 'status' });
  const run = async (): Promise<void> => {
    replace(out, 'Loading…');
    try {
      const q = Object.fromEntries(inputs.filter((i) => i.value.trim() !== '').map((i) => [i.name, i.value.trim()]));
      const r = await call<{ records?: Row[] } | Row[]>('GET', '/qrs/audit', undefined, q);
      const records = Array.isArray(r) ? r : (r.records ?? []);
      const cols = ['time', 'action', 'outcome', 'actor', 'target', 'reason'];
      const cell = (rec: Row, c: string): string => {
        if (c === 'actor') return s((rec['actor'] as { user?: string; service?: string } | undefined)?.user ?? (rec['actor'] as { service?: string } | undefined)?.service);
        if (c === 'target') return rec['target'] ? `${s((rec['target'] as { type?: string }).type)} ${s((rec['target'] as { id?: string }).id)}` : '';
        return s(rec[c]);
      };
      replace(out, records.length === 0 ? 'No records match.' : h('table', { class: 'list' },
        h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, c)), h('th', { scope: 'col' }, 'details'))),
        h('tbody', {}, ...records.map((rec) => h('tr', {}, ...cols.map((c) => h('td', {}, cell(rec, c))), h('td', {}, h('code', {}, s(rec['details']))))))));
    } catch (e) {
      replace(out, h('p', { class: 'error', role: 'alert' }, `Refused: ${(e as Error).message}`));
    }
  };
  replace(main, h('h2', {}, 'Audit trail'), h('div', { class: 'toolbar' }, ...inputs, button('Search', () => void run())), out, auditVerifyPanel());
  void run();
}

function show(main: HTMLElement, id: string): void {
  if (id === 'audit') return auditSection(main);
  const page = ADMIN_PAGES[id];
  if (page) return page.show(main);
  const sec = SECTIONS.find((x) => x.id === id) ?? SECTIONS[0] as Section;
  const back = (): void => show(main, sec.id);
  const toolbar = [
    ...(sec.create ? [button(`New ${sec.title.toLowerCase().replace(/s$/, '')}`, () => openEditor(sec, sec.create?.() as Row, main, back))] : []),
    ...(sec.tools ? sec.tools(back) : []),
  ];
  replace(main, h('h2', {}, sec.title), listView<Row>({
    title: sec.title,
    columns: sec.columns,
    load: (filter) => qrs.list<Row>(sec.type, filter),
    onOpen: sec.fields || sec.editor ? (row) => openEditor(sec, row, main, back) : undefined,
    toolbar,
  }));
  main.focus();
}

async function start(): Promise<void> {
  const root = document.getElementById('root') as HTMLElement;
  whenSessionEnds(() => sessionEnded(root));
  let me = '';
  try {
    const u = await whoAmI();
    me = `${u.userDirectory}\\${u.userId}`;
  } catch {
    return sessionEnded(root);
  }
  const main = h('main', { id: 'main', tabindex: '-1' });
  const nav = h('nav', { 'aria-label': 'Sections' }, h('ul', {}, ...[...SECTIONS.map((x) => [x.id, x.title]), ['audit', 'Audit trail'], ...Object.entries(ADMIN_PAGES).map(([id, p]) => [id, p.title])].map(([id, title]) => h('li', {}, link(`#${id}`, title as string)))));
  shell(root, 'Console', me, nav, main, () => void logout().finally(() => location.assign(`${BASE}/hub/`)));
  const route = (): void => {
    const id = location.hash.slice(1) || 'users';
    for (const a of nav.querySelectorAll('a')) a.toggleAttribute('aria-current', a.getAttribute('href') === `#${id}`);
    show(main, id);
  };
  window.addEventListener('hashchange', route);
  route();
}

void start();
