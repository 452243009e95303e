import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { describeResponseScan } from '../test-support/response-scan';
import { dataConnection } from '../test-support/site-content';

// Elevation of privilege › data connection targets. A connection's folder decides what every app
// granted the connection reads. Its owner may rename it or hand it on, but pointing it at another
// folder is what creating a connection there would do, so it needs the right to create one (the
// shipped rules: RootAdmin and ContentAdmin); the attempt and the change are audited with both targets.
let a: AttackSite;
let bob: string;
let bobId: string;
let teamA: string;

interface Dc {
  connectionString: string;
  modifiedDate: string;
  name: string;
}
interface AuditRecord {
  action: string;
  outcome: string;
  actor: { user?: string };
  details?: Record<string, unknown>;
}

const asBob = (method: string, path: string, body?: unknown) => a.client(path, { method, headers: { Cookie: bob }, ...(body === undefined ? {} : { body }) });
const records = async (query: string) => ok<{ records: AuditRecord[] }>(await a.as(ADMIN, 'GET', `/qrs/audit?${query}`), 'audit').records;

beforeAll(async () => {
  a = await startAttackSite();
  bob = await a.login('CORP\\bob');
  ok(await asBob('GET', '/qrs/app'), 'bob first seen');
  bobId = (ok<{ id: string }[]>(await a.as(ADMIN, 'GET', `/qrs/user?filter=${encodeURIComponent("userId eq 'bob'")}`), 'bob id')[0] as { id: string }).id;
  teamA = await dataConnection(a, 'team-a', 'team-a', { 'a.csv': 'K\n1\n' });
  await dataConnection(a, 'team-b', 'team-b', { 'payroll.csv': 'NAME,SALARY\nALICE,91234\n' });
  const dc = ok<object>(await a.as(ADMIN, 'GET', `/qrs/dataconnection/${teamA}`), 'team-a');
  ok(await a.as(ADMIN, 'PUT', `/qrs/dataconnection/${teamA}`, { ...dc, owner: { id: bobId } }), 'bob owns team-a');
}, 120_000);

afterAll(async () => {
  await a?.stop();
});

describe('Elevation of privilege › data connection target', () => {
  it("the owner of a data connection cannot point it at another team's folder; the attempt changes nothing and is audited", async () => {
    const mine = ok<Dc>(await asBob('GET', `/qrs/dataconnection/${teamA}`), 'bob reads his connection');
    for (const target of ['team-b', 'team-a/../team-b']) {
      const r = await asBob('PUT', `/qrs/dataconnection/${teamA}`, { ...mine, connectionString: target });
      expect(r.status, target).toBe(403);
    }
    const after = ok<Dc>(await a.as(ADMIN, 'GET', `/qrs/dataconnection/${teamA}`), 'after');
    expect(after).toMatchObject({ connectionString: 'team-a', modifiedDate: mine.modifiedDate });
    const refused = (await records(`targetId=${teamA}&outcome=denied`)).filter((r) => r.actor.user === 'CORP\\bob');
    expect(refused.map((r) => r.details)).toContainEqual(expect.objectContaining({ connectionStringBefore: 'team-a', connectionStringAfter: 'team-b' }));
    // Control: the owner still renames his connection (Update), the target left as it is.
    const renamed = ok<Dc>(await asBob('PUT', `/qrs/dataconnection/${teamA}`, { ...mine, name: 'team-a (bob)' }), 'rename');
    expect(renamed).toMatchObject({ name: 'team-a (bob)', connectionString: 'team-a' });
  });

  it('an administrator may repoint a connection, and the change is audited with the old and the new target', async () => {
    const dc = ok<Dc>(await a.as(ADMIN, 'GET', `/qrs/dataconnection/${teamA}`), 'current');
    const moved = ok<Dc>(await a.as(ADMIN, 'PUT', `/qrs/dataconnection/${teamA}`, { ...dc, connectionString: 'team-a-2026' }), 'admin repoints');
    expect(moved.connectionString).toBe('team-a-2026');
    const change = (await records(`targetId=${teamA}&action=entity.update`)).filter((r) => r.actor.user === ADMIN).at(-1);
    expect(change?.details).toMatchObject({ connectionStringBefore: 'team-a', connectionStringAfter: 'team-a-2026' });
  });
});

describeResponseScan(() => a);
