import { describe, expect, it } from 'vitest';
import { RulesErrorCode } from '../rules.error';
import { makeApp, makeRule, makeStream, makeUser, ownerRef } from '../testing/fixtures';
import { RuleEngine } from './rule-engine';

const alice = makeUser({ groups: ['Sales', 'EMEA'] });
const bob = makeUser({ id: 'user-bob', userId: 'bob', groups: ['HR'] });
const app = makeApp('a1', { owner: ownerRef(bob), stream: makeStream('s1'), customProperties: { Department: ['Finance'] } });

describe('explain', () => {
  const byGroup = makeRule({ name: 'SalesTeam', resourceFilter: 'App_*', rule: 'user.group = "Sales"' });
  const byOwner = makeRule({ name: 'OwnerOnly', resourceFilter: 'App*', rule: 'resource.IsOwned() and resource.owner = user' });
  const byDept = makeRule({ name: 'Department', resourceFilter: 'App_*', rule: 'resource.@Department = user.group or user.roles = "Auditor"' });
  const negated = makeRule({ name: 'NotHR', resourceFilter: 'App_*', rule: '!(user.group = "HR")' });
  const broken = makeRule({ name: 'Broken', resourceFilter: 'App_*', rule: 'resource.nosuch = "x"' });
  const otherType = makeRule({ name: 'Streams', resourceFilter: 'Stream_*', rule: '' });
  const engine = RuleEngine.compile([byGroup, byOwner, byDept, negated, broken, otherType]);

  it('names every granting rule when allowed (no early exit)', () => {
    const result = engine.explain(alice, app, 'read', 'hub');
    expect(result.decision).toEqual({ kind: 'allow', grantedBy: expect.arrayContaining([byGroup.id, negated.id]) });
    const granted = result.candidates.filter((c) => c.outcome === 'granted').map((c) => c.ruleId);
    expect(granted.sort()).toEqual([byGroup.id, negated.id].sort());
    expect(result.text).toMatch(/^ALLOWED read \(hub\)/);
  });

  it('for a denial shows each candidate with the clause that was false and the values involved', () => {
    const carol = makeUser({ id: 'c', userId: 'carol', groups: ['HR'] });
    const result = engine.explain(carol, app, 'read', 'hub');
    expect(result.decision).toMatchObject({ kind: 'deny', reason: 'no-rule-granted' });
    const verdict = (name: string) => result.candidates.find((c) => c.ruleName === name);
    expect(verdict('SalesTeam')).toMatchObject({ outcome: 'false', falseClause: 'user.group = "Sales" is false (user.group is ["HR"])' });
    expect(verdict('NotHR')).toMatchObject({ outcome: 'false', falseClause: '!(user.group = "HR") is false because user.group = "HR" is true' });
    expect(verdict('Department')?.falseClause).toBe(
      'no alternative holds: (1) resource.@Department = user.group is false (resource.@Department is ["Finance"]; user.group is ["HR"]); (2) user.roles = "Auditor" is false (user.roles is missing)',
    );
    // Candidates are the enabled rules for this type, action and context only.
    expect(result.candidates.map((c) => c.ruleName).sort()).toEqual(['Broken', 'Department', 'NotHR', 'OwnerOnly', 'SalesTeam']);
  });

  it('points at the first false conjunct', () => {
    const carol = makeUser({ id: 'c', userId: 'carol', groups: ['HR'] });
    const result = engine.explain(carol, app, 'read', 'hub');
    expect(result.candidates.find((c) => c.ruleName === 'OwnerOnly')?.falseClause).toBe(
      'resource.owner = user is false (resource.owner is corp\\bob; user is corp\\carol)',
    );
  });

  it('lists rules that errored with their error', () => {
    const carol = makeUser({ id: 'c', userId: 'carol', groups: ['HR'] });
    const result = engine.explain(carol, app, 'read', 'hub');
    expect(result.candidates.find((c) => c.ruleName === 'Broken')).toMatchObject({ outcome: 'error', error: { code: RulesErrorCode.UNKNOWN_PATH } });
    expect(result.text).toContain("rule 'Broken'");
    expect(result.text).toContain('UNKNOWN_PATH');
  });

  it('agrees with decide() on the decision kind', () => {
    for (const user of [alice, bob, makeUser({ id: 'z', userId: 'z' })]) {
      for (const action of ['read', 'update', 'create']) {
        expect(engine.explain(user, app, action, 'hub').decision.kind).toBe(engine.decide(user, app, action, 'hub').kind);
      }
    }
  });

  it('explains a request with no candidate rule', () => {
    const result = engine.explain(alice, app, 'delete', 'hub');
    expect(result.decision).toMatchObject({ kind: 'deny', reason: 'no-candidate-rules' });
    expect(result.text).toContain('no enabled rule');
  });

  it('explains an invalid request without throwing', () => {
    expect(engine.explain(alice, app, 'teleport', 'hub').decision).toMatchObject({ reason: 'invalid-request' });
  });
});
