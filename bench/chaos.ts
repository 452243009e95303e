// npm run chaos — scripted faults against a running site while a writer performs acknowledged
// operations: kill -9 of the repository mid-write, of the engine mid-reload and mid-save, a full data
// volume (a size-limited tmpfs when run as root), clock skew of a service certificate (SQLite site);
// and, when TZ_TEST_PG_URL and TZ_TEST_REDIS_URL are set, PostgreSQL and Redis going away (each
// behind a TCP relay this script drops and restores — the shared servers are never touched) and a
// proxy killed with two proxies. Each prints acknowledged/lost; every scenario must lose nothing and
// leave a verifying audit chain. Traffic goes to 127.0.0.1 only. Writes bench/results/chaos.json
// (summary: scenarios, acknowledged_lost, audit_chain_ok).
import { writeResult } from './bench-util';
import {
  clockSkew, databaseOutage, rotationWithOpenSessions, diskFull, engineKilled, proxyKilled, redisOutage, repositoryKilledMidWrite,
} from '../apps/site-tests/src/test-support/chaos/chaos-scenarios';
import { startScaledChaosSite, startSqliteChaosSite } from '../apps/site-tests/src/test-support/chaos/chaos-sites';
import type { ScenarioResult } from '../apps/site-tests/src/test-support/chaos/chaos-kit';

const HARD_LIMIT_MS = 10 * 60_000;

async function main() {
  const hard = setTimeout(() => {
    console.error('chaos: hard time limit reached, exiting');
    process.exit(2);
  }, HARD_LIMIT_MS);
  hard.unref();
  const started = Date.now();
  const results: ScenarioResult[] = [];
  const sqlite = await startSqliteChaosSite();
  try {
    results.push(await repositoryKilledMidWrite(sqlite));
    results.push(await engineKilled(sqlite, 'reload'));
    results.push(await engineKilled(sqlite, 'save'));
    results.push(await diskFull(sqlite, sqlite.mounted));
    results.push(await rotationWithOpenSessions(sqlite));
    results.push(await clockSkew(sqlite));
  } finally {
    await sqlite.stop();
  }
  const pg = process.env['TZ_TEST_PG_URL'];
  const redis = process.env['TZ_TEST_REDIS_URL'];
  if (pg && redis) {
    const scaled = await startScaledChaosSite(pg, redis);
    try {
      results.push(await databaseOutage(scaled, scaled.pg));
      results.push(await redisOutage(scaled, scaled.redis));
      results.push(await proxyKilled(scaled, scaled.second));
    } finally {
      await scaled.stop();
    }
  } else {
    console.log('PostgreSQL/Redis/two-proxy scenarios not run: set TZ_TEST_PG_URL and TZ_TEST_REDIS_URL');
  }
  const ran = results.filter((r) => !r.skipped);
  const lost = ran.reduce((n, r) => n + r.lost, 0);
  const chainOk = ran.every((r) => r.auditChainOk);
  console.log(`\n${ran.length} scenarios (${results.length - ran.length} skipped) in ${((Date.now() - started) / 1000).toFixed(0)} s: ${ran.reduce((n, r) => n + r.acknowledged, 0)} acknowledged, ${lost} lost; audit chain ${chainOk ? 'ok' : 'NOT ok'}`);
  writeResult('chaos', { scenarios: ran.length, acknowledged_lost: lost, audit_chain_ok: chainOk ? 1 : 0 }, { durationMs: Date.now() - started, results });
  clearTimeout(hard);
  return lost === 0 && chainOk ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(1);
});
