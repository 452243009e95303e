import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, type AssertedUser, type PeerIdentity } from '@trustzone/contracts';
import { createLogger, openAuditLog, tailAuditLog, type AuditLog } from '@trustzone/logging';
import { createCa } from '@trustzone/trust';
import { recordAuditEvent } from './record-audit';
import { callActor, RepositoryAudit } from './repository-audit';

const proxy: PeerIdentity = { kind: 'service', siteId: 's', service: 'proxy' };
const user = (userId: string): AssertedUser => ({ userDirectory: 'CORP', userId, context: 'hub', attributes: {}, anonymous: false, ip: '', secure: true });

describe('RepositoryAudit', () => {
  let dir: string;
  let log: AuditLog;
  let audit: RepositoryAudit;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tz-repo-audit-'));
    const signer = await createCa({ commonName: 'audit-signer' });
    log = await openAuditLog({ dir: join(dir, 'audit'), signer: { keyPem: signer.keyPem, certPem: signer.certPem } });
    audit = new RepositoryAudit(log, createLogger({ service: 'repository', level: 'error', stdout: false }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the user and the calling service; control characters in an identity never reach the record', () => {
    expect(callActor({ caller: proxy, user: user('alice') })).toEqual({ user: 'CORP\\alice', service: 'proxy' });
    expect(callActor({ caller: proxy, user: user('eve\u0085\u2028x') }).user).toBe('CORP\\eve\uFFFD\uFFFDx');
    expect(callActor({ caller: { kind: 'integration', siteId: 's', name: 'portal' }, user: null })).toEqual({ service: 'repository' });
  });

  it('a recorded event is on disk when record() resolves', async () => {
    await audit.record({ actor: { service: 'repository' }, action: 'entity.update', outcome: 'success', target: { type: 'App', id: 'a1' } });
    expect((await tailAuditLog({ dir: join(dir, 'audit'), filter: { targetId: 'a1' } })).entries).toHaveLength(1);
  });

  it('RecordAudit takes the service from the certificate, and the user from the event when none is asserted', async () => {
    const ctx = { caller: proxy, callerName: 'proxy', user: null, metadata: undefined as never, signal: new AbortController().signal, recheckCaller: () => ({ ok: true as const, identity: proxy }) };
    await recordAuditEvent(audit, { action: 'ticket.redeem', outcome: 'success', user: 'CORP\\bob', targetType: '', targetId: '', reason: '', detailsJson: '{"ip":"10.0.0.9"}' }, ctx);
    const last = (await tailAuditLog({ dir: join(dir, 'audit'), filter: { action: 'ticket.redeem' } })).entries.at(-1);
    expect(last).toMatchObject({ actor: { service: 'proxy', user: 'CORP\\bob' }, details: { ip: '10.0.0.9' } });
    await expect(recordAuditEvent(audit, { action: 'x.y', outcome: 'success', user: '', targetType: '', targetId: '', reason: '', detailsJson: '[1,2]' }, ctx)).rejects.toMatchObject({ code: ErrorCode.InvalidArgument, field: 'detailsJson' });
  });

  it('when the trail cannot be written the action fails (Unavailable), and Health says so', async () => {
    expect(audit.status).toBe('ok');
    await log.close();
    await expect(audit.record({ actor: { service: 'repository' }, action: 'entity.delete', outcome: 'success' })).rejects.toMatchObject({ code: ErrorCode.Unavailable });
    expect(audit.status).toBe('failing');
  });
});
