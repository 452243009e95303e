import fc from 'fast-check';
import { parseCondition, RuleEngine, RuleParseError, type RuleEntity } from '@trustzone/rules';
import { conditionArb, requestArb, resourceArb, ruleArb, userArb } from '@trustzone/rules/src/testing/rule-arbitraries';
import { mutated, timed, tokenSoup, toResult, type FuzzTarget } from './fuzz-target';

/** One parse or one decision must stay far below a request's budget, whatever the rule text. */
const MAX_PARSE_MS = 250;
const MAX_DECIDE_MS = 250;

const RULE_TOKENS = [
  'user', 'resource', '.', 'name', 'group', 'roles', '@Dept', 'environment', 'owner', 'stream', 'app', '=', '!=', '==', '!==', 'like', 'matches',
  '"x"', '"Sales"', '"*"', '"(a+)+$"', '"\\\\"', '"\\""', '(', ')', 'and', 'or', '!', '&&', '||', 'HasPrivilege', '("read")', '.Empty()', '.IsAnonymous()',
  'IsOwned()', ',', '"', '*', 'resource.stream.HasPrivilege("read")', 'user.environment.group', '"[a-z]{1000}"', '((((', '))))', '!!!!',
];

/** Conditions from everywhere: valid ones, near-misses, token soups and plain noise. */
export const anyCondition: fc.Arbitrary<string> = fc.oneof(conditionArb(true), mutated(conditionArb(true)), tokenSoup(RULE_TOKENS), fc.string({ maxLength: 200 }), fc.nat({ max: 5000 }).map((n) => '('.repeat(n)));

/** Regex patterns over the characters that make engines backtrack. */
const regexPattern = fc.string({ unit: fc.constantFrom('a', 'b', '(', ')', '|', '*', '+', '?', '{', '}', '2', ',', '[', ']', '^', '$', '.', '\\'), maxLength: 24 });

const anyRule: fc.Arbitrary<RuleEntity> = fc.tuple(ruleArb(true), anyCondition, fc.oneof(fc.constantFrom('App_*', 'Stream_*', '*', 'App*'), fc.string({ maxLength: 20 }))).map(([r, rule, resourceFilter]) => ({ ...r, rule, resourceFilter }));

export const ruleTargets: FuzzTarget[] = [
  {
    name: 'rule-parser',
    stride: 'Denial of service',
    claim: 'parsing any rule condition returns or throws RuleParseError (with a position), never anything else, within 250 ms',
    testRuns: 300,
    live: false,
    async check(seed, numRuns) {
      return toResult(fc.check(fc.property(anyCondition, (text) => {
        const r = timed(() => parseCondition(text));
        if (r.error !== undefined && !(r.error instanceof RuleParseError)) throw new Error(`unexpected ${String(r.error)}`);
        if (r.error instanceof RuleParseError && !(r.error.line >= 1 && r.error.column >= 1)) throw new Error('parse error without a position');
        return r.ms < MAX_PARSE_MS;
      }), { seed, numRuns }));
    },
  },
  {
    name: 'rule-engine',
    stride: 'Denial of service',
    claim: 'compiling any rule set (invalid rules included) and deciding any request never throws, yields allow/deny only, within 250 ms per decision',
    testRuns: 100,
    live: false,
    async check(seed, numRuns) {
      return toResult(fc.check(fc.property(fc.array(anyRule, { maxLength: 6 }), fc.array(requestArb, { minLength: 1, maxLength: 4 }), (rules, requests) => {
        const engine = RuleEngine.compile(rules);
        for (const q of requests) {
          const r = timed(() => engine.decide(q.user, q.resource, q.action, q.context));
          if (r.error !== undefined) throw r.error;
          if (r.value?.kind !== 'allow' && r.value?.kind !== 'deny') return false;
          if (r.ms > MAX_DECIDE_MS) return false;
        }
        return true;
      }), { seed, numRuns }));
    },
  },
  {
    name: 'rule-regex',
    stride: 'Denial of service',
    claim: 'a `matches` rule with any pattern (catastrophic backtracking shapes included) decides within 250 ms on names up to 64 characters',
    testRuns: 200,
    live: false,
    async check(seed, numRuns) {
      return toResult(fc.check(fc.property(regexPattern, fc.string({ unit: fc.constantFrom('a', 'b', '!'), maxLength: 64 }), userArb, (pattern, name, user) => {
        const rule: RuleEntity = { id: 'r', name: 'regex', resourceFilter: 'Stream_*', rule: `resource.name matches ${JSON.stringify(pattern)}`, actions: 2, ruleContext: 0, disabled: false };
        const engine = RuleEngine.compile([rule]);
        const r = timed(() => engine.decide(user, { resourcetype: 'Stream', id: 's1', name }, 'read', 'hub'));
        if (r.error !== undefined) throw r.error;
        return r.ms < MAX_DECIDE_MS;
      }), { seed, numRuns }));
    },
  },
  {
    name: 'rule-monotone',
    stride: 'Elevation of privilege',
    claim: 'adding a rule never removes access (rule sets without negated HasPrivilege, which is non-monotone by nature)',
    testRuns: 150,
    live: false,
    async check(seed, numRuns) {
      return toResult(fc.check(fc.property(fc.array(ruleArb(false, fc.constant(false)), { maxLength: 6 }), ruleArb(false), fc.array(requestArb, { minLength: 1, maxLength: 6 }), (rules, extra, requests) => {
        const before = RuleEngine.compile(rules);
        const after = RuleEngine.compile([...rules, extra]);
        return requests.every((q) => !before.isAllowed(q.user, q.resource, q.action, q.context) || after.isAllowed(q.user, q.resource, q.action, q.context));
      }), { seed, numRuns }));
    },
  },
  {
    name: 'rule-filter',
    stride: 'Information disclosure',
    claim: 'list filtering returns exactly the resources a one-by-one decision allows (a list never shows what a read would deny)',
    testRuns: 100,
    live: false,
    async check(seed, numRuns) {
      return toResult(fc.check(fc.property(fc.array(anyRule, { maxLength: 6 }), userArb, fc.array(resourceArb, { maxLength: 8 }), (rules, user, resources) => {
        const engine = RuleEngine.compile(rules);
        const listed = engine.filter(user, resources, 'read', 'hub');
        return JSON.stringify(listed) === JSON.stringify(resources.filter((r) => engine.isAllowed(user, r, 'read', 'hub')));
      }), { seed, numRuns }));
    },
  },
];
