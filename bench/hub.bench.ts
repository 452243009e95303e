// npm run bench:hub — issue 22's hub budget: with 1,000 apps readable by a user, the time from
// navigation to the hub's app list rendered in Debian's Chromium (the page's `tz-hub-app-list`
// performance mark), against the named peer measured in the same run and the same page: the raw
// GET /qrs/app/full the list is built from (the data alone, no page). Also the JS the first load
// transfers, compressed (budget ≤ 1 MB). Figures under load are not figures of record.
import { availableParallelism, loadavg } from 'node:os';
import { chromiumMissing, httpRequest, integrationCert, launchChromium, startSiteProcesses, watchedContext } from '../libs/site-harness/src';
import { measureHub, seedPublishedApps } from '../apps/proxy/src/e2e/test-support/hub-budget';
import { median, writeResult } from './bench-util';

const APPS = Number(process.env['BENCH_APPS'] ?? 1000);
const RUNS = 7;

async function main() {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  const site = await startSiteProcesses({ env: { TZ_RATE_IP_PER_SECOND: '1000000', TZ_RATE_USER_PER_SECOND: '1000000', TZ_LOG_LEVEL: 'warn' } });
  const browser = await launchChromium();
  try {
    const cert = await integrationCert(site, 'bench');
    const admin = { cert, as: 'CORP\\admin' };
    const streams = (await httpRequest(site, site.ports.proxyApi, '/qrs/stream/full', { cert, headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' } })).json as { id: string; name: string }[];
    const seeded = Date.now();
    await seedPublishedApps(site, admin, APPS, streams.find((s) => s.name === 'Everyone')?.id ?? '', 'Bench app');
    console.log(`seeded ${APPS} published apps in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
    const ticket = (await httpRequest(site, site.ports.proxyApi, '/qps/ticket', { method: 'POST', cert, body: { UserDirectory: 'CORP', UserId: 'bob', Attributes: [] } })).json as { Ticket: string };
    const w = await watchedContext(browser);
    const page = await w.open(`${site.url}/hub/?qlikTicket=${ticket.Ticket}`);
    await measureHub(page, `${site.url}/hub/`); // warm-up
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measureHub(page, `${site.url}/hub/`));
    const list = median(runs.map((r) => r.listMs));
    const raw = median(runs.map((r) => r.rawFetchMs));
    const js = runs[0]!.jsEncodedBytes;
    const load = loadavg()[0]!;
    console.log(`hub with ${runs[0]!.appsShown} apps: app list ${list.toFixed(0)} ms after navigation (budget 1000 ms) vs raw GET /qrs/app/full ${raw.toFixed(0)} ms ` +
      `(page overhead ${(list - raw).toFixed(0)} ms, ${(list / raw).toFixed(2)}× the raw fetch); first-load JS ${(js / 1024).toFixed(0)} KiB compressed (budget 1024 KiB); ` +
      `machine load ${load.toFixed(1)} on ${availableParallelism()} cores`);
    if (w.problems.csp.length || w.problems.errors.length) throw new Error(`the page reported problems: ${JSON.stringify(w.problems)}`);
    writeResult('hub', { hub_app_list_ms: list, raw_qrs_app_full_ms: raw, first_load_js_gzip_kib: js / 1024, apps: runs[0]!.appsShown },
      { runs, load1: load, cores: availableParallelism(), budget: { app_list_ms: 1000, first_load_js_kib: 1024 } });
  } finally {
    await browser.close();
    await site.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
