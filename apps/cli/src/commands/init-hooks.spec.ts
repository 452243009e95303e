import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli';
import { type CommandContext } from '../command';
import { createInitCommand } from './init.command';
import { appAuthKeyHook, type InitHookSite } from './init-hooks';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tz-hooks-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function context(command: ReturnType<typeof createInitCommand>, out: string[]): CommandContext {
  return { env: {}, cwd: dir, out: (l) => out.push(l), warn: (l) => out.push(l), commands: [command] };
}

describe('tz init hooks', () => {
  it('run in order after site.json and the certificates are on disk, with the site passed in', async () => {
    const calls: string[] = [];
    const seen: InitHookSite[] = [];
    const hook = (label: string) => async (site: InitHookSite) => {
      // what a repository seeding hook needs must already be there
      expect(existsSync(site.paths.siteJson)).toBe(true);
      expect(existsSync(site.paths.cert('repository'))).toBe(true);
      calls.push(label);
      seen.push(site);
    };
    const out: string[] = [];
    const errors: string[] = [];
    const code = await runCli(['init', '--hosts', 'h.test'], context(createInitCommand([hook('first'), hook('second')]), out), (l) => errors.push(l));
    expect({ code, errors }).toEqual({ code: 0, errors: [] });
    expect(calls).toEqual(['first', 'second']);
    const onDisk = JSON.parse(readFileSync(join(dir, '.trustzone', 'site.json'), 'utf8')) as { siteId: string };
    expect(seen[0]!.manifest.siteId).toBe(onDisk.siteId);
    expect(seen[0]!.force).toBe(false);
  });

  it('creates the app authentication key (0600) once, and keeps it on a forced re-init', async () => {
    const out: string[] = [];
    expect(await runCli(['init', '--hosts', 'h.test'], context(createInitCommand([appAuthKeyHook]), out), () => undefined)).toBe(0);
    const file = join(dir, '.trustzone', 'keys', 'app-auth.key');
    const key = readFileSync(file, 'utf8');
    expect(key).toMatch(/^[0-9a-f]{64}\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(out.some((l) => l.includes('app authentication key created'))).toBe(true);
    expect(await runCli(['init', '--hosts', 'h.test', '--force'], context(createInitCommand([appAuthKeyHook]), []), () => undefined)).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(key);
  });

  it('a failing hook fails init with one line saying the site exists but setup did not finish', async () => {
    const errors: string[] = [];
    const failing = async () => {
      throw new Error('database unreachable');
    };
    const code = await runCli(['init', '--hosts', 'h.test'], context(createInitCommand([failing]), []), (l) => errors.push(l));
    expect(code).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^tz: site created in .*setup step failed: database unreachable$/);
  });
});
