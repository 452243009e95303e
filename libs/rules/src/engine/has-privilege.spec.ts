import { describe, expect, it } from 'vitest';
import { RulesErrorCode } from '../rules.error';
import { makeApp, makeObject, makeRule, makeStream, makeUser } from '../testing/fixtures';
import { RuleEngine } from './rule-engine';

const alice = makeUser({ groups: ['Sales'] });
const bob = makeUser({ id: 'user-bob', userId: 'bob', groups: ['HR'] });
const salesStream = makeStream('s-sales', { customProperties: { Readers: ['Sales'] } });
const salesApp = makeApp('a-sales', { stream: salesStream });
const unpublishedApp = makeApp('a-private', { stream: null });
const publishedSheet = makeObject('o-pub', salesApp, { properties: { objectType: ['sheet'], published: ['true'], approved: ['true'] } });
const privateSheet = makeObject('o-priv', salesApp);

const streamRule = makeRule({ name: 'StreamReaders', resourceFilter: 'Stream_*', rule: 'resource.@Readers = user.group' });
const appRule = makeRule({ name: 'AppViaStream', resourceFilter: 'App_*', rule: 'resource.stream.HasPrivilege("read")' });
const objectRule = makeRule({ name: 'ObjectViaApp', resourceFilter: 'App.Object_*', rule: 'resource.published = "true" and resource.app.HasPrivilege("read")' });
const chain = RuleEngine.compile([streamRule, appRule, objectRule]);

