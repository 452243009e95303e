import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, httpRequest, integrationCert, startSiteProcesses, ticketLogin, type RunningSite } from '@trustzone/site-harness';

// Operator-facing acceptance on a running site of real processes: rotation without restart, the key
// permission refusal, `tz apps reload`, `tz site status`, backup → restore into a new site, and an
// engine failing over to its peer.
const ROOT = resolve(__dirname, '..', '..', '..', '..');
const TZ = join(ROOT, 'dist', 'apps', 'cli', 'tz.cjs');

function tz(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [TZ, ...args], { env: { PATH: process.env['PATH'], ...env }, timeout: 120_000 }, (e, out, err) => done({ code: e ? Number((e as { code?: unknown }).code ?? 1) : 0, out, err }));
  });
}

let site: RunningSite;
let cert: { cert: string; key: string };
let appId: string;
const admin = (method: string, path: string, body?: unknown) =>
  httpRequest(site, site.ports.proxyApi, path, { method, cert, headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' }, ...(body === undefined ? {} : { body }) });
const cliEnv = () => ({ ...site.env, TZ_DATA_DIR: site.dataDir });

beforeAll(async () => {
  site = await startSiteProcesses({ extraEngines: 1 });
  cert = await integrationCert(site, 'portal');
  appId = ((await admin('POST', '/qrs/app', { name: 'Operations app' })).json as { id: string }).id;
  const script = `T: LOAD * INLINE [\nK, V\n${Array.from({ length: 500 }, (_, i) => `k${i}, ${i}`).join('\n')}\n];\nTRACE loaded $(=NoOfRows('T')) rows;`;
  expect((await admin('PUT', `/qrs/app/${appId}/script`, { script })).status).toBe(200);
}, 180_000);

afterAll(async () => {
  await site?.stop();
});

describe('certificates on a running site', () => {
  it('tz certs rotate engine gives the engine a new certificate; calls keep working and the new serial is presented', async () => {
    const before = JSON.parse((await tz(['health', 'engine', '--address', `localhost:${site.ports.engine}`], cliEnv())).out) as { status: string; certificateSerial: string };
    expect(before.status).toBe('ok');
    const rotated = await tz(['certs', 'rotate', 'engine', '--grace', '3'], cliEnv());
    expect(rotated.code, rotated.err).toBe(0);
    const serial = /-> ([0-9A-F]+)/.exec(rotated.out)?.[1];
    expect(serial).toBeTruthy();
    // The running engine (not the files) must now hold the new certificate: its Health answer says so.
    let presented = '';
    for (let i = 0; i < 40 && presented !== serial; i++) {
      await new Promise((r) => setTimeout(r, 250));
      presented = (JSON.parse((await tz(['health', 'engine', '--address', `localhost:${site.ports.engine}`], cliEnv())).out) as { certificateSerial: string }).certificateSerial;
    }
    expect(presented).toBe(serial);
    expect((await httpRequest(site, site.ports.proxy, '/health', { xrfkey: false })).status).toBe(200);
    // The command returned after the grace period with the replaced certificate on the CRL.
    // Whoever was first — the command or the running repository's sweep — the command says so.
    expect(rotated.out).toContain(`revoked engine ${before.certificateSerial} (replaced by a rotation; grace period over`);
    // A container's healthcheck calls with the service's own certificate (no CLI key there).
    const self = await tz(['health', 'engine', '--as', 'engine', '--address', `localhost:${site.ports.engine}`], cliEnv());
    expect(self.code, self.err).toBe(0);
    expect(JSON.parse(self.out)).toMatchObject({ status: 'ok', certificateSerial: serial });
  }, 30_000); // the 3 s grace period, then health polls: over vitest's 5 s default on a loaded machine

  it('a service refuses to start on a private key readable by others, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tz-keymode-'));
    try {
      await tz(['init', '--data-dir', dir, '--hosts', 'localhost'], {});
      const key = join(dir, 'private', 'engine', 'engine_key.pem');
      chmodSync(key, 0o644);
      const [port] = await freePorts(1);
      const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'engine', 'main.cjs')], { env: { PATH: process.env['PATH'], TZ_DATA_DIR: dir, TZ_ENGINE_PORT: String(port), TZ_ENGINE_METRICS_PORT: 'off' } });
      let err = '';
      child.stderr.on('data', (c) => (err += String(c)));
      const code = await new Promise<number | null>((r) => child.on('exit', r));
      expect(code).toBe(1);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toContain(key);
      expect(err).toMatch(/0600/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('operator commands', () => {
  it('tz apps reload reports progress and the result', async () => {
    const r = await tz(['apps', 'reload', appId, '--as', 'CORP\\admin', '--proxy-api', `https://localhost:${site.ports.proxyApi}`], cliEnv());
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/reload succeeded in \d+ ms: T \(500 rows\)/);
    // One line per statement as it starts (its text after $( ) expansion), and the TRACE output.
    expect(r.err).toContain('line 1: T: LOAD * INLINE [ K, V k0, 0');
    expect(r.err).toContain('line 504: TRACE loaded 500 rows');
    expect(r.err).toContain('line 504 TRACE loaded 500 rows');
  });

  it('tz site status shows every service healthy', async () => {
    const r = await tz(['site', 'status', '--repository', `localhost:${site.ports.repository}`, '--engine', `localhost:${site.ports.engine}`, '--proxy-api', `https://localhost:${site.ports.proxyApi}`], cliEnv());
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/repository\s+\S+\s+ok/);
    expect(r.out).toMatch(/database: ok/);
  });
});

