import fc from 'fast-check';
import type { RuleEntity } from '../model/rule-entity';
import type { RequestContext, Resource, User, UserRef } from '../model/subject';

/** fast-check generators over a small vocabulary, so random rules and entities actually meet. */
const GROUPS = ['Sales', 'sales', 'HR', 'IT', 'Ops'];
const NAMES = ['alpha', 'Beta', 'gamma', 'Sales Report', 'x*'];
const STREAM_IDS = ['s1', 's2', 's3'];
export const ACTIONS = ['read', 'update', 'publish', 'create', 'delete'];
export const CONTEXTS: RequestContext[] = ['hub', 'management'];

const word = fc.constantFrom(...GROUPS, ...NAMES);
const words = fc.array(word, { maxLength: 3 });

export const userArb: fc.Arbitrary<User> = fc.record({
  id: fc.constantFrom('u1', 'u2', 'u3'),
  userId: fc.constantFrom('alice', 'bob', 'carol'),
  userDirectory: fc.constantFrom('CORP', 'corp'),
  name: word,
  email: fc.constant('x@example.test'),
  roles: fc.array(fc.constantFrom('RootAdmin', 'ContentAdmin', 'Analyst'), { maxLength: 2 }),
  groups: words,
  customProperties: fc.record({ Region: words }),
  environment: fc.record({ group: words, browser: fc.constant(['Firefox']) }),
  anonymous: fc.boolean(),
});

const ownerArb: fc.Arbitrary<UserRef | null> = fc.option(
  fc.record({ id: fc.constant('o'), userId: fc.constantFrom('alice', 'bob', 'dave'), userDirectory: fc.constant('CORP'), name: word, groups: words }),
);

const streamArb: fc.Arbitrary<Resource | null> = fc.option(
  fc.record({ resourcetype: fc.constant('Stream'), id: fc.constantFrom(...STREAM_IDS), name: word, customProperties: fc.record({ Dept: words }), owner: ownerArb }),
);

const appArb: fc.Arbitrary<Resource> = fc.record({
  resourcetype: fc.constant('App'),
  id: fc.constantFrom('a1', 'a2', 'a3'),
  name: word,
  properties: fc.record({ published: fc.constantFrom(['true'], ['false']) }),
  customProperties: fc.record({ Dept: words, Region: words }),
  owner: ownerArb,
  stream: streamArb,
});

export const resourceArb: fc.Arbitrary<Resource> = fc.oneof(
  appArb,
  streamArb.map((s) => s ?? { resourcetype: 'Stream', id: 's1', name: 'Everyone' }),
  fc.record({
    resourcetype: fc.constant('App.Object'),
    id: fc.constantFrom('o1', 'o2'),
    name: word,
    properties: fc.record({ published: fc.constantFrom(['true'], ['false']), objectType: fc.constantFrom(['sheet'], ['story']) }),
    owner: ownerArb,
    app: appArb,
  }),
);

const valuePath = fc.constantFrom(
  'user.group', 'user.roles', 'user.name', 'user.@Region', 'user.environment.group', 'resource.name', 'resource.@Dept',
  'resource.@Region', 'resource.stream.name', 'resource.stream.@Dept', 'resource.owner.name', 'resource.owner.group',
  'resource.published', 'resource.app.name', 'resource.objectType',
);
const literal = word.map((w) => JSON.stringify(w));
const comparison = fc.oneof(
  fc.tuple(valuePath, fc.constantFrom('=', '!=', '==', '!=='), fc.oneof(literal, valuePath)).map(([l, op, r]) => `${l} ${op} ${r}`),
  fc.tuple(valuePath, fc.constantFrom('like', 'matches'), fc.constantFrom('"s*"', '"*a*"', '"sales"', '".*a.*"', '"[a-z]+"')).map(([l, op, r]) => `${l} ${op} ${r}`),
  fc.constantFrom('resource.owner = user', 'resource.stream.Empty()', 'resource.IsOwned()', 'user.IsAnonymous()', 'resource.app.stream.Empty()'),
);
const privilegeCall = fc.constantFrom(
  'resource.stream.HasPrivilege("read")', 'resource.app.HasPrivilege("read")', 'resource.HasPrivilege("update")',
  'resource.app.stream.HasPrivilege("publish")', 'resource.HasPrivilege("read")',
);

/** Conjunctions of literal equalities and other conjuncts: the shapes the rule index shortcuts. */
const guardedCondition: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.tuple(fc.constantFrom('resource.@Dept', 'resource.name', 'resource.stream.name', 'resource.published', 'resource.owner.name'), word).map(([p, w]) => `${p} = ${JSON.stringify(w)}`),
      fc.tuple(fc.constantFrom('user.group', 'user.@Region', 'user.environment.group', 'user.roles'), word).map(([p, w]) => `${p} = ${JSON.stringify(w)}`),
      comparison,
      privilegeCall,
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((parts) => parts.join(' and '));

/** Conditions; with `negatedPrivilege` false, HasPrivilege never appears under `!` (monotone rule sets). */
export function conditionArb(negatedPrivilege: boolean): fc.Arbitrary<string> {
  const { positive } = fc.letrec<{ positive: string; plain: string }>((tie) => ({
    plain: fc.oneof(
      { depthSize: 'small' },
      comparison,
      tie('plain').map((c) => `!(${c})`),
      fc.tuple(tie('plain'), fc.constantFrom('and', 'or', '&&', '||'), tie('plain')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    ),
    positive: fc.oneof(
      { depthSize: 'small' },
      tie('plain'),
      privilegeCall,
      negatedPrivilege ? privilegeCall.map((c) => `!${c}`) : privilegeCall,
      fc.tuple(tie('positive'), fc.constantFrom('and', 'or'), tie('positive')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    ),
  }));
  return fc.oneof({ arbitrary: positive, weight: 6 }, { arbitrary: guardedCondition, weight: 4 }, { arbitrary: fc.constant(''), weight: 1 });
}

export function ruleArb(negatedPrivilege = true, disabled: fc.Arbitrary<boolean> = fc.boolean()): fc.Arbitrary<RuleEntity> {
  return fc.record({
    id: fc.uuid(),
    name: fc.constantFrom('R1', 'R2', 'R3'),
    resourceFilter: fc.constantFrom('App_*', 'App*', 'Stream_*', '*', 'App.Object_*', 'Stream_s1', 'App_a1,Stream_*'),
    rule: conditionArb(negatedPrivilege),
    actions: fc.integer({ min: 1, max: 8191 }),
    ruleContext: fc.constantFrom(0, 1, 2) as fc.Arbitrary<0 | 1 | 2>,
    disabled,
  });
}

export interface Request {
  readonly user: User;
  readonly resource: Resource;
  readonly action: string;
  readonly context: RequestContext;
}

export const requestArb: fc.Arbitrary<Request> = fc.record({
  user: userArb,
  resource: resourceArb,
  action: fc.constantFrom(...ACTIONS),
  context: fc.constantFrom(...CONTEXTS),
});
