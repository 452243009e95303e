import { describe, expect, it } from 'vitest';
import { checkXrfkey } from './xrfkey';

const KEY = 'abcdefghij012345';
const check = (query: string, header?: string | string[]) => checkXrfkey(new URLSearchParams(query), header === undefined ? {} : { 'x-qlik-xrfkey': header });

describe('checkXrfkey', () => {
  it('accepts an equal 16-character pair', () => {
    expect(check(`xrfkey=${KEY}`, KEY)).toEqual({ ok: true });
  });

  it.each(['Xrfkey', 'XRFKEY', 'xRfKeY'])('accepts the query parameter spelled %s (Qlik\'s examples write Xrfkey)', (name) => {
    expect(check(`${name}=${KEY}`, KEY)).toEqual({ ok: true });
  });

  it.each([
    ['missing query', '', KEY],
    ['repeated query in two spellings', `xrfkey=${KEY}&Xrfkey=${KEY}`, KEY],
    ['missing header', `xrfkey=${KEY}`, undefined],
    ['different values', `xrfkey=${KEY}`, 'abcdefghij012346'],
    ['different case', `xrfkey=${KEY}`, KEY.toUpperCase()],
    ['15 characters', `xrfkey=${KEY.slice(1)}`, KEY.slice(1)],
    ['17 characters', `xrfkey=${KEY}x`, `${KEY}x`],
    ['non-alphanumeric', 'xrfkey=abcdefghij01234-', 'abcdefghij01234-'],
    ['repeated query', `xrfkey=${KEY}&xrfkey=${KEY}`, KEY],
    ['repeated header', `xrfkey=${KEY}`, [KEY, KEY]],
  ])('refuses %s', (_name, query, header) => {
    expect(check(query, header).ok).toBe(false);
  });
});
