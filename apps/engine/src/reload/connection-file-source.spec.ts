import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectionFileSource } from './connection-file-source';

/** Threat: a script reading outside its data connection (traversal, absolute paths, symlinks). */
let root: string;
let data: string;

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'tz-conn-')));
  data = join(root, 'data');
  mkdirSync(join(data, 'sub'), { recursive: true });
  writeFileSync(join(data, 'a.csv'), 'A\n1\n');
  writeFileSync(join(data, 'sub', 'b.csv'), 'B\n2\n');
  writeFileSync(join(root, 'secret.txt'), 'TOP SECRET');
  mkdirSync(join(root, 'outside'));
  writeFileSync(join(root, 'outside', 'c.csv'), 'TOP SECRET');
  writeFileSync(join(data, 'latin1.csv'), Buffer.from([0x41, 0x0a, 0xe9, 0x0a]));
  symlinkSync(join(root, 'secret.txt'), join(data, 'link-out.csv'));
  symlinkSync(join(root, 'outside'), join(data, 'dir-out'));
  symlinkSync(join(data, 'a.csv'), join(data, 'link-in.csv'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function refusal(read: () => Promise<unknown> | unknown): Promise<string> {
  try {
    await read();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    expect(msg).not.toContain(root); // messages reach the script author: no server paths
    return msg;
  }
  throw new Error('expected the read to be refused');
}

const text = async (content: unknown): Promise<string> => new TextDecoder().decode((await content) as Uint8Array);

describe('createConnectionFileSource', () => {
  const source = () => createConnectionFileSource([{ name: 'data', dir: data }], 1024);

  it('reads files inside the connection, including subfolders and symlinks that stay inside', async () => {
    expect(await text(source().read('data', 'a.csv'))).toBe('A\n1\n');
    expect(await text(source().read('data', 'sub/b.csv'))).toBe('B\n2\n');
    expect(await text(source().read('data', 'link-in.csv'))).toBe('A\n1\n');
    expect([...((await source().read('data', 'latin1.csv')) as Uint8Array)]).toEqual([0x41, 0x0a, 0xe9, 0x0a]); // bytes: the script's codepage decides
  });

  it('refuses .. traversal, absolute paths and NUL even if the parser was bypassed', async () => {
    expect(await refusal(() => source().read('data', '../secret.txt'))).toMatch(/\.\./);
    expect(await refusal(() => source().read('data', 'sub/../../secret.txt'))).toMatch(/\.\./);
    expect(await refusal(() => source().read('data', '/etc/passwd'))).toMatch(/relative|absolute/);
    expect(await refusal(() => source().read('data', 'a.csv\u0000.txt'))).toMatch(/control/);
  });

  it('refuses symlinks (file or directory) that lead out of the connection', async () => {
    expect(await refusal(() => source().read('data', 'link-out.csv'))).toMatch(/symbolic link/);
    expect(await refusal(() => source().read('data', 'dir-out/c.csv'))).toMatch(/symbolic link/);
  });

  it('refuses ungranted connections, missing files, directories, oversize files and the engine\'s reserved names', async () => {
    expect(await refusal(() => source().read('other', 'a.csv'))).toMatch(/not granted/);
    expect(await refusal(() => source().read('data', 'nope.csv'))).toMatch(/not found/);
    expect(await refusal(() => source().read('data', 'sub'))).toMatch(/regular file/);
    expect(await refusal(() => createConnectionFileSource([{ name: 'data', dir: data }], 3).read('data', 'a.csv'))).toMatch(/maxFileBytes/);
    expect(await refusal(() => source().read('data', '.tmp-orders.qvd.abc'))).toMatch(/reserved/);
  });

  it('hands an encrypted file to the engine instead of reading it, and refuses it without that path', async () => {
    writeFileSync(join(data, 'sealed.qvd'), Buffer.from('TZAP\u0000\u0001ciphertext'));
    const asked: string[] = [];
    const opened = createConnectionFileSource([{ name: 'data', dir: data }], { maxFileBytes: 1024, openSealed: async (c, p) => (asked.push(`${c}/${p}`), new TextEncoder().encode('plain')) });
    expect(await text(opened.read('data', 'sealed.qvd'))).toBe('plain');
    expect(asked).toEqual(['data/sealed.qvd']);
    expect(await refusal(() => source().read('data', 'sealed.qvd'))).toMatch(/encrypted/);
  });

  it('open() makes the same checks as read(), reads by position, routes encrypted files to the engine and closes', async () => {
    const src = source();
    const whole = async (path: string, s = src): Promise<string> => {
      const f = await s.open!('data', path);
      try {
        const into = new Uint8Array(f.size);
        let at = 0;
        for (let n; at < f.size && (n = f.readAt(into.subarray(at, at + 3), at)) > 0; ) at += n; // 3 bytes at a time
        return new TextDecoder().decode(into.subarray(0, at));
      } finally {
        await f.close();
      }
    };
    expect(await whole('a.csv')).toBe('A\n1\n');
    expect(await whole('sub/b.csv')).toBe('B\n2\n');
    expect(await whole('link-in.csv')).toBe('A\n1\n');
    expect(await refusal(() => src.open!('data', '../secret.txt'))).toMatch(/\.\./);
    expect(await refusal(() => src.open!('data', 'link-out.csv'))).toMatch(/symbolic link/);
    expect(await refusal(() => src.open!('data', 'dir-out/c.csv'))).toMatch(/symbolic link/);
    expect(await refusal(() => src.open!('other', 'a.csv'))).toMatch(/not granted/);
    expect(await refusal(() => src.open!('data', 'sub'))).toMatch(/regular file/);
    expect(await refusal(() => createConnectionFileSource([{ name: 'data', dir: data }], 3).open!('data', 'a.csv'))).toMatch(/maxFileBytes/);
    writeFileSync(join(data, 'sealed2.qvd'), Buffer.from('TZAP\u0000\u0001ciphertext'));
    const sealed = createConnectionFileSource([{ name: 'data', dir: data }], { maxFileBytes: 1024, openSealed: async () => new TextEncoder().encode('plain') });
    expect(await whole('sealed2.qvd', sealed)).toBe('plain');
    expect(await refusal(() => src.open!('data', 'sealed2.qvd'))).toMatch(/encrypted/);
    const closed = await src.open!('data', 'a.csv');
    await closed.close();
    expect(() => closed.readAt(new Uint8Array(4), 0)).toThrow(/EBADF|bad file|"fd" is out of range/i);
  });

  it('lists matching regular files for FileList: * and ? in the name only, symlinks and subfolders left out, bounded', async () => {
    expect(await source().list!('data', '*.csv')).toEqual(['a.csv', 'latin1.csv']);
    expect(await source().list!('data', 'sub/?.CSV')).toEqual(['sub/b.csv']);
    expect(await refusal(() => source().list!('data', '*/b.csv'))).toMatch(/wildcards/);
    expect(await refusal(() => source().list!('data', '../*.txt'))).toMatch(/\.\./);
    expect(await refusal(() => source().list!('data', 'dir-out/*.csv'))).toMatch(/symbolic link/);
    expect(await refusal(() => source().list!('other', '*.csv'))).toMatch(/not granted/);
  });
});
