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

async function refusal(read: () => Promise<string> | string): Promise<string> {
  try {
    await read();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    expect(msg).not.toContain(root); // messages reach the script author: no server paths
    return msg;
  }
  throw new Error('expected the read to be refused');
}

describe('createConnectionFileSource', () => {
  const source = () => createConnectionFileSource([{ name: 'data', dir: data }], 1024);

  it('reads files inside the connection, including subfolders and symlinks that stay inside', async () => {
    expect(await source().read('data', 'a.csv')).toBe('A\n1\n');
    expect(await source().read('data', 'sub/b.csv')).toBe('B\n2\n');
    expect(await source().read('data', 'link-in.csv')).toBe('A\n1\n');
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

  it('refuses ungranted connections, missing files, directories, oversize and non-UTF-8 files', async () => {
    expect(await refusal(() => source().read('other', 'a.csv'))).toMatch(/not granted/);
    expect(await refusal(() => source().read('data', 'nope.csv'))).toMatch(/not found/);
    expect(await refusal(() => source().read('data', 'sub'))).toMatch(/regular file/);
    expect(await refusal(() => createConnectionFileSource([{ name: 'data', dir: data }], 3).read('data', 'a.csv'))).toMatch(/maxFileBytes/);
    expect(await refusal(() => source().read('data', 'latin1.csv'))).toMatch(/UTF-8/);
  });
});
