import { describe, expect, it } from 'vitest';
import { EdgeErrorCode } from './edge.error';
import { authenticateApiUser, readApiUserHeader } from './api-user-header';

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

describe('authenticateApiUser', () => {
  const integration = { kind: 'integration' as const, siteId: 's1', name: 'portal' };
  const header = { 'x-qlik-user': 'UserDirectory=CORP; UserId=alice' };

  it('an integration certificate may act as the named user', () => {
    expect(authenticateApiUser(header, integration)).toEqual({ kind: 'authenticated', user: { userDirectory: 'CORP', userId: 'alice', attributes: {}, anonymous: false }, via: 'header' });
    expect(authenticateApiUser({}, integration)).toEqual({ kind: 'none' });
  });

  it('no certificate, or a service certificate, is refused with 403 whatever the header says', () => {
    expect(authenticateApiUser(header, null)).toMatchObject({ kind: 'rejected', status: 403, code: EdgeErrorCode.ClientCertificateRequired });
    expect(authenticateApiUser(header, { kind: 'service', siteId: 's1', service: 'engine' })).toMatchObject({ kind: 'rejected', status: 403 });
  });

  it('a malformed X-Qlik-User is a 401', () => {
    expect(authenticateApiUser({ 'x-qlik-user': 'alice' }, integration)).toMatchObject({ kind: 'rejected', status: 401 });
  });
});
