import type { Page } from 'playwright-core';
import type { RunningSite } from '@trustzone/site-harness';
import { api, expectOk, type Actor } from './site-fixture';

/**
 * Issue 22's budgets for the hub, shared by the browser suite and `npm run bench:hub`: many apps
 * readable by a user (made and published through /qrs like any client's), and one measured
 * first-load navigation to the hub (HTTP cache disabled): time to the app list (the page's
 * `tz-hub-app-list` mark, from navigation start), the same data fetched raw from the same page (`/qrs/app/full`, the peer), and the JS the
 * first load transferred (compressed: what went over the wire).
 */
export async function seedPublishedApps(site: RunningSite, admin: Actor, count: number, streamId: string, prefix: string): Promise<string[]> {
  const ids: string[] = new Array(count);
  let next = 0;
  // A few in flight at a time: enough to be quick, not a load test of the repository.
  await Promise.all(Array.from({ length: 6 }, async () => {
    for (let i = next++; i < count; i = next++) {
      const id = (expectOk(await api(site, admin, 'POST', '/qrs/app', { name: `${prefix} ${String(i).padStart(4, '0')}` }), 'create app') as { id: string }).id;
      expectOk(await api(site, admin, 'PUT', `/qrs/app/${id}/publish?stream=${streamId}`), 'publish');
      ids[i] = id;
    }
  }));
  return ids;
}

export interface HubFigures {
  /** Navigation start → the app list rendered (ms). */
  listMs: number;
  /** Apps the page says it rendered. */
  appsShown: number;
  /** Cards in the DOM. */
  cards: number;
  /** GET /qrs/app/full from the same page, same session (ms): the data alone. */
  rawFetchMs: number;
  /** JS bytes the first load transferred (encoded, i.e. gzipped) and decoded, and which files. */
  jsEncodedBytes: number;
  jsDecodedBytes: number;
  jsFiles: string[];
}

export async function measureHub(page: Page, hubUrl: string): Promise<HubFigures> {
  // A first load every time: nothing from the HTTP cache (a revalidated 304 would count 0 bytes).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await page.goto(hubUrl, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => performance.getEntriesByName('tz-hub-app-list').length > 0, undefined, { timeout: 60_000 });
  const figures = await page.evaluate(async () => {
    const mark = performance.getEntriesByName('tz-hub-app-list')[0] as PerformanceMark;
    const js = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) => new URL(r.name).pathname.endsWith('.js'));
    // The peer: the same /qrs call the page makes, raw (xrfkey as the page sends it).
    const key = 'abcdefghijklmnop';
    const t0 = performance.now();
    const r = await fetch(`/qrs/app/full?xrfkey=${key}`, { headers: { 'X-Qlik-Xrfkey': key } });
    await r.json();
    const rawFetchMs = performance.now() - t0;
    return {
      listMs: mark.startTime,
      appsShown: (mark.detail as { apps: number }).apps,
      cards: document.querySelectorAll('li.card').length,
      rawFetchMs,
      jsEncodedBytes: js.reduce((t, r) => t + r.encodedBodySize, 0),
      jsDecodedBytes: js.reduce((t, r) => t + r.decodedBodySize, 0),
      jsFiles: js.map((r) => new URL(r.name).pathname),
    };
  });
  return figures;
}
