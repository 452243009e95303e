import { execFile } from 'node:child_process';
import { request } from 'node:https';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sitePaths } from '@trustzone/trust';
import { freePorts, type RunningSite } from './site-processes';

const TZ_BUNDLE = resolve(__dirname, '..', '..', '..', 'dist', 'apps', 'cli', 'tz.cjs');

/** Resident set size of every running service, in MB (from /proc; Linux only). */
export function serviceRssMb(site: RunningSite): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [label, pid] of Object.entries(site.supervisor.pids())) {
    try {
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (kb) out[label] = Math.round(Number(kb) / 102.4) / 10;
    } catch {
      // the process exited between listing and reading
    }
  }
  return out;
}

/**
 * CPU time (user + system) each running service has used so far, in seconds (from /proc; Linux
 * only). Two readings bracket a phase: their difference is what each process spent in it.
 */
export function serviceCpuSeconds(site: RunningSite): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [label, pid] of Object.entries(site.supervisor.pids())) {
    try {
      // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[label] = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    } catch {
      // the process exited between listing and reading
    }
  }
  return out;
}

/** The metrics port of each service the site started (the main three; extra instances are not listed). */
const METRICS_PORTS = { repository: 'TZ_REPOSITORY_METRICS_PORT', engine: 'TZ_ENGINE_METRICS_PORT', proxy: 'TZ_PROXY_METRICS_PORT' } as const;

/** Prometheus text exposition as `series{labels}` → value; comments left out. */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([^#\s][^ ]*) (\S+)$/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

/**
 * One scrape of a service's GET /metrics (mutual TLS with the site's `cli` certificate), as
 * parsed by parseMetrics.
 */
export function serviceMetrics(site: RunningSite, service: keyof typeof METRICS_PORTS): Promise<Map<string, number>> {
  const paths = sitePaths(site.dataDir);
  return new Promise((resolvePromise, reject) => {
    const req = request({ host: 'localhost', port: Number(site.env[METRICS_PORTS[service]]), path: '/metrics', ca: readFileSync(paths.cert('root'), 'utf8'), cert: readFileSync(paths.cert('cli'), 'utf8'), key: readFileSync(paths.key('cli'), 'utf8'), timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`${service} /metrics: ${res.statusCode} ${body.slice(0, 200)}`));
        resolvePromise(parseMetrics(body));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${service} /metrics: no answer in 10 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** USER_HZ: 100 on every Linux architecture Node runs on (what /proc reports times in). */
const CLOCK_TICKS_PER_SECOND = 100;

/** Audit records on disk by action and by `action:targetType` (every file of the site's audit trail, as written). */
export function auditCounts(site: RunningSite): Map<string, number> {
  const dir = sitePaths(site.dataDir).audit;
  const counts = new Map<string, number>();
  if (!existsSync(dir)) return counts;
  for (const f of readdirSync(dir).filter((n) => /^audit-\d+\.jsonl$/.test(n)).sort()) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const r = JSON.parse(line) as { action?: unknown; target?: { type?: unknown } };
        if (typeof r.action !== 'string') continue;
        counts.set(r.action, (counts.get(r.action) ?? 0) + 1);
        if (typeof r.target?.type === 'string') counts.set(`${r.action}:${r.target.type}`, (counts.get(`${r.action}:${r.target.type}`) ?? 0) + 1);
      } catch {
        counts.set('(unparsable)', (counts.get('(unparsable)') ?? 0) + 1);
      }
    }
  }
  return counts;
}

export interface TzRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `tz …` (the bundled CLI) with the site's environment, as an operator runs it next to the site. */
export function runTzCli(site: RunningSite, args: readonly string[], timeoutMs = 120_000): Promise<TzRun> {
  return new Promise((done) => {
    execFile(process.execPath, [TZ_BUNDLE, ...args], { env: site.env, timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

export interface ProxyInstance {
  label: string;
  port: number;
  apiPort: number;
}

/**
 * Starts one more proxy of the site on its own ports (as a second host would). It shares sessions
 * with the first one only when the site runs with TZ_REDIS_URL; otherwise each keeps its own.
 */
export async function startExtraProxy(site: RunningSite, label: string): Promise<ProxyInstance> {
  const [port, apiPort, metrics] = (await freePorts(3)) as [number, number, number];
  await site.supervisor.startService('proxy', { TZ_PROXY_PORT: String(port), TZ_PROXY_API_PORT: String(apiPort), TZ_PROXY_METRICS_PORT: String(metrics) }, label);
  return { label, port, apiPort };
}