describe('backup and restore', () => {
  it('a backup of the running site restores into a new data dir and database that serves the same apps, rules and audit chain', async () => {
    const base = mkdtempSync(join(tmpdir(), 'tz-backup-'));
    let restored: RunningSite | undefined;
    try {
      const backup = await tz(['site', 'backup', '--out', join(base, 'backup')], cliEnv());
      expect(backup.code, backup.err).toBe(0);
      const target = join(base, 'restored');
      const restore = await tz(['site', 'restore', '--from', join(base, 'backup'), '--data-dir', target], {});
      expect(restore.code, restore.err).toBe(0);
      const verify = await tz(['audit', 'verify', '--data-dir', target], {});
      expect(verify.code, verify.out).toBe(0);
      expect(verify.out).toMatch(/^OK/);
      const [apps, rules] = await Promise.all([admin('GET', '/qrs/app'), admin('GET', '/qrs/systemrule/count')]);
      restored = await startSiteProcesses({ dataDir: target });
      const rc = await integrationCert(restored, 'portal2');
      const asAdmin = (path: string) => httpRequest(restored!, restored!.ports.proxyApi, path, { cert: rc, headers: { 'X-Qlik-User': 'UserDirectory=CORP; UserId=admin' } });
      expect(((await asAdmin('/qrs/app')).json as { id: string }[]).map((a) => a.id).sort()).toEqual((apps.json as { id: string }[]).map((a) => a.id).sort());
      expect((await asAdmin('/qrs/systemrule/count')).json).toEqual(rules.json);
    } finally {
      await restored?.stop();
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('scale-out', () => {
  it('with one of two engines stopped, new sessions keep working and the proxy reports the engine down', async () => {
    const { cookie } = await ticketLogin(site, cert, { userDirectory: 'CORP', userId: 'admin' });
    const token = ((await httpRequest(site, site.ports.proxy, '/qps/user', { headers: { Cookie: cookie } })).json as { csrfToken: string }).csrfToken;
    await site.supervisor.kill('engine', 'SIGKILL');
    let health = await httpRequest(site, site.ports.proxyApi, '/health', { xrfkey: false, cert });
    for (let i = 0; i < 20 && !Object.values((health.json as { engines?: Record<string, string> }).engines ?? {}).includes('unavailable'); i++) {
      await new Promise((r) => setTimeout(r, 250));
      health = await httpRequest(site, site.ports.proxyApi, '/health', { xrfkey: false, cert });
    }
    expect(health.status).toBe(200);
    expect(Object.values((health.json as { engines: Record<string, string> }).engines).sort()).toEqual(['ok', 'unavailable']);
    for (let n = 0; n < 3; n++) await expectQixWorks(cookie, token);
  });

  it('sessions on an engine that goes down get OnEngineWebsocketFailed; sessions on the other engine carry on', async () => {
    await bothEnginesUp();
    const sockets = await Promise.all([0, 1].map(async () => {
      const { cookie } = await ticketLogin(site, cert, { userDirectory: 'CORP', userId: 'admin' });
      const token = ((await httpRequest(site, site.ports.proxy, '/qps/user', { headers: { Cookie: cookie } })).json as { csrfToken: string }).csrfToken;
      const ws = new WebSocket(`wss://localhost:${site.ports.proxy}/app/${appId}?qlik-csrf-token=${token}`, { ca: site.clientFacingCa, headers: { Cookie: cookie, Origin: `https://localhost:${site.ports.proxy}` } });
      const frames: string[] = [];
      ws.on('message', (m) => frames.push(String(m)));
      await new Promise((r) => ws.once('open', r));
      // The proxy's OnAuthenticationInformation comes first; OnConnected says the engine is attached.
      for (let i = 0; i < 100 && !frames.some((f) => f.includes('OnConnected')); i++) await new Promise((r) => setTimeout(r, 20));
      return { ws, frames };
    }));
    // Round robin put the two new sessions on different engines.
    await site.supervisor.kill('engine', 'SIGKILL');
    await new Promise((r) => setTimeout(r, 1500));
    const failed = sockets.filter((s) => s.frames.some((f) => f.includes('OnEngineWebsocketFailed')));
    expect(failed).toHaveLength(1);
    const survivor = sockets.find((s) => !failed.includes(s))!;
    survivor.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'EngineVersion', handle: -1, params: [] }));
    for (let i = 0; i < 100 && !survivor.frames.some((f) => f.includes('"id":9')); i++) await new Promise((r) => setTimeout(r, 20));
    expect(survivor.frames.some((f) => f.includes('"id":9') && f.includes('qVersion'))).toBe(true);
    for (const s of sockets) s.ws.close();
  });

  it('an engine that dies before the proxy notices: new sessions move to a live engine without an error', async () => {
    await bothEnginesUp();
    await site.supervisor.kill('engine2', 'SIGKILL');
    // No /health call in between: /health would probe and take engine2 out before the sessions start.
    for (let n = 0; n < 4; n++) {
      const { cookie } = await ticketLogin(site, cert, { userDirectory: 'CORP', userId: 'admin' }); // a new session each time
      const token = ((await httpRequest(site, site.ports.proxy, '/qps/user', { headers: { Cookie: cookie } })).json as { csrfToken: string }).csrfToken;
      await expectQixWorks(cookie, token);
    }
  });
});

/** Starts the first engine again (it was killed by an earlier test) and waits until the proxy uses both. */
async function bothEnginesUp(): Promise<void> {
  await site.supervisor.startService('engine');
  for (let i = 0; i < 40; i++) {
    const h = await httpRequest(site, site.ports.proxyApi, '/health', { xrfkey: false, cert });
    if (!Object.values((h.json as { engines: Record<string, string> }).engines).includes('unavailable')) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the restarted engine never came back into the pool');
}

async function expectQixWorks(cookie: string, token: string): Promise<void> {
  const ws = new WebSocket(`wss://localhost:${site.ports.proxy}/app/${appId}?qlik-csrf-token=${token}`, { ca: site.clientFacingCa, headers: { Cookie: cookie, Origin: `https://localhost:${site.ports.proxy}` } });
  const frames: string[] = [];
  let closed: number | undefined;
  ws.on('message', (m) => frames.push(String(m)));
  ws.on('close', (code) => (closed = code));
  const next = async (): Promise<string> => {
    for (let i = 0; i < 200 && frames.length === 0 && closed === undefined; i++) await new Promise((r) => setTimeout(r, 25));
    const f = frames.shift();
    if (f === undefined) throw new Error(`no frame (socket closed: ${closed ?? 'no'})`);
    return f;
  };
  ws.once('open', () => ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'EngineVersion', handle: -1, params: [] })));
  expect(JSON.parse(await next())).toMatchObject({ method: 'OnAuthenticationInformation', params: { mustAuthenticate: false } });
  expect(JSON.parse(await next())).toMatchObject({ method: 'OnConnected' });
  expect(JSON.parse(await next())).toMatchObject({ id: 1, result: { qVersion: expect.any(Object) } });
  ws.close();
}
