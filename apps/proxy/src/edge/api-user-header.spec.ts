import { describe, expect, it } from 'vitest';
import { readApiUserHeader } from './api-user-header';

describe('X-Qlik-User on the API port', () => {
  it('reads UserDirectory and UserId', () => {
    expect(readApiUserHeader({ 'x-qlik-user': 'UserDirectory=CORP; UserId=alice' })).toEqual({ kind: 'user', userDirectory: 'CORP', userId: 'alice' });
    expect(readApiUserHeader({ 'x-qlik-user': 'userid=bob;userdirectory=EU' })).toEqual({ kind: 'user', userDirectory: 'EU', userId: 'bob' });
  });

  it('is absent when not sent', () => {
    expect(readApiUserHeader({})).toEqual({ kind: 'absent' });
  });

  it.each([['UserDirectory=CORP'], ['alice'], ['UserDirectory=CORP; UserId='], ['UserDirectory=CO\\RP; UserId=a'], [`UserDirectory=C; UserId=${'x'.repeat(700)}`]])('refuses %j', (value) => {
    expect(readApiUserHeader({ 'x-qlik-user': value }).kind).toBe('invalid');
  });

  it('refuses the header sent twice', () => {
    expect(readApiUserHeader({ 'x-qlik-user': ['UserDirectory=C; UserId=a', 'UserDirectory=C; UserId=root'] }).kind).toBe('invalid');
  });
});
