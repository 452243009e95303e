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

describe('AppLibrary keeps the decoded data model across writes that leave the data alone', () => {
  it('object, variable and script writes decode no data model; a reload (here or by another engine) and an import do', async () => {
    const lib = await library();
    const app = randomUUID();
    await lib.save(app, model(5));
    expect((await lib.open(app)).tables[0]!.rowCount).toBe(5);
    expect(lib.modelDecodes).toBe(0); // the reload's own model is cached as it is
    for (let i = 0; i < 3; i++) {
      await lib.updateObjects(app, (current) => [...current, { id: `o${i}`, type: 'sheet' }]);
      await lib.updateVariables(app, (current) => [...current, { qInfo: { qId: `v${i}` }, qName: `v${i}`, qDefinition: String(i) }]);
      expect((await lib.open(app)).tables[0]!.rowCount).toBe(5);
      expect((await lib.objects(app)).map((o) => o['id'])).toEqual(Array.from({ length: i + 1 }, (_, k) => `o${k}`));
      expect(await lib.variables(app)).toHaveLength(i + 1);
    }
    await lib.setScript(app, 'LOAD 1 AS X AUTOGENERATE 1;');
    expect((await lib.open(app)).tables[0]!.rowCount).toBe(5);
    expect(lib.modelDecodes).toBe(0);

    // Another engine over the same files writes objects (the file changes, the data does not), then reloads.
    const other = await library(dirs.at(-1)!);
    await other.updateObjects(app, (current) => [...current, { id: 'from-b', type: 'sheet' }]);
    expect((await lib.objects(app)).map((o) => o['id'])).toContain('from-b');
    expect((await lib.open(app)).tables[0]!.rowCount).toBe(5);
    expect(lib.modelDecodes).toBe(0);
    await other.save(app, model(7));
    expect((await lib.open(app)).tables[0]!.rowCount).toBe(7); // the data changed: decoded afresh
    expect(lib.modelDecodes).toBe(1);
    expect((await lib.objects(app)).map((o) => o['id'])).toContain('from-b');

    // An import replaces the whole document, data included.
    await lib.updateDocument(app, (current) => ({ ...current!, model: null })); // an import without data opens empty
    expect((await lib.open(app)).tables).toHaveLength(0);
    await other.save(app, model(9));
    await lib.updateDocument(app, (current) => ({ ...current! }));
    expect((await lib.open(app)).tables[0]!.rowCount).toBe(9);
    expect(lib.modelDecodes).toBe(2);
  });
});

describe('AppLibrary shares a read among calls that arrive while it runs', () => {
  it('concurrent reads decode the file once; a write here is seen by every read begun after it', async () => {
    const lib = await library();
    const app = randomUUID();
    await lib.save(app, model(2));
    await lib.updateVariables(app, () => [{ qInfo: { qId: 'a' }, qName: 'vA', qDefinition: '1' }]); // the cache is stale now
    const store = (lib as unknown as { store: { load(id: string): Promise<unknown> } }).store;
    const load = store.load.bind(store);
    let loads = 0;
    store.load = (id: string) => {
      loads++;
      return load(id);
    };
    const concurrent = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? lib.variables(app) : lib.objects(app))));
    expect(loads).toBe(1);
    expect(concurrent[0]).toEqual([{ qInfo: { qId: 'a' }, qName: 'vA', qDefinition: '1' }]);
    // A read in flight when a write lands (it read the file before the write) does not answer the
    // reads made after the write.
    await lib.updateVariables(app, () => [{ qInfo: { qId: 'a' }, qName: 'vA', qDefinition: '2' }]);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    store.load = async (id: string) => {
      const bytes = await load(id);
      await gate;
      return bytes;
    };
    const before = lib.variables(app);
    await new Promise((r) => setTimeout(r, 50)); // the read has loaded the file ('2') and waits at the gate
    store.load = load;
    await lib.updateVariables(app, () => [{ qInfo: { qId: 'a' }, qName: 'vA', qDefinition: '3' }]);
    const after = lib.variables(app);
    release();
    expect((await before)[0]!['qDefinition']).toBe('2');
    expect((await after)[0]!['qDefinition']).toBe('3');
    expect((await lib.variables(app))[0]!['qDefinition']).toBe('3');
  });
});
