import { describe, expect, it } from 'vitest';
import { RulesError, RulesErrorCode } from '../rules.error';
import { makeApp, makeRule, makeStream, makeUser, ownerRef } from '../testing/fixtures';
import { RuleEngine } from './rule-engine';

const alice = makeUser({ groups: ['Sales'] });
const bob = makeUser({ id: 'user-bob', userId: 'bob', groups: ['HR'] });
const apps = [
  makeApp('a1', { owner: ownerRef(alice), customProperties: { Department: ['Sales'] } }),
  makeApp('a2', { owner: ownerRef(bob), customProperties: { Department: ['HR'] } }),
  makeApp('a3', { stream: makeStream('s1'), customProperties: { Region: ['North'] } }),
];

describe('audit', () => {
  const dept = makeRule({ name: 'Dept', resourceFilter: 'App_*', rule: 'resource.@Department = user.group', actions: 2 });
  const owner = makeRule({ name: 'Owner', resourceFilter: 'App_*', rule: 'resource.owner = user', actions: 2 | 4 });
  const region = makeRule({ name: 'Region', resourceFilter: 'App_*', rule: 'resource.@Region = user.environment.region', actions: 2 });
  const broken = makeRule({ name: 'Broken', resourceFilter: 'App_*', rule: 'resource.@Region matches "n.*" and resource.nosuch = "x"', actions: 2 });
  const draft = makeRule({ name: 'Draft', resourceFilter: 'App_*', rule: '', actions: 8, disabled: true });
  const engine = RuleEngine.compile([dept, owner, region, broken, draft]);

  it('returns users × resources with granted actions and every granting rule', () => {
    const result = engine.audit({ users: [alice, bob], resources: apps, actions: ['read', 'update'], context: 'hub' });
    expect(result.cells).toHaveLength(6);
    const cell = (user: string, app: string) => result.cells.find((c) => c.userId === user && c.resourceId === app)?.granted;
    expect(cell(alice.id, 'a1')).toEqual([
      { action: 'read', grantedBy: expect.arrayContaining([dept.id, owner.id]) },
      { action: 'update', grantedBy: [owner.id] },
    ]);
    expect(cell(alice.id, 'a1')?.[0]?.grantedBy).toHaveLength(2);
    expect(cell(alice.id, 'a2')).toEqual([]);
    expect(cell(bob.id, 'a2')?.map((g) => g.action)).toEqual(['read', 'update']);
    expect(cell(bob.id, 'a3')).toEqual([]);
  });

  it('agrees cell by cell with privileges()', () => {
    const result = engine.audit({ users: [alice, bob], resources: apps, context: 'hub' });
    for (const c of result.cells) {
      const user = c.userId === alice.id ? alice : bob;
      const app = apps.find((a) => a.id === c.resourceId);
      expect(c.granted.map((g) => g.action)).toEqual(app && engine.privileges(user, app, 'hub'));
    }
  });

  it('applies simulated session attributes to every user', () => {
    const result = engine.audit({ users: [alice, bob], resources: [apps[2]!], actions: ['read'], context: 'hub', environment: { Region: ['north'] } });
    expect(result.cells.map((c) => c.granted)).toEqual([
      [{ action: 'read', grantedBy: [region.id] }],
      [{ action: 'read', grantedBy: [region.id] }],
    ]);
    expect(engine.audit({ users: [alice], resources: [apps[2]!], actions: ['read'], context: 'hub' }).cells[0]?.granted).toEqual([]);
  });

  it('lists errored rules with their error, aggregated', () => {
    const result = engine.audit({ users: [alice, bob], resources: apps, actions: ['read'], context: 'hub' });
    expect(result.errors).toEqual([
      expect.objectContaining({ ruleId: broken.id, ruleName: 'Broken', code: RulesErrorCode.UNKNOWN_PATH, occurrences: 6 }),
    ]);
  });

  it('previews disabled rules without letting them grant', () => {
    const result = engine.audit({ users: [alice], resources: [apps[0]!], actions: ['delete'], context: 'hub', includeDisabled: true });
    expect(result.cells[0]).toMatchObject({ granted: [], disabledWouldGrant: [{ action: 'delete', grantedBy: [draft.id] }] });
  });

  it('rejects malformed users and resources without failing the whole matrix', () => {
    const result = engine.audit({ users: [alice, { id: 'bad' } as never], resources: [apps[0]!, { id: 'x' } as never], actions: ['read'], context: 'hub' });
    expect(result.cells).toHaveLength(1);
    expect(result.rejected.map((r) => `${r.kind}:${r.id}`).sort()).toEqual(['resource:x', 'user:bad']);
  });

  it('refuses unknown actions and requests over the evaluation budget', () => {
    expect(() => engine.audit({ users: [alice], resources: apps, actions: ['fly'], context: 'hub' })).toThrow(RulesError);
    try {
      engine.audit({ users: [alice, bob], resources: apps, context: 'hub', maxEvaluations: 10 });
    } catch (error) {
      expect((error as RulesError).code).toBe(RulesErrorCode.AUDIT_TOO_LARGE);
      return;
    }
    throw new Error('expected AUDIT_TOO_LARGE');
  });
});
