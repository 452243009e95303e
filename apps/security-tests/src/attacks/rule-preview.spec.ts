import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_BITS } from '@trustzone/rules';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';

// The rule editor's preview of an unsaved rule (issue 22) on a real site: it answers what saving
// would — the matrix and the explain equal those computed after really saving — while storing
// nothing, granting nothing, refusing non-admins and bounding its input.
let a: AttackSite;
const BOB = 'CORP\\bob';
let appId = '';
const MARKER = 'Preview target app';

interface Matrix { users: { id: string; userId: string }[]; resources: { id: string }[]; cells: { userId: string; resourceId: string; granted: { action: string }[] }[] }
const grid = (m: Matrix) => Object.fromEntries(m.users.flatMap((u) => m.resources.map((r) => [`${u.userId}|${r.id}`, (m.cells.find((c) => c.userId === u.id && c.resourceId === r.id)?.granted ?? []).map((g) => g.action).sort().join(',')])));
const candidate = { name: 'bob reads the preview target', resourceFilter: 'App_*', rule: `resource.name = "${MARKER}" and user.userId = "bob"`, actions: ACTION_BITS.read | ACTION_BITS.update, ruleContext: 0, disabled: false };
const audit = { resourceType: 'App', resourceFilter: '', userFilter: "userId eq 'bob'" };

beforeAll(async () => {
  a = await startAttackSite();
  ok(await a.client('/qrs/app', { headers: { Cookie: await a.login(BOB) } }), 'bob exists');
  appId = ok<{ id: string }>(await a.as(ADMIN, 'POST', '/qrs/app', { name: MARKER }), 'app').id;
}, 180_000);

afterAll(async () => {
  await a?.stop();
});

describe('Elevation of privilege › unsaved rule preview', { timeout: 60_000 }, () => {
  it('unsaved rule preview: the matrix and the explain equal those computed after really saving the rule', async () => {
    const explain = { user: BOB, resource: `App_${appId}`, action: 'update' };
    const p = ok<{ audit: Matrix; auditSaved: Matrix; explain: { decision: { kind: string } }; explainSaved: { decision: { kind: string } } }>(await a.as(ADMIN, 'POST', '/qrs/systemrule/security/preview', { rule: candidate, audit, explain }), 'preview');
    const before = ok<Matrix>(await a.as(ADMIN, 'POST', '/qrs/systemrule/security/audit', audit), 'saved matrix');
    expect(grid(p.auditSaved)).toEqual(grid(before));
    expect(p.explainSaved.decision.kind).toBe('deny');
    const saved = ok<{ id: string }>(await a.as(ADMIN, 'POST', '/qrs/systemrule', candidate), 'save');
    try {
      const after = ok<Matrix>(await a.as(ADMIN, 'POST', '/qrs/systemrule/security/audit', audit), 'matrix after save');
      expect(grid(p.audit)).toEqual(grid(after));
      expect(grid(p.audit)[`bob|${appId}`]).toBe('read,update');
      const x = ok<{ decision: { kind: string } }>(await a.as(ADMIN, 'GET', `/qrs/systemrule/security/explain?user=${encodeURIComponent(BOB)}&resource=App_${appId}&action=update`), 'explain after save');
      expect(p.explain.decision.kind).toBe(x.decision.kind);
      // Editing the saved rule: the preview replaces it (here, disabling it) instead of adding a copy.
      const off = ok<{ audit: Matrix }>(await a.as(ADMIN, 'POST', '/qrs/systemrule/security/preview', { rule: { ...candidate, id: saved.id, disabled: true }, audit }), 'preview of the edit');
      expect(grid(off.audit)).toEqual(grid(before));
    } finally {
      ok(await a.as(ADMIN, 'DELETE', `/qrs/systemrule/${saved.id}`), 'delete');
    }
  });

  it('unsaved rule preview: nothing is stored and nothing is granted', async () => {
    const rules = ok<unknown[]>(await a.as(ADMIN, 'GET', '/qrs/systemrule'), 'rules').length;
    ok(await a.as(ADMIN, 'POST', '/qrs/systemrule/security/preview', { rule: { ...candidate, rule: 'user.userId = "bob"', resourceFilter: '*', actions: Object.values(ACTION_BITS).reduce((x, b) => x | b, 0) }, audit }), 'preview');
    expect(ok<unknown[]>(await a.as(ADMIN, 'GET', '/qrs/systemrule'), 'rules').length).toBe(rules);
    expect((await a.as(BOB, 'GET', `/qrs/app/${appId}`)).status).toBe(404);
  });

  it('unsaved rule preview: a user without admin roles is refused, even with a rule that would grant them everything', async () => {
    const r = await a.as(BOB, 'POST', '/qrs/systemrule/security/preview', { rule: { ...candidate, rule: 'user.userId = "bob"', resourceFilter: '*' }, audit });
    expect(r.status).toBe(403);
    expect(r.text).not.toContain(MARKER);
  });

  it('unsaved rule preview: a rule that does not compile, an oversized text or an unknown field is refused naming the field', async () => {
    const broken = await a.as(ADMIN, 'POST', '/qrs/systemrule/security/preview', { rule: { ...candidate, rule: 'resource.name = "x" and (' }, audit });
    expect(broken.status).toBe(400);
    expect((broken.json as { error: { field: string } }).error.field).toBe('body.rule');
    const huge = await a.as(ADMIN, 'POST', '/qrs/systemrule/security/preview', { rule: { ...candidate, rule: `user.name = "${'x'.repeat(70 * 1024)}"` }, audit });
    expect([400, 413]).toContain(huge.status);
    const extra = await a.as(ADMIN, 'POST', '/qrs/systemrule/security/preview', { rule: candidate, audit, save: true });
    expect(extra.status).toBe(400);
  });
});
