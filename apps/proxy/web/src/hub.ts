// First: the Trusted Types default policy, before any other module can touch the DOM.
import './trusted-types';
import { openAppView } from './app-view';
import { append, button, h, link, replace } from './dom';
import { logout, qrs, whoAmI, whenSessionEnds, BASE } from './qrs-client';
import { sessionEnded, shell } from './shell';

/**
 * The hub: the streams and apps the signed-in user may read — exactly what `/qrs/stream/full` and
 * `/qrs/app/full` return for them (the repository's rules filter them) — with a search, "Work"
 * (their own unpublished apps) and "Published" (per stream). `#app/<id>` opens an app (its sheets,
 * charts, filters and bookmarks, see app-view.ts).
 */
interface App {
  id: string;
  name: string;
  description?: string;
  published?: boolean;
  stream?: { id: string; name: string } | null;
  owner?: { userDirectory?: string; userId?: string } | null;
  lastReloadTime?: string | null;
}
interface Stream {
  id: string;
  name: string;
}

function appCard(a: App): HTMLElement {
  const owner = a.owner?.userId ? `${a.owner.userDirectory ?? ''}\\${a.owner.userId}` : '';
  return h('li', { class: 'card', 'data-id': a.id },
    h('h4', {}, link(`#app/${encodeURIComponent(a.id)}`, a.name || '(no name)')),
    a.description ? h('p', {}, a.description) : null,
    h('p', { class: 'meta' }, owner ? `Owner ${owner}` : '', a.lastReloadTime ? ` · reloaded ${a.lastReloadTime}` : ' · never reloaded'));
}

async function start(): Promise<void> {
  const root = document.getElementById('root') as HTMLElement;
  whenSessionEnds(() => sessionEnded(root));
  let me: { userDirectory: string; userId: string };
  try {
    me = await whoAmI();
  } catch {
    return sessionEnded(root);
  }
  const main = h('main', { id: 'main', tabindex: '-1' });
  shell(root, 'Hub', `${me.userDirectory}\\${me.userId}`, null, main, () => void logout().finally(() => location.assign(`${BASE}/hub/`)));
  const search = h('input', { type: 'search', name: 'search', placeholder: 'Search apps', 'aria-label': 'Search apps' });
  const status = h('p', { class: 'status', role: 'status' }, 'Loading…');
  const list = h('div', { class: 'apps' });
  let tab: 'published' | 'work' = 'published';
  const tabs = h('div', { role: 'tablist', class: 'tabs' });
  let apps: App[] = [];
  let streams: Stream[] = [];
  const mine = (a: App) => a.owner?.userId?.toLowerCase() === me.userId.toLowerCase() && a.owner?.userDirectory?.toLowerCase() === me.userDirectory.toLowerCase();

  const render = (): void => {
    replace(tabs, ...(['published', 'work'] as const).map((t) => {
      const b = button(t === 'work' ? 'Work (my unpublished apps)' : 'Published', () => { tab = t; render(); }, { role: 'tab' });
      b.setAttribute('aria-selected', String(t === tab));
      return b;
    }));
    const q = search.value.trim().toLowerCase();
    const match = (a: App) => !q || a.name.toLowerCase().includes(q) || (a.description ?? '').toLowerCase().includes(q);
    if (tab === 'work') {
      const work = apps.filter((a) => !a.published && mine(a) && match(a));
      replace(list, work.length ? h('ul', { class: 'cards' }, ...work.map(appCard)) : h('p', { class: 'empty' }, 'No unpublished apps of yours.'));
    } else {
      const groups = streams.map((st) => ({ st, apps: apps.filter((a) => a.published && a.stream?.id === st.id && match(a)) }));
      const shown = groups.filter((g) => g.apps.length > 0 || !q);
      replace(list, shown.length ? h('div', {}, ...shown.map((g) => h('section', { class: 'stream', 'aria-label': g.st.name },
        h('h3', {}, g.st.name), g.apps.length ? h('ul', { class: 'cards' }, ...g.apps.map(appCard)) : h('p', { class: 'empty' }, 'No apps here.')))) : h('p', { class: 'empty' }, 'No streams you may read.'));
    }
    replace(status, `${apps.length} apps and ${streams.length} streams you may read.`);
  };
  search.addEventListener('input', render);
  const showList = () => replace(main, h('h2', {}, 'Apps'), h('div', { class: 'toolbar' }, search), tabs, status, list);
  const route = () => {
    const m = /^#app\/([0-9a-fA-F-]{36})$/.exec(location.hash);
    if (!m) return showList();
    void openAppView(main, decodeURIComponent(m[1] as string), () => { location.hash = ''; }).catch((e: Error) =>
      append(main, [h('p', { class: 'error', role: 'alert' }, `The app failed: ${e.message}`)]));
  };
  window.addEventListener('hashchange', route);
  route();
  try {
    [apps, streams] = await Promise.all([qrs.list<App>('app'), qrs.list<Stream>('stream')]);
    streams.sort((a, b) => a.name.localeCompare(b.name));
    apps.sort((a, b) => a.name.localeCompare(b.name));
    render();
    // The budget's end point (navigation → app list in the DOM), read by the browser suite and bench:hub.
    performance.mark('tz-hub-app-list', { detail: { apps: apps.length } });
  } catch (e) {
    replace(status, h('span', { class: 'error', role: 'alert' }, `Could not list apps: ${(e as Error).message}`));
  }
}

void start();
