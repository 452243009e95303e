import { describe, expect, it } from 'vitest';
import { SelectionState } from '@trustzone/data-model';
import { SharedSelections } from './shared-selections';

describe('SharedSelections (Qlik identities)', () => {
  it('holders of one key share a cell; another key never does', () => {
    const s = new SharedSelections({ maxEntries: 10 });
    const a = s.acquire('alice|app|tab', 0);
    const b = s.acquire('alice|app|tab', 0);
    const other = s.acquire('bob|app|tab', 0);
    expect(b.cell).toBe(a.cell);
    expect(other.cell).not.toBe(a.cell);
    const marker = SelectionState.empty().with(0, null);
    a.cell.selections = marker;
    expect(b.cell.selections).toBe(marker);
  });

  it('changed() tells every other holder of the cell, never the caller, and nobody after release', () => {
    const s = new SharedSelections({ maxEntries: 10 });
    const told: string[] = [];
    const a = s.acquire('k', 0, () => told.push('a'));
    const b = s.acquire('k', 0, () => told.push('b'));
    const c = s.acquire('k', 0, () => told.push('c'));
    const other = s.acquire('other', 0, () => told.push('other'));
    a.changed();
    expect(told.sort()).toEqual(['b', 'c']);
    told.length = 0;
    c.release();
    b.changed();
    expect(told).toEqual(['a']);
    other.release();
  });

  it('ttl 0: the state ends with the last holder; ttl n: it outlives it by n seconds, then ends', () => {
    let t = 1_000;
    const s = new SharedSelections({ maxEntries: 10, now: () => t });
    const a = s.acquire('k', 0);
    a.release();
    expect(s.size).toBe(0);
    const ttl = 30;
    const first = s.acquire('t', ttl);
    first.release();
    first.release(); // idempotent
    t += ttl * 1000 - 1;
    expect(s.acquire('t', ttl).cell).toBe(first.cell);
    const again = s.acquire('t2', ttl);
    again.release();
    t += ttl * 1000;
    s.sweep();
    expect(s.acquire('t2', ttl).cell).not.toBe(again.cell);
  });

  it('is bounded: past maxEntries a new identity gets a private cell', () => {
    const s = new SharedSelections({ maxEntries: 2 });
    s.acquire('a', 0);
    s.acquire('b', 0);
    const c1 = s.acquire('c', 0);
    const c2 = s.acquire('c', 0);
    expect(c1.cell).not.toBe(c2.cell);
    expect(s.size).toBe(2);
  });
});
