import { describe, expect, it } from 'vitest';
import { AppTitles } from './app-titles';

describe('AppTitles (one GetEntity per app and TTL for every open of the engine)', () => {
  it('reads once within the TTL (concurrent opens join the read), again after it; apps are apart', async () => {
    let now = 0;
    const titles = new AppTitles(5000, () => now);
    const reads: string[] = [];
    const read = (app: string, title: string) => async () => {
      reads.push(app);
      return title;
    };
    const first = await Promise.all(Array.from({ length: 50 }, () => titles.get('a', read('a', 'Sales'))));
    expect(new Set(first)).toEqual(new Set(['Sales']));
    expect(await titles.get('b', read('b', 'Budget'))).toBe('Budget');
    now = 4999;
    expect(await titles.get('a', read('a', 'Renamed'))).toBe('Sales');
    now = 5000;
    expect(await titles.get('a', read('a', 'Renamed'))).toBe('Renamed');
    expect(reads).toEqual(['a', 'b', 'a']);
  });

  it('does not keep a failed read: the next open asks again', async () => {
    const titles = new AppTitles(5000, () => 0);
    await expect(titles.get('a', () => Promise.reject(new Error('repository unavailable')))).rejects.toThrow('repository unavailable');
    expect(await titles.get('a', async () => 'Sales')).toBe('Sales');
  });
});
