import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { httpRequest, runTzCli, type HttpResult, type RunningSite } from '@trustzone/site-harness';
import { sitePaths } from '@trustzone/trust';

/** What one fault scenario found: acknowledged writes, how many of them were lost, and what users saw. */
export interface ScenarioResult {
  name: string;
  /** Writes the site acknowledged (2xx) while the fault was injected. */
  acknowledged: number;
  /** Acknowledged writes missing afterwards (entity or audit record): must be 0. */
  lost: number;
  /** `tz audit verify` after recovery. */
  auditChainOk: boolean;
  /** Status codes answered while the fault lasted (e.g. { "503": 12 }). */
  statusesDuringFault: Record<string, number>;
  /** What the scenario observed, in words (for docs/operations.md's failure-modes table). */
  observed: string[];
  /** Whether refusals during the fault were the documented ones (503/507, a clear log line), where the scenario checks it. */
  clearRefusal?: boolean;
  /** Set when the scenario could not run here (and why). */
  skipped?: string;
  durationMs: number;
}

export type AdminCall = (method: string, path: string, body?: unknown) => Promise<HttpResult>;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An acknowledged-write recorder: POST /qrs/stream as CORP\admin on the proxy API, back to back,
 * keeping the id of every 201 and a histogram of every other answer (0 = no answer at all).
 */
export class AckWriter {
  readonly acked: { id: string; name: string }[] = [];
  readonly statuses: Record<string, number> = {};
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private n = 0;
  private faultFrom = Infinity;
  readonly duringFault: Record<string, number> = {};
  readonly samples: string[] = [];

  constructor(private readonly admin: AdminCall, private readonly tag: string, private readonly pauseMs = 20) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await this.writeOne();
        await sleep(this.pauseMs);
      }
    })();
  }

  /** Statuses from now on are counted as answered during the fault. */
  faultBegins(): void {
    this.faultFrom = Date.now();
  }

  faultEnds(): void {
    this.faultFrom = Infinity;
  }

  async writeOne(): Promise<HttpResult | undefined> {
    const name = `${this.tag}-${this.n++}`;
    const during = Date.now() >= this.faultFrom;
    let r: HttpResult | undefined;
    try {
      r = await this.admin('POST', '/qrs/stream', { name });
    } catch {
      r = undefined;
    }
    const key = String(r?.status ?? 0);
    this.statuses[key] = (this.statuses[key] ?? 0) + 1;
    if (during) this.duringFault[key] = (this.duringFault[key] ?? 0) + 1;
    if (r && r.status !== 201 && this.samples.length < 5) this.samples.push(`${r.status} ${r.text.slice(0, 200)}`);
    if (r?.status === 201) this.acked.push({ id: (r.json as { id: string }).id, name });
    return r;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

/** Every acknowledged stream must be in the database (GET 200, same name) and have its entity.create audit record. */
export async function countLost(site: RunningSite, admin: AdminCall, acked: { id: string; name: string }[]): Promise<{ lost: number; missing: string[] }> {
  const audited = auditedCreates(site);
  const missing: string[] = [];
  for (const a of acked) {
    const got = await admin('GET', `/qrs/stream/${a.id}`);
    if (got.status !== 200 || (got.json as { name?: string }).name !== a.name) missing.push(`${a.id} not in the database (${got.status})`);
    else if (!audited.has(a.id)) missing.push(`${a.id} has no entity.create audit record`);
  }
  return { lost: missing.length, missing: missing.slice(0, 5) };
}

function auditedCreates(site: RunningSite): Set<string> {
  const dir = sitePaths(site.dataDir).audit;
  const ids = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => /^audit-\d+\.jsonl$/.test(n))) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (!line.includes('entity.create')) continue;
      try {
        const r = JSON.parse(line) as { action?: string; target?: { id?: string } };
        if (r.action === 'entity.create' && r.target?.id) ids.add(r.target.id);
      } catch {
        // a torn last line after a kill is the verifier's business
      }
    }
  }
  return ids;
}

export async function auditChainOk(site: RunningSite): Promise<{ ok: boolean; out: string }> {
  const r = await runTzCli(site, ['audit', 'verify']);
  return { ok: r.code === 0, out: (r.stdout + r.stderr).trim().split('\n').slice(0, 3).join(' | ') };
}

/** Waits until the proxy's /health answers 200 (the repository is back behind it). */
export async function waitHealthy(site: RunningSite, timeoutMs = 30_000, port = site.ports.proxy): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const r = await httpRequest(site, port, '/health', { xrfkey: false }).catch(() => undefined);
    if (r?.status === 200) return true;
    await sleep(250);
  }
  return false;
}

/** Files left under the apps dir with the atomic writer's temp prefix (orphans after a crash). */
export function tempFiles(site: RunningSite): string[] {
  const root = sitePaths(site.dataDir).apps;
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.startsWith('.tmp-')) out.push(join(dir, e.name));
    }
  };
  walk(root);
  return out;
}

/** The newest lines of a service's log file (dataDir/logs/<service>.log) matching `re`. */
export function logLines(site: RunningSite, service: string, re: RegExp): string[] {
  const file = join(sitePaths(site.dataDir).logs, `${service}.log`);
  if (!existsSync(file) || statSync(file).size === 0) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => re.test(l)).slice(-5);
}

/**
 * A TCP relay on 127.0.0.1 in front of a server the test does not own (a shared PostgreSQL or
 * Redis): `drop()` closes every relayed connection and stops accepting, as a restarting server
 * would; `restore()` accepts again on the same port. The real server is never touched.
 */
export class TcpRelay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly targetHost: string, private readonly targetPort: number) {}

  async start(port = 0): Promise<number> {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((res, rej) => {
      this.server!.once('error', rej);
      this.server!.listen(port, '127.0.0.1', () => res());
    });
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }

  async drop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    for (const sock of this.sockets) sock.destroy();
    this.sockets.clear();
    if (s) await new Promise((r) => s.close(r));
  }

  restore(): Promise<number> {
    return this.start(this.port);
  }
}

/** Host and port of a postgresql:// or redis:// URL. */
export function hostPort(url: string, defaultPort: number): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || defaultPort) };
}

/** `url` with its host and port replaced by 127.0.0.1:<port> (the relay). */
export function viaRelay(url: string, port: number): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}
