// npm run bench:proxy — requests/s and p50/p99 latency at 50 concurrent keep-alive connections for
// GET /qrs/about and GET /qrs/app?filter=… through the proxy with a session (proxy → repository over
// mTLS gRPC), against a bare express HTTPS endpoint (same certificate, same machine, same run); and
// proxy CPU per OIDC login round trip (oidc_login_cpu_ms, bench/oidc-login-cpu.ts) and per SAML login
// round trip (saml_login_cpu_ms, bench/saml-login-cpu.ts).
import { fork } from 'node:child_process';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { httpRequest, integrationCert, startSiteProcesses, ticketLogin } from '../libs/site-harness/src';
import { median, percentile, writeResult } from './bench-util';
import { sitePaths } from '../libs/trust/src';
import { oidcLoginCpu } from './oidc-login-cpu';
import { samlLoginCpu } from './saml-login-cpu';

const CONNECTIONS = 50;
const DURATION_MS = Number(process.env['BENCH_MS'] ?? 5000);
const ROUNDS = 3;

interface Run {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Closed-loop load: 50 workers, one keep-alive connection each, for DURATION_MS. */
async function load(port: number, path: string, ca: string, headers: Record<string, string>): Promise<Run> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS, ca });
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + DURATION_MS;
  const one = () =>
    new Promise<void>((resolve) => {
      const t = process.hrtime.bigint();
      const req = request({ host: 'localhost', port, path, agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) errors++;
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const started = Date.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (Date.now() < end) await one();
  }));
  const elapsed = Date.now() - started;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rps: (latencies.length * 1000) / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}

async function main() {
  // Limits high enough not to throttle the benchmark itself (they are per-IP/per-user security limits).
  const site = await startSiteProcesses({ env: { TZ_RATE_IP_PER_SECOND: '1000000', TZ_RATE_USER_PER_SECOND: '1000000', TZ_LOG_LEVEL: 'warn', ...(process.env['TZ_NODE_ARGS'] ? { TZ_NODE_ARGS: process.env['TZ_NODE_ARGS'] } : {}) } });
  try {
    const cert = await integrationCert(site, 'bench');
    const admin = (method: string, path: string, body?: unknown) => httpRequest(site, site.ports.proxyApi, path, { method, cert, headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' }, ...(body === undefined ? {} : { body }) });
    for (let i = 0; i < 200; i++) await admin('POST', '/qrs/app', { name: `App ${i}` });
    const { cookie } = await ticketLogin(site, cert, { userDirectory: 'CORP', userId: 'admin' });
    const xrf = 'abcdefghijklmnop';
    const headers = { Cookie: cookie, 'X-Qlik-Xrfkey': xrf };
    const filter = encodeURIComponent("name sw 'App 1'");
    const check = await httpRequest(site, site.ports.proxy, `/qrs/app?filter=${filter}`, { headers: { Cookie: cookie } });
    const matched = (check.json as unknown[]).length;

    const paths = sitePaths(site.dataDir);
    const bare = fork(join(__dirname, 'fixtures', 'bare-express.cjs'), { env: { ...process.env, CERT: paths.cert('client-facing'), KEY: paths.key('client-facing') } });
    const barePort = await new Promise<number>((r) => bare.once('message', (m: { port: number }) => r(m.port)));
    const ca = site.clientFacingCa;

    // Warm-up every path (JIT, caches, TLS sessions), then alternate rounds so drift hits all alike.
    await load(site.ports.proxy, `/qrs/about?xrfkey=${xrf}`, ca, headers);
    await load(barePort, '/qrs/about', ca, {});
    const about: Run[] = [];
    const apps: Run[] = [];
    const express: Run[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      about.push(await load(site.ports.proxy, `/qrs/about?xrfkey=${xrf}`, ca, headers));
      express.push(await load(barePort, '/qrs/about', ca, {}));
      apps.push(await load(site.ports.proxy, `/qrs/app?filter=${filter}&xrfkey=${xrf}`, ca, headers));
      console.log(`round ${i + 1}: proxied /qrs/about ${about[i]!.rps.toFixed(0)} req/s (p99 ${about[i]!.p99.toFixed(1)} ms), bare express ${express[i]!.rps.toFixed(0)} req/s, /qrs/app?filter ${apps[i]!.rps.toFixed(0)} req/s (p99 ${apps[i]!.p99.toFixed(1)} ms)`);
    }
    bare.kill();
    // A separate figure: proxy CPU per OIDC login round trip, provider excluded, JWKS cached (target ≤ 5 ms).
    const oidc = await oidcLoginCpu(site, admin);
    console.log(`OIDC login round trip: ${oidc.cpuMsPerLogin.toFixed(2)} ms proxy CPU per login (${oidc.logins} logins, ${oidc.wallMsPerLogin.toFixed(1)} ms wall each; target ≤ 5 ms)`);
    // The same for SAML: a new browser each time, so every login is a full round trip (the connection
    // setup to the proxy is part of it).
    const saml = await samlLoginCpu(site, admin);
    console.log(`SAML login round trip: ${saml.cpuMsPerLogin.toFixed(2)} ms proxy CPU per login (${saml.logins} logins, ${saml.wallMsPerLogin.toFixed(1)} ms wall each)`);
    const errors = [...about, ...apps, ...express].reduce((n, r) => n + r.errors, 0);
    if (errors > 0) throw new Error(`${errors} requests failed during the benchmark`);
    const m = (runs: Run[], k: keyof Run) => median(runs.map((r) => r[k]));
    console.log(`\n/qrs/about through the proxy: ${m(about, 'rps').toFixed(0)} req/s, p50 ${m(about, 'p50').toFixed(2)} ms, p99 ${m(about, 'p99').toFixed(2)} ms`);
    console.log(`bare express:                  ${m(express, 'rps').toFixed(0)} req/s, p50 ${m(express, 'p50').toFixed(2)} ms, p99 ${m(express, 'p99').toFixed(2)} ms`);
    console.log(`/qrs/app?filter (${matched} of 200 apps): ${m(apps, 'rps').toFixed(0)} req/s, p50 ${m(apps, 'p50').toFixed(2)} ms, p99 ${m(apps, 'p99').toFixed(2)} ms`);
    console.log(`ratio proxied/bare ${(m(about, 'rps') / m(express, 'rps')).toFixed(3)} (target ≥ 0.4); p99 targets < 20 ms`);
    writeResult('proxy', {
      qrs_about_vs_express_throughput_ratio: Number((m(about, 'rps') / m(express, 'rps')).toFixed(3)),
      qrs_about_p99_ms: Number(m(about, 'p99').toFixed(2)),
      qrs_app_filter_p99_ms: Number(m(apps, 'p99').toFixed(2)),
      oidc_login_cpu_ms: Number(oidc.cpuMsPerLogin.toFixed(2)),
      saml_login_cpu_ms: Number(saml.cpuMsPerLogin.toFixed(2)),
    }, { connections: CONNECTIONS, durationMsPerRound: DURATION_MS, rounds: ROUNDS, about, express, appFilter: apps, appsMatched: matched, oidcLogin: oidc, samlLogin: saml });
  } finally {
    await site.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
