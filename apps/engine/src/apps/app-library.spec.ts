import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { AppAuthKey, createAppStore } from '@trustzone/app-store';
import { buildDataModel } from '@trustzone/data-model';
import { afterEach, describe, expect, it } from 'vitest';
import { AppLibrary } from './app-library';

// The app document's three parts (data, script, variables) are written by different paths; none may
// drop another. Real files through the real store (checksummed, under the app's lock).
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const AUTH = AppAuthKey.fromBytes(randomBytes(32));

async function library(dir?: string): Promise<AppLibrary> {
  const appsDir = dir ?? mkdtempSync(join(tmpdir(), 'tz-lib-'));
  if (dir === undefined) dirs.push(appsDir);
  return new AppLibrary(await createAppStore({ appsDir, authKey: AUTH }), 4);
}

const model = (n: number) => buildDataModel({ tables: [{ name: 'T', fields: ['X'], columns: [Array.from({ length: n }, (_, i) => i)] }], sectionAccess: null, variables: { vScript: String(n) } });

describe('AppLibrary keeps the variables with the data and the script', () => {
  it('a script write and a data save keep the variables; a variable write keeps both', async () => {
    const lib = await library();
    const app = randomUUID();
    expect(await lib.variables(app)).toEqual([]); // no file yet
    await lib.setScript(app, 'LOAD 1 AS X AUTOGENERATE 1;');
    const vars = [{ qInfo: { qId: 'a', qType: 'variable' }, qName: 'vA', qDefinition: '=Sum(X)' }];
    expect(await lib.updateVariables(app, (current) => [...current, ...vars])).toEqual(vars);
    await lib.save(app, model(3));
    await lib.setScript(app, 'LOAD 2 AS X AUTOGENERATE 2;');
    expect(await lib.variables(app)).toEqual(vars);
    expect(await lib.script(app)).toBe('LOAD 2 AS X AUTOGENERATE 2;');
    expect((await lib.open(app)).tables[0]!.rowCount).toBe(3);
    await lib.updateVariables(app, (current) => current.map((v) => ({ ...v, qDefinition: '2' })));
    expect((await lib.variables(app))[0]!['qDefinition']).toBe('2');
    expect((await lib.open(app)).tables[0]!.rowCount).toBe(3);
    expect(await lib.script(app)).toBe('LOAD 2 AS X AUTOGENERATE 2;');
  });

  it('a second library over the same files (another engine, a restart) reads the variables written by the first', async () => {
    const lib = await library();
    const app = randomUUID();
    await lib.save(app, model(2));
    expect(await lib.variables(app)).toEqual([]); // cached before the write: the write must not be hidden by it
    await lib.updateVariables(app, () => [{ qInfo: { qId: 'k' }, qName: 'vKept', qDefinition: 'x' }]);
    const other = await library(dirs.at(-1)!);
    expect(await other.variables(app)).toEqual([{ qInfo: { qId: 'k' }, qName: 'vKept', qDefinition: 'x' }]);
    expect(await lib.variables(app)).toEqual(await other.variables(app));
  });
});
