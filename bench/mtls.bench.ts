// npm run bench:mtls — unary Health.Check throughput over ONE reused channel: the real trust-zone
// path (mutual TLS + per-call peer identity check + policy) versus a plaintext channel serving the
// same answer (the insecure channel exists only inside this benchmark), plus the wall time of `tz init`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, Metadata, Server, ServerCredentials } from '@grpc/grpc-js';
import { healthHandlers, HealthService, TrustZoneClient, TrustZoneServer, trustZoneTls, type HealthDefinition } from '../libs/contracts/src';
import { createTestSite } from '../libs/testing/src';
import { identityAllowList } from '../libs/trust/src';
import { median, writeResult } from './bench-util';

const DURATION_MS = Number(process.env['BENCH_MS'] ?? 5000);
const CONCURRENCY = 32;
const ROUNDS = 3;

async function drive(call: () => Promise<unknown>): Promise<number> {
  let done = 0;
  const end = Date.now() + DURATION_MS;
  const worker = async () => {
    while (Date.now() < end) {
      await call();
      done++;
    }
  };
  const start = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return (done * 1000) / (Date.now() - start);
}

async function main() {
  const site = await createTestSite();
  const store = site.store('repository');
  const cert = () => ({ serial: store.current().serial, notAfter: store.current().notAfter.toISOString() });

  const secure = new TrustZoneServer({ tls: trustZoneTls(store) });
  secure.addService(HealthService.service, healthHandlers({ service: 'repository', version: 'bench', certificate: cert }));
  const securePort = await secure.listen('127.0.0.1', 0);
  const client = new TrustZoneClient<HealthDefinition>(HealthService, { address: `localhost:${securePort}`, tls: trustZoneTls(site.store('proxy')), expect: identityAllowList(['repository']) });

  // Plaintext peer: same service, same answer shape, no TLS and no identity check.
  const plain = new Server();
  plain.addService(HealthService.service, {
    Check: (_call: unknown, cb: (e: null, r: object) => void) => cb(null, { status: 'ok', service: 'repository', version: 'bench', callerIdentity: 'unknown', ...cert(), checks: {} }),
  });
  const plainPort = await new Promise<number>((res, rej) => plain.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  const raw = new HealthService(`localhost:${plainPort}`, credentials.createInsecure());
  const plainCall = () => new Promise((res, rej) => (raw.Check as NonNullable<typeof raw.Check>).call(raw, {}, new Metadata(), { deadline: Date.now() + 5000 }, (e: Error | null, r: unknown) => (e ? rej(e) : res(r))));
  const secureCall = () => client.unary('Check', {}, { deadlineMs: 5000 });

  await secureCall();
  await plainCall();
  await drive(secureCall); // warm-up both paths (JIT, TLS session)
  await drive(plainCall);
  const mtls: number[] = [];
  const insecure: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    mtls.push(await drive(secureCall));
    insecure.push(await drive(plainCall));
    console.log(`round ${i + 1}: mTLS ${mtls[i]?.toFixed(0)} calls/s, insecure ${insecure[i]?.toFixed(0)} calls/s`);
  }
  client.close();
  raw.close();
  await secure.shutdown(1000);
  plain.forceShutdown();
  site.cleanup();

  // tz init: the real CLI bundle, fresh data dir each time.
  const initMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'tz-bench-init-'));
    const t = process.hrtime.bigint();
    execFileSync(process.execPath, [join(__dirname, '..', 'dist', 'apps', 'cli', 'tz.cjs'), 'init', '--data-dir', join(dir, 'data'), '--hosts', 'localhost'], { stdio: 'ignore' });
    initMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    rmSync(dir, { recursive: true, force: true });
  }

  const mtlsRate = median(mtls);
  const plainRate = median(insecure);
  console.log(`\nmTLS ${mtlsRate.toFixed(0)} calls/s vs insecure ${plainRate.toFixed(0)} calls/s (ratio ${(mtlsRate / plainRate).toFixed(3)}, target ≥ 0.8)`);
  console.log(`tz init median ${median(initMs).toFixed(0)} ms (runs: ${initMs.map((x) => x.toFixed(0)).join(', ')}; target < 2000)`);
  writeResult('mtls', { mtls_vs_insecure_throughput_ratio: Number((mtlsRate / plainRate).toFixed(3)), init_ms: Math.round(median(initMs)) }, {
    durationMsPerRound: DURATION_MS, concurrency: CONCURRENCY, rounds: ROUNDS, mtlsCallsPerSecond: mtls, insecureCallsPerSecond: insecure, initMsRuns: initMs,
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
