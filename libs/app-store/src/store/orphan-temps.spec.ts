import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appFileName } from '../app-id';
import { AUTH } from '../testing/key-fixture';
import { createAppStore } from './app-store';

// Regression (npm run chaos, "kill -9 engine mid-save"): the temp file of a save cut off by a crash
// stayed in the apps dir for good. A writer holds the app's lock file (its pid) while it writes the
// temp file, exactly as app-lock.ts + atomic-file.ts do; these writers are real processes.
let dir: string;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A process that takes the app's lock and starts writing a temp file, then waits to be killed. */
async function writerMidSave(appsDir: string, appId: string): Promise<{ child: ChildProcess; temp: string }> {
  const temp = `.tmp-${appFileName(appId)}.${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const script = `const fs=require('fs');fs.writeFileSync(${JSON.stringify(join(appsDir, `.lock-${appId}`))},String(process.pid),{flag:'wx'});fs.writeFileSync(${JSON.stringify(join(appsDir, temp))},'partial');process.send('ready');setInterval(()=>{},1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.push(child);
  await new Promise((r) => child.once('message', r));
  return { child, temp };
}

describe('orphan temp files of interrupted saves', () => {
  it('a temp file whose writer was killed -9 is removed when the store opens; a save in progress is left alone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tz-orphans-'));
    const appsDir = join(dir, 'apps');
    const store = await createAppStore({ appsDir, authKey: AUTH });
    const [dead, alive] = [randomUUID(), randomUUID()];
    await store.save(dead, Buffer.from('version 1'));
    const killed = await writerMidSave(appsDir, dead);
    await new Promise((r) => {
      killed.child.once('exit', r);
      killed.child.kill('SIGKILL');
    });
    const busy = await writerMidSave(appsDir, alive);
    expect(existsSync(join(appsDir, killed.temp))).toBe(true);

    await createAppStore({ appsDir, authKey: AUTH }); // what an engine does when it (re)starts
    const left = readdirSync(appsDir);
    expect(left).not.toContain(killed.temp);
    expect(left).toContain(busy.temp);
    // The previous version of the app whose save was cut off is intact.
    expect((await store.load(dead)).payload.toString()).toBe('version 1');
  });

  it('a temp file whose lock names another host (another engine container on the volume) stays, whatever its pid is here', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tz-orphans-'));
    const appsDir = join(dir, 'apps');
    await createAppStore({ appsDir, authKey: AUTH });
    const appId = randomUUID();
    const temp = `.tmp-${appFileName(appId)}.0123456789ab`;
    writeFileSync(join(appsDir, `.lock-${appId}`), `${2 ** 22 + 7}@engine2-container`);
    writeFileSync(join(appsDir, temp), 'partial');
    await createAppStore({ appsDir, authKey: AUTH });
    expect(readdirSync(appsDir)).toContain(temp);
  });
});
