import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxExecArgv, spawnSandboxed, type SandboxExit, type SandboxLimits } from './sandbox-launcher';

/**
 * Threat: a reload worker that gets a foothold (an interpreter bug) must not reach the network,
 * start processes, read outside its grants, or run forever / grow without bound. Each test starts
 * a probe through the production launcher; the "unlocked" probe (permission model only, no
 * lockdown) is the control that shows the probe really detects an escape.
 */
let dir: string;
let locked: string;
let unlocked: string;
let granted: string;
let secret: string;
let server: Server;
let connections = 0;

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'tz-sandbox-')));
  locked = join(dir, 'sandbox-probe.cjs');
  unlocked = join(dir, 'unlocked-probe.cjs');
  const fixture = (f: string) => fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url));
  await build({
    entryPoints: { 'sandbox-probe': fixture('sandbox-probe.ts'), 'unlocked-probe': fixture('unlocked-probe.ts') },
    outdir: dir, outExtension: { '.js': '.cjs' }, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error',
  });
  granted = join(dir, 'granted');
  mkdirSync(granted);
  writeFileSync(join(granted, 'ok.txt'), 'fine');
  secret = join(dir, 'secret.txt');
  writeFileSync(secret, 'top secret');
  server = createServer((_req, res) => res.end('hello'));
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const limits: SandboxLimits = { timeoutMs: 10_000, maxOldSpaceMb: 64 };

async function probe(entry: string, message: object, options: { limits?: SandboxLimits; signal?: AbortSignal } = {}) {
  const child = spawnSandboxed(entry, { readPaths: [granted] }, options.limits ?? limits, options.signal);
  const reply = new Promise<Record<string, unknown>>((resolve) => child.onMessage((m) => resolve(m as Record<string, unknown>)));
  child.send(message);
  const exit = await child.exit;
  const answer = await Promise.race([reply, new Promise<null>((r) => setTimeout(() => r(null), 10))]);
  return { exit, reply: answer, stderr: child.stderr() };
}

const denied = (v: unknown) => typeof v === 'string' && v.startsWith('denied');

describe('sandbox launcher', () => {
  it('control: without the lockdown the permission model lets a TCP connection through (so the probe detects escapes)', async () => {
    const before = connections;
    const { reply } = await probe(unlocked, { action: 'tcp', arg: (server.address() as AddressInfo).port });
    expect([reply?.['require'], reply?.['stderrSocket']]).toEqual(['connected', 'connected']);
    expect(connections).toBeGreaterThan(before);
  });

  it('opening a TCP socket fails by every route behind the lockdown, and the server sees no connection', async () => {
    const before = connections;
    const { reply } = await probe(locked, { action: 'tcp', arg: (server.address() as AddressInfo).port });
    expect(reply).not.toBeNull();
    for (const route of ['require', 'getBuiltinModule', 'stderrSocket', 'fetch', 'binding']) expect([route, denied(reply?.[route])]).toEqual([route, true]);
    expect(connections).toBe(before);
  });

  it('spawning a child process fails (permission model, and the lockdown refuses the module)', async () => {
    for (const entry of [unlocked, locked]) {
      const { reply } = await probe(entry, { action: 'spawn' });
      expect(reply).not.toBeNull();
      expect([denied(reply?.['spawnSync']), denied(reply?.['execSync'])]).toEqual([true, true]);
    }
  });

  it('reading a file outside the granted dirs fails; inside works', async () => {
    expect((await probe(locked, { action: 'read', arg: secret })).reply).toEqual({ read: expect.stringMatching(/^denied/) });
    expect((await probe(locked, { action: 'read', arg: '/etc/passwd' })).reply).toEqual({ read: expect.stringMatching(/^denied/) });
    expect((await probe(locked, { action: 'read', arg: join(granted, 'ok.txt') })).reply).toEqual({ read: 'read' });
  });

  it('writing a file fails everywhere, granted folders included (STORE goes through the engine)', async () => {
    expect((await probe(locked, { action: 'write', arg: join(granted, 'stored.qvd') })).reply).toEqual({ write: expect.stringMatching(/^denied/) });
    expect((await probe(locked, { action: 'write', arg: join(tmpdir(), 'tz-sandbox-write.txt') })).reply).toEqual({ write: expect.stringMatching(/^denied/) });
    expect(existsSync(join(granted, 'stored.qvd'))).toBe(false);
  });

  it('process.binding and process._linkedBinding are unavailable; eval is disallowed; process.kill is refused', async () => {
    const { reply } = await probe(locked, { action: 'binding' });
    expect([denied(reply?.['binding']), denied(reply?.['linked'])]).toEqual([true, true]);
    expect(denied((await probe(locked, { action: 'eval' })).reply?.['eval'])).toBe(true);
    expect(denied((await probe(locked, { action: 'kill', arg: process.pid })).reply?.['kill'])).toBe(true);
  });

  it('inherits no environment (no secrets, no NODE_OPTIONS)', async () => {
    process.env['TZ_SANDBOX_TEST_SECRET'] = 'hunter2';
    try {
      expect((await probe(locked, { action: 'env' })).reply).toEqual({ env: [] });
    } finally {
      delete process.env['TZ_SANDBOX_TEST_SECRET'];
    }
  });

  it('an endless loop is killed at the timeout', async () => {
    const t0 = Date.now();
    const { exit } = await probe(locked, { action: 'loop' }, { limits: { timeoutMs: 800, maxOldSpaceMb: 64 } });
    expect(exit).toEqual<SandboxExit>({ kind: 'timeout' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(800);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('a memory hog is killed at the memory limit', async () => {
    const { exit } = await probe(locked, { action: 'hog' }, { limits: { timeoutMs: 20_000, maxOldSpaceMb: 32 } });
    expect(exit).toEqual<SandboxExit>({ kind: 'memory' });
  });

  it('runs at the lower scheduling priority it is given, so QIX sessions get the CPU first', async () => {
    const child = spawnSandboxed(locked, { readPaths: [granted] }, { ...limits, nice: 7 });
    try {
      expect(getPriority(child.pid!)).toBeGreaterThanOrEqual(7);
    } finally {
      child.kill();
      await child.exit;
    }
  });

  it('an abort signal kills the process', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const { exit } = await probe(locked, { action: 'loop' }, { signal: ac.signal });
    expect(exit).toEqual<SandboxExit>({ kind: 'aborted' });
  });
});

describe('sandboxExecArgv', () => {
  it('grants read access to the entry and the given paths only, and nothing else', () => {
    const argv = sandboxExecArgv('/srv/w.cjs', { readPaths: ['/data/a'] }, limits);
    expect(argv.filter((a) => a.startsWith('--allow-'))).toEqual(['--allow-fs-read=/srv/w.cjs', '--allow-fs-read=/data/a']);
    expect(argv).toContain('--experimental-permission');
    expect(argv).toContain(`--max-old-space-size=${limits.maxOldSpaceMb}`);
  });

  it('refuses grants that Node would widen (comma lists, wildcards) and relative paths', () => {
    for (const bad of ['/data/a,/etc', '/data/*', 'relative/dir', '/data/a\n--allow-child-process']) {
      expect(() => sandboxExecArgv('/srv/w.cjs', { readPaths: [bad] }, limits)).toThrow(/refusing sandbox read grant/);
    }
  });
});
