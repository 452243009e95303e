import { describe, expect, it } from 'vitest';
import type { Decision } from '../model/decision';
import type { RuleEntity } from '../model/rule-entity';
import type { RequestContext, Resource, User } from '../model/subject';
import { RulesErrorCode } from '../rules.error';
import { makeApp, makeRule, makeStream, makeUser, ownerRef } from '../testing/fixtures';
import { RuleEngine } from './rule-engine';

const alice = makeUser({ groups: ['Sales', 'EMEA'], roles: ['Analyst'], customProperties: { Region: ['North'] } });
const app = makeApp('app-1', { name: 'Quarterly Sales', customProperties: { Department: ['sales', 'finance'], Region: ['North'] } });

function decide(rules: RuleEntity[], user: User = alice, resource: Resource = app, action = 'read', context: RequestContext = 'hub'): Decision {
  const engine = RuleEngine.compile(rules);
  expect(engine.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return engine.decide(user, resource, action, context);
}

const allowed = (condition: string, user: User = alice, resource: Resource = app): boolean =>
  decide([makeRule({ resourceFilter: 'App_*', rule: condition })], user, resource).kind === 'allow';

describe('combination', () => {
  it('denies by default when no rule exists', () => {
    expect(decide([])).toEqual({ kind: 'deny', reason: 'no-candidate-rules', errors: [] });
  });

  it('denies when candidate rules exist but none is true', () => {
    expect(decide([makeRule({ resourceFilter: 'App_*', rule: 'user.group = "Nobody"' })])).toMatchObject({ kind: 'deny', reason: 'no-rule-granted' });
  });

  it('grants the union: any one true rule with the action bit allows', () => {
    const no = makeRule({ resourceFilter: 'App_*', rule: 'user.group = "Nobody"' });
    const yes = makeRule({ resourceFilter: 'App_*', rule: 'user.group = "Sales"' });
    expect(decide([no, yes])).toEqual({ kind: 'allow', grantedBy: [yes.id] });
    expect(decide([yes, no])).toEqual({ kind: 'allow', grantedBy: [yes.id] });
  });

  it('combines actions across rules (read from one, update from another)', () => {
    const engine = RuleEngine.compile([
      makeRule({ resourceFilter: 'App_*', rule: 'user.group = "Sales"', actions: 2 }),
      makeRule({ resourceFilter: 'App_*', rule: 'user.group = "EMEA"', actions: 4 | 32 }),
    ]);
    expect(engine.privileges(alice, app, 'hub')).toEqual(['read', 'update', 'publish']);
  });

  it('requires the action bit: Read+Publish (34) grants neither update nor delete', () => {
    const engine = RuleEngine.compile([makeRule({ resourceFilter: 'App_*', rule: '', actions: 34 })]);
    expect(engine.privileges(alice, app, 'hub')).toEqual(['read', 'publish']);
  });

  it('an empty condition is true for everything the filter matches, and nothing else', () => {
    const engine = RuleEngine.compile([makeRule({ resourceFilter: 'Stream_*', rule: '' })]);
    expect(engine.isAllowed(alice, makeStream('s1'), 'read', 'hub')).toBe(true);
    expect(engine.isAllowed(alice, app, 'read', 'hub')).toBe(false);
  });

  it('disabled rules grant nothing', () => {
    expect(decide([makeRule({ resourceFilter: 'App_*', rule: '', disabled: true })]).kind).toBe('deny');
  });

  it.each([
    [0, 'hub', true],
    [0, 'management', true],
    [1, 'hub', true],
    [1, 'management', false],
    [2, 'hub', false],
    [2, 'management', true],
  ] as const)('ruleContext %d applies in %s: %s', (ruleContext, context, expected) => {
    expect(decide([makeRule({ resourceFilter: 'App_*', rule: '', ruleContext })], alice, app, 'read', context).kind === 'allow').toBe(expected);
  });

  it('touches only candidate rules: a broken rule for another type or action is never evaluated', () => {
    const brokenStreamRule = makeRule({ resourceFilter: 'Stream_*', rule: 'resource.nosuch = "x"' });
    const brokenUpdateRule = makeRule({ resourceFilter: 'App_*', rule: 'resource.nosuch = "x"', actions: 4 });
    const brokenOtherApp = makeRule({ resourceFilter: 'App_another-id', rule: 'resource.nosuch = "x"' });
    expect(decide([brokenStreamRule, brokenUpdateRule, brokenOtherApp])).toEqual({ kind: 'deny', reason: 'no-candidate-rules', errors: [] });
    // …while the same broken rule on this app's id is a candidate and reports its error.
    const brokenThisApp = makeRule({ resourceFilter: `App_${app.id}`, rule: 'resource.nosuch = "x"' });
    expect(decide([brokenThisApp])).toMatchObject({ kind: 'deny', errors: [{ ruleId: brokenThisApp.id, code: RulesErrorCode.UNKNOWN_PATH }] });
  });
});

describe('comparison operators', () => {
  it('= is case-insensitive, == is case-sensitive', () => {
    expect(allowed('user.group = "sales"')).toBe(true);
    expect(allowed('user.group == "sales"')).toBe(false);
    expect(allowed('user.group == "Sales"')).toBe(true);
  });

  it('!= is case-insensitive, !== is case-sensitive', () => {
    const single = makeUser({ groups: ['Sales'] });
    expect(allowed('user.group != "SALES"', single)).toBe(false);
    expect(allowed('user.group !== "SALES"', single)).toBe(true);
    expect(allowed('user.group !== "Sales"', single)).toBe(false);
  });

  it('= on a multi-valued property is true when ANY value matches', () => {
    expect(allowed('user.group = "EMEA"')).toBe(true);
    expect(allowed('user.group = "APAC"')).toBe(false);
  });

  it('!= on a multi-valued property is true when ANY value differs — unlike !(… = …)', () => {
    // alice is in Sales and EMEA: some group differs from Sales…
    expect(allowed('user.group != "Sales"')).toBe(true);
    // …but she IS in Sales, so the exclusion idiom denies.
    expect(allowed('!(user.group = "Sales")')).toBe(false);
  });

  it('compares two multi-valued sides pairwise (any pair)', () => {
    // Department [sales, finance] vs groups [Sales, EMEA]: the pair (sales, Sales) matches.
    expect(allowed('resource.@Department = user.group')).toBe(true);
    expect(allowed('resource.@Department = user.roles')).toBe(false);
    // Some pair differs, so != holds even though one pair is equal.
    expect(allowed('resource.@Department != user.group')).toBe(true);
  });

  it('compares property to property on single values', () => {
    expect(allowed('resource.@Region = user.@Region')).toBe(true);
    expect(allowed('resource.@Region = user.@Region', makeUser({ customProperties: { Region: ['South'] } }))).toBe(false);
  });

  it('a missing property is false with every operator', () => {
    for (const op of ['=', '!=', '==', '!==', 'like', 'matches']) {
      expect(allowed(`resource.@Missing ${op} "x"`)).toBe(false);
      expect(allowed(`user.@Missing ${op} "x"`)).toBe(false);
    }
    expect(allowed('resource.@Missing = user.group')).toBe(false);
    expect(allowed('resource.@Missing != user.group')).toBe(false);
    // An empty list is missing too.
    expect(allowed('user.group != "x"', makeUser({ groups: [] }))).toBe(false);
  });

  it('like is a case-insensitive glob over the whole value', () => {
    expect(allowed('resource.name like "quarterly*"')).toBe(true);
    expect(allowed('resource.name like "*SALES"')).toBe(true);
    expect(allowed('resource.name like "*erly*al*"')).toBe(true);
    expect(allowed('resource.name like "Sales*"')).toBe(false);
    expect(allowed('resource.name like "Quarterly"')).toBe(false);
  });

  it('* on the right of = is a plain character', () => {
    expect(allowed('resource.name = "Quarterly*"')).toBe(false);
    expect(allowed('resource.name = "Q*"', alice, makeApp('x', { name: 'Q*' }))).toBe(true);
  });

  it('matches is an implicitly anchored, case-insensitive regular expression', () => {
    expect(allowed('resource.name matches "quarterly \\w+"')).toBe(true);
    expect(allowed('resource.name matches "Sales"')).toBe(false);
    expect(allowed('resource.name matches ".*SALES"')).toBe(true);
  });

  it('an invalid matches pattern is a compile error with its position, and the rule is not loaded', () => {
    const engine = RuleEngine.compile([makeRule({ resourceFilter: 'App_*', rule: 'resource.name = "x" or\n resource.name matches "(a)\\1"' })]);
    expect(engine.problems).toMatchObject([{ field: 'rule', severity: 'error', code: RulesErrorCode.UNSUPPORTED_REGEX, line: 2, column: 24 }]);
    expect(engine.rules).toHaveLength(0);
  });

  it('booleans compare as the strings "true"/"false"', () => {
    const published = makeApp('p', { stream: makeStream('s'), properties: { published: ['true'] } });
    expect(allowed('resource.published = "true"', alice, published)).toBe(true);
    expect(allowed('resource.published = "TRUE"', alice, published)).toBe(true);
    expect(allowed('resource.published = "false"', alice, published)).toBe(false);
  });
});

describe('boolean structure', () => {
  const cases: [string, boolean][] = [];
  const T = 'user.group = "Sales"';
  const F = 'user.group = "Nobody"';
  for (const a of [true, false]) for (const b of [true, false]) for (const c of [true, false]) {
    const [ta, tb, tc] = [a ? T : F, b ? T : F, c ? T : F];
    cases.push([`!${'('}${ta}) and ${tb} or ${tc}`, (!a && b) || c]);
    cases.push([`${ta} or ${tb} and !(${tc})`, a || (b && !c)]);
    cases.push([`(${ta} or ${tb}) and ${tc}`, (a || b) && c]);
    cases.push([`${ta} || ${tb} && ${tc}`, a || (b && c)]);
  }
  it.each(cases)('precedence NOT > AND > OR: %s → %s', (condition, expected) => {
    expect(allowed(condition)).toBe(expected);
  });
});

describe('entities, functions and environment', () => {
  const bob = makeUser({ id: 'user-bob', userId: 'bob', name: 'Bob', groups: ['Sales'] });
  const owned = makeApp('owned', { owner: ownerRef(alice) });

  it('resource.owner = user compares identities (directory\\userId, case-insensitively)', () => {
    expect(allowed('resource.owner = user', alice, owned)).toBe(true);
    expect(allowed('resource.owner = user', bob, owned)).toBe(false);
    const sameUserOtherCase = makeUser({ userId: 'ALICE', userDirectory: 'corp' });
    expect(allowed('resource.owner = user', sameUserOtherCase, owned)).toBe(true);
    expect(allowed('resource.owner != user', bob, owned)).toBe(true);
    expect(allowed('resource.owner = user', alice, app)).toBe(false);
    expect(allowed('resource.owner != user', alice, app)).toBe(false);
  });

  it('reads owner properties', () => {
    expect(allowed('resource.owner.name = "alice" and resource.owner.group = user.group', bob, owned)).toBe(true);
  });

  it('resource.IsOwned() is true only for resources with an owner', () => {
    expect(allowed('resource.IsOwned()', bob, owned)).toBe(true);
    expect(allowed('resource.IsOwned()', bob, app)).toBe(false);
  });

  it('user.IsAnonymous() reflects the anonymous flag', () => {
    expect(allowed('user.IsAnonymous()', makeUser({ anonymous: true }))).toBe(true);
    expect(allowed('user.IsAnonymous()')).toBe(false);
  });

  it('Empty() is true on an unpublished app\'s stream and false on a published one', () => {
    const unpublished = makeApp('u', { stream: null });
    const published = makeApp('p', { stream: makeStream('s') });
    expect(allowed('resource.stream.Empty()', alice, unpublished)).toBe(true);
    expect(allowed('resource.stream.Empty()', alice, published)).toBe(false);
    expect(allowed('resource.stream.name = "Stream s"', alice, unpublished)).toBe(false);
    expect(allowed('resource.@Missing.Empty() and !resource.@Department.Empty()')).toBe(true);
  });

  it('user.environment.* reads session attributes, names case-insensitively', () => {
    const session = makeUser({ environment: { Group: ['Partners'], browser: ['Firefox 128'] } });
    expect(allowed('user.environment.group = "partners"', session)).toBe(true);
    expect(allowed('user.environment.browser like "firefox*"', session)).toBe(true);
    // Session attributes are not user properties.
    expect(allowed('user.group = "Partners"', session)).toBe(false);
  });

  it('user.environment.context comes from the request context and cannot be spoofed by an attribute', () => {
    const spoofing = makeUser({ environment: { context: ['ManagementAccess'] } });
    const rule = makeRule({ resourceFilter: 'App_*', rule: 'user.environment.context = "ManagementAccess"' });
    expect(decide([rule], spoofing, app, 'read', 'hub').kind).toBe('deny');
    expect(decide([rule], spoofing, app, 'read', 'management').kind).toBe('allow');
  });

  it('a prototype key is just a missing custom property', () => {
    expect(allowed('resource.@constructor = "x" or resource.@__proto__ = "x" or user.environment.toString = "x"')).toBe(false);
  });
});

describe('rules that fail to evaluate', () => {
  it.each([
    ['resource.nosuch = "x"', RulesErrorCode.UNKNOWN_PATH],
    ['owner.name = "x"', RulesErrorCode.UNKNOWN_PATH],
    ['user.environment = "x"', RulesErrorCode.UNKNOWN_PATH],
    ['resource.name.first = "x"', RulesErrorCode.UNKNOWN_PATH],
    ['resource.Frobnicate()', RulesErrorCode.UNKNOWN_FUNCTION],
    ['resource.IsAnonymous()', RulesErrorCode.UNKNOWN_FUNCTION],
    ['resource.owner = "alice"', RulesErrorCode.TYPE_MISMATCH],
    ['resource.owner like "a*"', RulesErrorCode.TYPE_MISMATCH],
    ['resource.stream.HasPrivilege("fly")', RulesErrorCode.BAD_ARGUMENT],
    ['resource.Empty("x")', RulesErrorCode.BAD_ARGUMENT],
  ])('%s grants nothing and is reported as %s', (condition, code) => {
    const broken = makeRule({ resourceFilter: 'App_*', rule: condition });
    const engine = RuleEngine.compile([broken]);
    expect(engine.problems).toMatchObject([{ ruleId: broken.id, severity: 'evaluation', code }]);
    expect(engine.decide(alice, app, 'read', 'hub')).toMatchObject({ kind: 'deny', reason: 'no-rule-granted', errors: [{ ruleId: broken.id, code }] });
  });

  it('a static error makes the whole rule fail even when another branch is true — and even under !', () => {
    expect(allowed('user.group = "Sales" or resource.nosuch = "x"')).toBe(false);
    expect(allowed('!(resource.nosuch = "x")')).toBe(false);
  });

  it('three-valued logic: a true branch of an or is not lost when a sibling errors at runtime', () => {
    const cyclic = 'resource.HasPrivilege("read")';
    expect(allowed(`${cyclic} or user.group = "Sales"`)).toBe(true);
    expect(allowed(`user.group = "Sales" or ${cyclic}`)).toBe(true);
    // …but an unknown is never turned into a grant: not by `or` with a false sibling, not by `!`.
    expect(decide([makeRule({ resourceFilter: 'App_*', rule: `${cyclic} or user.group = "Nobody"` })])).toMatchObject({ kind: 'deny', errors: [{ code: RulesErrorCode.PRIVILEGE_CYCLE }] });
    expect(decide([makeRule({ resourceFilter: 'App_*', rule: `!(${cyclic})` })])).toMatchObject({ kind: 'deny', errors: [{ code: RulesErrorCode.PRIVILEGE_CYCLE }] });
    expect(decide([makeRule({ resourceFilter: 'App_*', rule: `!(${cyclic} and user.group = "Sales")` })])).toMatchObject({ kind: 'deny', errors: [{ code: RulesErrorCode.PRIVILEGE_CYCLE }] });
  });

  it('an erroring rule does not block another rule\'s grant', () => {
    const broken = makeRule({ resourceFilter: 'App_*', rule: 'resource.nosuch = "x"' });
    const good = makeRule({ resourceFilter: 'App_*', rule: 'user.group = "Sales"' });
    expect(decide([broken, good])).toEqual({ kind: 'allow', grantedBy: [good.id] });
  });

  it('malformed snapshot values are an evaluation error, not a silent false under !', () => {
    const weird = { ...app, customProperties: { Department: 'not-a-list' as unknown as string[] }, name: 42 as unknown as string };
    expect(decide([makeRule({ resourceFilter: 'App_*', rule: '!(resource.name = "x")' })], alice, weird)).toMatchObject({
      kind: 'deny',
      errors: [{ code: RulesErrorCode.INVALID_INPUT }],
    });
  });
});

describe('request validation', () => {
  const engine = RuleEngine.compile([makeRule({ resourceFilter: '*', rule: '' })]);

  it('denies an unknown action, context, malformed user or resource with invalid-request', () => {
    expect(engine.decide(alice, app, 'fly', 'hub')).toMatchObject({ kind: 'deny', reason: 'invalid-request', errors: [{ code: RulesErrorCode.UNKNOWN_ACTION }] });
    expect(engine.decide(alice, app, 'read', 'admin' as RequestContext)).toMatchObject({ kind: 'deny', reason: 'invalid-request' });
    expect(engine.decide({ ...alice, groups: 'x' } as unknown as User, app, 'read', 'hub')).toMatchObject({ reason: 'invalid-request' });
    expect(engine.decide(null as unknown as User, app, 'read', 'hub')).toMatchObject({ reason: 'invalid-request' });
    expect(engine.decide(alice, { name: 'no type' } as unknown as Resource, 'read', 'hub')).toMatchObject({ reason: 'invalid-request' });
  });

  it('accepts action names case-insensitively', () => {
    expect(engine.decide(alice, app, 'READ', 'hub').kind).toBe('allow');
  });
});

describe('lists and privileges', () => {
  it('filter() returns exactly the resources a user may read, in order', () => {
    const engine = RuleEngine.compile([makeRule({ resourceFilter: 'App_*', rule: 'resource.@Department = user.group' })]);
    const apps = ['sales', 'hr', 'EMEA', 'it', 'finance'].map((dept, i) => makeApp(`a${i}`, { customProperties: { Department: [dept] } }));
    const expected = apps.filter((a) => a.customProperties?.['Department']?.some((d) => alice.groups.some((g) => g.toLowerCase() === d.toLowerCase())));
    expect(engine.filter(alice, apps, 'read', 'hub')).toEqual(expected);
  });

  it('filter() skips malformed entries instead of throwing', () => {
    const engine = RuleEngine.compile([makeRule({ resourceFilter: 'App_*', rule: '' })]);
    expect(engine.filter(alice, [app, null as unknown as Resource, app], 'read', 'hub')).toEqual([app, app]);
  });
});

describe('rule index shortcuts (Kleene AND)', () => {
  it('a rule reached only through a resource literal grants', () => {
    const rule = makeRule({ resourceFilter: 'App_*', rule: 'resource.@Department = "FINANCE" and resource.name like "*sales"' });
    expect(decide([rule])).toEqual({ kind: 'allow', grantedBy: [rule.id] });
    expect(decide([rule], alice, makeApp('other', { customProperties: { Department: ['hr'] } })).kind).toBe('deny');
  });

  it('a resource with the same value twice evaluates the rule once', () => {
    const rule = makeRule({ resourceFilter: 'App_*', rule: 'resource.@Department = "sales"' });
    const twice = makeApp('twice', { customProperties: { Department: ['Sales', 'SALES'] } });
    const engine = RuleEngine.compile([rule]);
    expect(engine.explain(alice, twice, 'read', 'hub').decision).toEqual({ kind: 'allow', grantedBy: [rule.id] });
    expect(engine.audit({ users: [alice], resources: [twice], actions: ['read'], context: 'hub' }).cells[0]?.granted).toEqual([{ action: 'read', grantedBy: [rule.id] }]);
  });

  it('an unreadable guarded value still runs the rule, which reports it', () => {
    const rule = makeRule({ resourceFilter: 'App_*', rule: 'resource.@Department = "sales"' });
    const broken = makeApp('broken', { customProperties: { Department: [42] as unknown as string[] } });
    expect(decide([rule], alice, broken)).toMatchObject({ kind: 'deny', errors: [{ ruleId: rule.id, code: RulesErrorCode.INVALID_INPUT }] });
  });

  it('a false conjunct makes the rule false even where another conjunct would error', () => {
    // Sequential evaluation would hit the cycle first; the rule is false whatever that cycle does.
    const rule = makeRule({ resourceFilter: 'App_*', rule: 'resource.HasPrivilege("read") and user.group = "Nobody"' });
    expect(decide([rule])).toEqual({ kind: 'deny', reason: 'no-rule-granted', errors: [] });
    // With the user in the group, the conjunct holds and the cycle is reported.
    expect(decide([rule], makeUser({ groups: ['nobody'] }))).toMatchObject({ kind: 'deny', errors: [{ code: RulesErrorCode.PRIVILEGE_CYCLE }] });
  });

  it('the reference path (shortcuts off) reports the same decisions', () => {
    const rules = [
      makeRule({ resourceFilter: 'App_*', rule: 'resource.@Department = "finance" and user.group = "Sales"' }),
      makeRule({ resourceFilter: 'App_*', rule: 'user.group = "EMEA" and resource.@Region = "north"', actions: 4 }),
    ];
    const fast = RuleEngine.compile(rules);
    const reference = RuleEngine.compile(rules, { shortcuts: false });
    for (const user of [alice, makeUser({ groups: ['HR'] })]) {
      expect(fast.privileges(user, app, 'hub')).toEqual(reference.privileges(user, app, 'hub'));
    }
    expect(fast.privileges(alice, app, 'hub')).toEqual(['read', 'update']);
  });
});