describe('HasPrivilege', () => {
  it('grants an app when the user can read its stream', () => {
    expect(chain.decide(alice, salesApp, 'read', 'hub')).toEqual({ kind: 'allow', grantedBy: [appRule.id] });
    expect(chain.decide(bob, salesApp, 'read', 'hub')).toMatchObject({ kind: 'deny', errors: [] });
  });

  it('follows app object → app → stream', () => {
    expect(chain.isAllowed(alice, publishedSheet, 'read', 'hub')).toBe(true);
    expect(chain.isAllowed(bob, publishedSheet, 'read', 'hub')).toBe(false);
    expect(chain.isAllowed(alice, privateSheet, 'read', 'hub')).toBe(false);
  });

  it('is false (not an error) when the related resource is missing', () => {
    expect(chain.decide(alice, unpublishedApp, 'read', 'hub')).toMatchObject({ kind: 'deny', errors: [] });
    const negated = RuleEngine.compile([makeRule({ resourceFilter: 'App_*', rule: '!resource.stream.HasPrivilege("read")' })]);
    expect(negated.isAllowed(alice, unpublishedApp, 'read', 'hub')).toBe(true);
  });

  it('evaluates for the same user and context', () => {
    const managementOnlyStream = makeRule({ resourceFilter: 'Stream_*', rule: '', ruleContext: 2 });
    const engine = RuleEngine.compile([managementOnlyStream, appRule]);
    expect(engine.isAllowed(alice, salesApp, 'read', 'management')).toBe(true);
    expect(engine.isAllowed(alice, salesApp, 'read', 'hub')).toBe(false);
  });

  it('a two-rule cycle terminates and denies, reporting the cycle', () => {
    const readNeedsUpdate = makeRule({ resourceFilter: 'App_*', rule: 'resource.HasPrivilege("update")', actions: 2 });
    const updateNeedsRead = makeRule({ resourceFilter: 'App_*', rule: 'resource.HasPrivilege("read")', actions: 4 });
    const engine = RuleEngine.compile([readNeedsUpdate, updateNeedsRead]);
    const read = engine.decide(alice, salesApp, 'read', 'hub');
    expect(read.kind).toBe('deny');
    expect(read.kind === 'deny' && read.errors.map((e) => e.code)).toEqual([RulesErrorCode.NESTED_RULE_ERROR]);
    expect(read.kind === 'deny' && read.errors[0]?.message).toContain('cycle');
    expect(engine.decide(alice, salesApp, 'update', 'hub').kind).toBe('deny');
  });

  it('a self-referencing rule is a cycle', () => {
    const engine = RuleEngine.compile([makeRule({ resourceFilter: 'App_*', rule: 'resource.HasPrivilege("read")' })]);
    expect(engine.decide(alice, salesApp, 'read', 'hub')).toMatchObject({ kind: 'deny', errors: [{ code: RulesErrorCode.PRIVILEGE_CYCLE }] });
  });

  it('a cycle under negation cannot grant (fail closed)', () => {
    const engine = RuleEngine.compile([
      makeRule({ resourceFilter: 'App_*', rule: '!resource.HasPrivilege("update")', actions: 2 }),
      makeRule({ resourceFilter: 'App_*', rule: '!resource.HasPrivilege("read")', actions: 4 }),
    ]);
    expect(engine.privileges(alice, salesApp, 'hub')).toEqual([]);
  });

  it('a cycle does not hide a grant from an independent rule', () => {
    const cyclic = makeRule({ resourceFilter: 'App_*', rule: 'resource.HasPrivilege("read")' });
    const plain = makeRule({ resourceFilter: 'App_*', rule: 'user.group = "Sales"' });
    expect(RuleEngine.compile([cyclic, plain]).decide(alice, salesApp, 'read', 'hub')).toEqual({ kind: 'allow', grantedBy: [plain.id] });
  });

  it('a nested denial caused by a failing rule is an error, so negating it cannot grant', () => {
    const brokenStream = makeRule({ resourceFilter: 'Stream_*', rule: 'resource.@Readers matches "x" and user.environment.x.y = "z"' });
    const unlessStreamReadable = makeRule({ resourceFilter: 'App_*', rule: '!resource.stream.HasPrivilege("read")' });
    const engine = RuleEngine.compile([brokenStream, unlessStreamReadable]);
    const decision = engine.decide(alice, salesApp, 'read', 'hub');
    // The failure belongs to the rule that errored at this level; its message names the nested culprit.
    expect(decision).toMatchObject({ kind: 'deny', errors: [{ code: RulesErrorCode.NESTED_RULE_ERROR, ruleId: unlessStreamReadable.id }] });
    expect(decision.kind === 'deny' && decision.errors[0]?.message).toContain(`rule '${brokenStream.name}' failed`);
  });

  it('adding a rule that makes a nested decision fail does not take away an independent branch\'s grant', () => {
    // Found by the "adding a rule never removes access" property: B makes A's HasPrivilege branch
    // error (a cycle through B), and A's other, data-only branch must still grant.
    const a = makeRule({ resourceFilter: 'App_*', rule: 'resource.HasPrivilege("read") or !(resource.owner.group = user.group)', actions: 32 });
    const b = makeRule({ resourceFilter: 'App_*', rule: 'resource.HasPrivilege("update")', actions: 2 | 4 });
    const before = RuleEngine.compile([a]);
    const after = RuleEngine.compile([a, b]);
    expect(before.isAllowed(alice, unpublishedApp, 'publish', 'hub')).toBe(true);
    expect(after.isAllowed(alice, unpublishedApp, 'publish', 'hub')).toBe(true);
  });

  it('bounds the nesting depth', () => {
    const shallow = RuleEngine.compile([streamRule, appRule, objectRule], { maxPrivilegeDepth: 1 });
    expect(shallow.isAllowed(alice, salesApp, 'read', 'hub')).toBe(true);
    expect(shallow.decide(alice, publishedSheet, 'read', 'hub')).toMatchObject({ kind: 'deny', errors: [{ code: RulesErrorCode.NESTED_RULE_ERROR }] });
    const decision = shallow.decide(alice, publishedSheet, 'read', 'hub');
    expect(decision.kind === 'deny' && decision.errors[0]?.message).toContain('deeper than 1');
  });

  it('gives the same answers in a list (shared memo) as one by one', () => {
    const streams = ['Sales', 'HR', 'IT'].map((g, i) => makeStream(`s${i}`, { customProperties: { Readers: [g] } }));
    const apps = Array.from({ length: 30 }, (_, i) => makeApp(`a${i}`, { stream: i % 4 === 3 ? null : (streams[i % 3] ?? null) }));
    for (const user of [alice, bob]) {
      const oneByOne = apps.filter((a) => chain.isAllowed(user, a, 'read', 'hub'));
      expect(chain.filter(user, apps, 'read', 'hub')).toEqual(oneByOne);
      const expectedGroup = user.groups[0];
      expect(oneByOne.every((a) => a.stream?.customProperties?.['Readers']?.[0] === expectedGroup)).toBe(true);
      expect(oneByOne.length).toBe(apps.filter((a) => a.stream?.customProperties?.['Readers']?.[0] === expectedGroup).length);
    }
  });
});
