import { availableParallelism, loadavg } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, startSiteProcesses, WatchedChromium, type RunningSite } from '@trustzone/site-harness';
import { signInBrowser } from './test-support/browser-sign-in';
import { measureHub, seedPublishedApps } from './test-support/hub-budget';
import { api, expectOk, portal, type Actor } from './test-support/site-fixture';

// Issue 22's budgets, in Debian's Chromium against a real site: with 1,000 apps readable by a user,
// the hub shows its app list within 1 s of navigation, and its first load transfers ≤ 1 MB of JS
// (compressed; Qlik's charts are a chunk loaded only when an app is opened).
const missing = chromiumMissing();
const APPS = 1000;
const JS_BUDGET = 1024 * 1024;
const LIST_BUDGET_MS = 1000;

let site: RunningSite;
let admin: Actor;
// The budget suite never checked for dialogs (web-pages.spec.ts attacks with markup).
const chromium = new WatchedChromium({ dialogs: false });

beforeAll(async () => {
  if (missing) return;
  // Per-IP/user rate limits high enough for the seeding (1,000 creates + publishes), as bench:hub does.
  site = await startSiteProcesses({ env: { TZ_RATE_IP_PER_SECOND: '1000000', TZ_RATE_USER_PER_SECOND: '1000000' } });
  admin = { cert: await portal(site), as: 'CORP\\admin' };
  const streams = expectOk(await api(site, admin, 'GET', '/qrs/stream/full'), 'streams') as { id: string; name: string }[];
  await seedPublishedApps(site, admin, APPS, streams.find((s) => s.name === 'Everyone')?.id ?? '', 'Budget app');
  await chromium.launch();
}, 900_000);

afterAll(async () => {
  await chromium.close();
  await site?.stop();
});

afterEach(() => chromium.expectNoProblems(expect));

describe.skipIf(missing !== null)('hub budgets in Chromium', { timeout: 120_000 }, () => {
  it(`${APPS} readable apps: the app list within ${LIST_BUDGET_MS} ms of navigation (bound scaled only by measured machine load), first-load JS ≤ 1 MB compressed`, async () => {
    const { page } = await signInBrowser(site, admin.cert, chromium, 'CORP\\bob');
    const readable = (expectOk(await api(site, { ...admin, as: 'CORP\\bob' }, 'GET', '/qrs/app/full'), 'bob apps') as unknown[]).length;
    expect(readable).toBeGreaterThanOrEqual(APPS);
    // A warm-up navigation (the browser's first compile of the bundle), then the measured ones.
    await measureHub(page, `${site.url}/hub/`);
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await measureHub(page, `${site.url}/hub/`));
    const best = runs.reduce((a, b) => (b.listMs < a.listMs ? b : a));
    const median = [...runs].sort((a, b) => a.listMs - b.listMs)[1]!;
    const load = loadavg()[0]!;
    const cores = availableParallelism();
    // On a quiet machine the bound is the budget itself; on a shared, overloaded one it grows with
    // the measured load (never below the budget, at most 6×), and the figure is printed either way.
    const factor = Math.min(6, Math.max(1, load / cores));
    const bound = LIST_BUDGET_MS * factor;
    console.log(`hub budget: ${readable} apps; app list ${median.listMs.toFixed(0)} ms median (best ${best.listMs.toFixed(0)}) vs raw /qrs/app/full ${median.rawFetchMs.toFixed(0)} ms in the same page; ` +
      `first-load JS ${(median.jsEncodedBytes / 1024).toFixed(0)} KiB compressed (${(median.jsDecodedBytes / 1024).toFixed(0)} KiB raw: ${median.jsFiles.join(', ')}); ` +
      `load ${load.toFixed(1)} on ${cores} cores → bound ${bound.toFixed(0)} ms`);
    for (const r of runs) {
      expect(r.appsShown).toBe(readable);
      expect(r.cards).toBe(readable);
    }
    expect(median.listMs).toBeLessThanOrEqual(bound);
    expect(median.jsEncodedBytes).toBeGreaterThan(0);
    expect(median.jsEncodedBytes).toBeLessThanOrEqual(JS_BUDGET);
    // The charts chunk (nebula.js, ~0.9 MB compressed) is not part of the first load.
    expect(median.jsDecodedBytes).toBeLessThan(JS_BUDGET);
  });
});
