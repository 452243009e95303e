import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../model/decision';
import type { RuleEntity } from '../model/rule-entity';
import type { RequestContext, Resource, User } from '../model/subject';
import { ACTIONS, CONTEXTS, requestArb, resourceArb, ruleArb, userArb } from '../testing/rule-arbitraries';
import { RuleEngine } from './rule-engine';

const RUNS = 300;

function isDecision(d: Decision): boolean {
  return (d.kind === 'allow' && d.grantedBy.length > 0) || (d.kind === 'deny' && ['no-candidate-rules', 'no-rule-granted', 'invalid-request'].includes(d.reason));
}

describe('engine properties', () => {
  it('adding a rule never removes access (rule sets without negated HasPrivilege)', () => {
    // Negating HasPrivilege is non-monotonic by nature: granting the stream makes
    // `!resource.stream.HasPrivilege("read")` false. Everything else must be monotone.
    let grantsChecked = 0;
    fc.assert(
      fc.property(fc.array(ruleArb(false, fc.constant(false)), { maxLength: 6 }), ruleArb(false), fc.array(requestArb, { minLength: 1, maxLength: 8 }), (rules, extra, requests) => {
        const before = RuleEngine.compile(rules);
        const after = RuleEngine.compile([...rules, extra]);
        for (const r of requests) {
          if (before.isAllowed(r.user, r.resource, r.action, r.context)) {
            grantsChecked++;
            expect(after.isAllowed(r.user, r.resource, r.action, r.context)).toBe(true);
          }
        }
      }),
      { numRuns: RUNS },
    );
    // Guard against a vacuous property: the generators must produce real grants.
    expect(grantsChecked).toBeGreaterThan(RUNS / 10);
  });

  it('a disabled rule never grants: decisions are identical with or without it', () => {
    let wouldGrant = 0;
    fc.assert(
      fc.property(fc.array(ruleArb(true), { maxLength: 6 }), ruleArb(true, fc.constant(true)), fc.array(requestArb, { minLength: 1, maxLength: 8 }), (rules, disabled, requests) => {
        const without = RuleEngine.compile(rules);
        const withIt = RuleEngine.compile([...rules, disabled]);
        // The same rule enabled must be able to matter, or this property would say nothing.
        const enabled = RuleEngine.compile([...rules, { ...disabled, disabled: false }]);
        for (const r of requests) {
          if (enabled.isAllowed(r.user, r.resource, r.action, r.context) && !without.isAllowed(r.user, r.resource, r.action, r.context)) wouldGrant++;
          expect(withIt.decide(r.user, r.resource, r.action, r.context)).toEqual(without.decide(r.user, r.resource, r.action, r.context));
        }
      }),
      { numRuns: RUNS },
    );
    expect(wouldGrant).toBeGreaterThan(RUNS / 20);
  });

  it('explain agrees with decide and filter agrees with one-by-one decisions', () => {
    fc.assert(
      fc.property(fc.array(ruleArb(true), { maxLength: 6 }), userArb, fc.array(resourceArb, { maxLength: 6 }), fc.constantFrom(...ACTIONS), fc.constantFrom(...CONTEXTS), (rules, user, resources, action, context) => {
        const engine = RuleEngine.compile(rules);
        for (const resource of resources) {
          expect(engine.explain(user, resource, action, context).decision.kind).toBe(engine.decide(user, resource, action, context).kind);
        }
        expect(engine.filter(user, resources, action, context)).toEqual(resources.filter((r) => engine.isAllowed(user, r, action, context)));
      }),
      { numRuns: RUNS },
    );
  });

  it('the index shortcuts (user-only guards, literal buckets) never change a decision', () => {
    // Without negated HasPrivilege, "false" and "error" both deny, so Kleene-AND skipping must
    // give exactly the decisions of evaluating every candidate rule in full.
    let allowed = 0;
    fc.assert(
      fc.property(fc.array(ruleArb(false, fc.constant(false)), { maxLength: 8 }), fc.array(requestArb, { minLength: 1, maxLength: 8 }), (rules, requests) => {
        const fast = RuleEngine.compile(rules);
        const reference = RuleEngine.compile(rules, { shortcuts: false });
        for (const r of requests) {
          const kind = reference.decide(r.user, r.resource, r.action, r.context).kind;
          if (kind === 'allow') allowed++;
          expect(fast.decide(r.user, r.resource, r.action, r.context).kind).toBe(kind);
          expect(fast.filter(r.user, [r.resource, r.resource], r.action, r.context).length).toBe(kind === 'allow' ? 2 : 0);
        }
      }),
      { numRuns: RUNS },
    );
    expect(allowed).toBeGreaterThan(RUNS / 10);
  });

  it('never throws on random rule text and random entities', () => {
    const tokens = fc.constantFrom('user', 'resource', '.', 'group', '@x', 'stream', '=', '!=', '==', 'like', 'matches', '"a*"', '"(a+)+"', '(', ')', '!', 'and', 'or', '&&', 'HasPrivilege("read")', 'Empty()', ' ', '\n', 'AND', '"');
    const ruleText = fc.oneof(fc.string({ maxLength: 40 }), fc.array(tokens, { maxLength: 25 }).map((t) => t.join(' ')), fc.array(tokens, { maxLength: 25 }).map((t) => t.join('')));
    const weird = fc.anything({ maxDepth: 3 });
    const entity = fc.oneof(resourceArb, weird, fc.record({ resourcetype: fc.constantFrom('App', 'Stream'), id: fc.string(), name: weird, properties: weird, customProperties: weird, owner: weird, stream: weird, app: weird }));
    const user = fc.oneof(userArb, weird, userArb.chain((u) => fc.record({ groups: weird, environment: weird }).map((bad) => ({ ...u, ...(bad as object) }))));
    const rule = fc.record({ id: fc.oneof(fc.uuid(), weird), name: fc.oneof(fc.constant('R'), weird), resourceFilter: fc.oneof(fc.constantFrom('*', 'App*', 'App_*'), fc.string()), rule: fc.oneof(ruleText, weird), actions: fc.oneof(fc.integer(), weird), ruleContext: fc.oneof(fc.constantFrom(0, 1, 2), weird), disabled: fc.oneof(fc.boolean(), weird) });
    fc.assert(
      fc.property(fc.array(fc.oneof(rule, weird), { maxLength: 5 }), user, fc.array(entity, { maxLength: 4 }), fc.oneof(fc.constantFrom(...ACTIONS), fc.string()), fc.constantFrom<RequestContext | string>('hub', 'management', 'x'), (rules, u, entities, action, context) => {
        const engine = RuleEngine.compile(rules as never);
        const ctx = context as RequestContext;
        for (const e of entities) {
          expect(isDecision(engine.decide(u as User, e as Resource, action, ctx))).toBe(true);
          expect(isDecision(engine.explain(u as User, e as Resource, action, ctx).decision)).toBe(true);
          expect(Array.isArray(engine.privileges(u as User, e as Resource, ctx))).toBe(true);
        }
        expect(Array.isArray(engine.filter(u as User, entities as Resource[], action, ctx))).toBe(true);
        const matrix = engine.audit({ users: [u as User], resources: entities as Resource[], actions: ['read', 'update'], context: ctx });
        expect(Array.isArray(matrix.cells)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('compiling a rule whose fields are hostile objects reports problems instead of throwing (regression: seed -2017998056)', () => {
    const hostile = { toString: '' } as unknown;
    const engine = RuleEngine.compile([{ id: {}, name: 'R', resourceFilter: '', rule: false, actions: false, ruleContext: hostile, disabled: false } as unknown as RuleEntity]);
    expect(engine.rules).toHaveLength(0);
    expect(engine.problems.map((p) => p.field)).toEqual(expect.arrayContaining(['id', 'actions', 'ruleContext']));
  });
});
