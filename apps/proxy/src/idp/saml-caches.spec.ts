import { describe, expect, it } from 'vitest';
import { SamlLogoutRefs } from './saml-caches';

describe('SamlLogoutRefs.find (IdP-initiated logout lookup)', () => {
  const refs = new SamlLogoutRefs();
  const logins = [
    { id: 's1', prefix: 'a', nameID: 'alice', sessionIndex: 'i1' },
    { id: 's2', prefix: 'a', nameID: 'alice', sessionIndex: 'i2' },
    { id: 's3', prefix: 'a', nameID: 'alice', sessionIndex: undefined },
    { id: 's4', prefix: 'b', nameID: 'alice', sessionIndex: 'i1' },
    { id: 's5', prefix: 'a', nameID: 'bob', sessionIndex: 'i1' },
  ];
  for (const l of logins) refs.set(l.id, { prefix: l.prefix, nameID: l.nameID, nameIDFormat: 'f', sessionIndex: l.sessionIndex });
  const expected = (prefix: string, nameID: string, indexes: string[]) =>
    logins.filter((l) => l.prefix === prefix && l.nameID === nameID && (indexes.length === 0 || (l.sessionIndex !== undefined && indexes.includes(l.sessionIndex)))).map((l) => l.id);

  it.each([
    ['a', 'alice', ['i1']],
    ['a', 'alice', ['i1', 'i2']],
    ['a', 'alice', []],
    ['b', 'alice', []],
    ['a', 'bob', ['i2']],
    ['a', 'carol', []],
  ] as const)('prefix %s, NameID %s, SessionIndex %j: only the logins of that principal on that virtual proxy (and index, when named)', (prefix, nameID, indexes) => {
    const found = refs.find(prefix, nameID, [...indexes]);
    expect(found.sort()).toEqual(expected(prefix, nameID, [...indexes]).sort());
    for (const id of found) expect(logins.find((l) => l.id === id)?.nameID).toBe(nameID);
  });
});
