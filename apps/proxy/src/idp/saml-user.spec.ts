import { describe, expect, it } from 'vitest';
import { samlUser, type SamlMapping } from './saml-user';

const mapping = (m: Partial<SamlMapping> = {}): SamlMapping => ({ samlAttributeUserDirectory: '[CORP]', samlAttributeMap: { groups: 'group' }, ...m });

describe('the user a SAML assertion names', () => {
  it('takes the NameID when samlAttributeUserId is unset, a bracketed directory as a constant, and maps groups to the group attribute', () => {
    const groups = ['Sales', 'Finance'];
    expect(samlUser('alice', { groups }, mapping())).toEqual({ userDirectory: 'CORP', userId: 'alice', attributes: { group: groups }, anonymous: false });
  });

  it('reads the user id and the directory from attributes when so configured', () => {
    const u = samlUser('ignored-nameid', { uid: 'bob', domain: 'EMEA' }, mapping({ samlAttributeUserId: 'uid', samlAttributeUserDirectory: 'domain' }));
    expect(u).toMatchObject({ userId: 'bob', userDirectory: 'EMEA' });
  });

  it('fails the login (never shrinks to no groups) when a mapped attribute is not text, or the id is missing or multi-valued', () => {
    expect(samlUser('alice', { groups: [{ nested: 'x' }] }, mapping())).toMatch(/unsupported type/);
    expect(samlUser('alice', {}, mapping({ samlAttributeUserId: 'uid' }))).toMatch(/user id/);
    expect(samlUser('alice', { uid: ['a', 'b'] }, mapping({ samlAttributeUserId: 'uid' }))).toMatch(/user id/);
    expect(samlUser('alice', {}, mapping({ samlAttributeUserDirectory: 'domain' }))).toMatch(/user directory/);
  });

  it('refuses an identity the proxy could not carry (a backslash in the user id)', () => {
    expect(typeof samlUser('CORP\\alice', {}, mapping())).toBe('string');
  });
});
