import { describe, expect, it } from 'vitest';
import { RecordCache } from './record-cache';

type Row = { id: string; v: number };

/** A loader whose result the test releases by hand, to interleave writes with a running load. */
function gatedLoader(rows: () => Row[]) {
  const gates: (() => void)[] = [];
  let calls = 0;
  const load = () => {
    calls++;
    const snapshot = rows();
    return new Promise<Row[]>((resolve) => gates.push(() => resolve(snapshot)));
  };
  return { load, release: () => gates.shift()?.(), calls: () => calls };
}

describe('RecordCache', () => {
  it('loads once; concurrent readers share the load', async () => {
    const g = gatedLoader(() => [{ id: 'a', v: 1 }]);
    const c = new RecordCache<Row>(g.load, () => undefined);
    const [p1, p2] = [c.load(), c.load()];
    g.release();
    expect(await p1).toBe(await p2);
    await c.load();
    expect(g.calls()).toBe(1);
  });

  it('a write that lands while a load runs is replayed on the loaded rows (the load never resurrects the old version)', async () => {
    let db: Row[] = [{ id: 'a', v: 1 }, { id: 'b', v: 1 }];
    const g = gatedLoader(() => db);
    const c = new RecordCache<Row>(g.load, () => undefined);
    const loading = c.load(); // reads v1 of everything
    db = [{ id: 'a', v: 2 }];
    c.put({ id: 'a', v: 2 });
    c.remove('b');
    g.release();
    expect([...(await loading).values()]).toEqual([{ id: 'a', v: 2 }]);
  });

  it('an invalidation during a load discards that load and reads again', async () => {
    let version = 1;
    const g = gatedLoader(() => [{ id: 'a', v: version }]);
    const c = new RecordCache<Row>(g.load, () => undefined);
    const loading = c.load();
    version = 2;
    c.invalidate();
    g.release();
    await new Promise((r) => setImmediate(r));
    g.release();
    expect((await loading).get('a')).toEqual({ id: 'a', v: 2 });
    expect(g.calls()).toBe(2);
  });

  it('reports every change, so derived data is dropped', async () => {
    let changes = 0;
    const c = new RecordCache<Row>(async () => [], () => changes++);
    await c.load();
    const afterLoad = changes;
    c.put({ id: 'x', v: 1 });
    c.remove('x');
    c.invalidate();
    expect(changes - afterLoad).toBe(3);
    expect(() => c.current()).toThrow(/before load/);
  });
});
