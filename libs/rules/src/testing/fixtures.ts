import type { RuleEntity } from '../model/rule-entity';
import type { Resource, User, UserRef } from '../model/subject';

/** Builders for specs: small, explicit entities with overridable fields. */
export function makeUser(overrides: Partial<User> = {}): User {
  return {
    id: 'user-alice',
    userId: 'alice',
    userDirectory: 'CORP',
    name: 'Alice',
    email: 'alice@example.test',
    roles: [],
    groups: [],
    customProperties: {},
    environment: {},
    anonymous: false,
    ...overrides,
  };
}

export function ownerRef(user: User): UserRef {
  return { id: user.id, userId: user.userId, userDirectory: user.userDirectory, name: user.name, groups: user.groups, customProperties: user.customProperties };
}

export function makeStream(id: string, overrides: Partial<Resource> = {}): Resource {
  return { resourcetype: 'Stream', id, name: `Stream ${id}`, properties: {}, customProperties: {}, owner: null, ...overrides };
}

export function makeApp(id: string, overrides: Partial<Resource> = {}): Resource {
  const stream = overrides.stream ?? null;
  return {
    resourcetype: 'App',
    id,
    name: `App ${id}`,
    properties: { published: [stream ? 'true' : 'false'] },
    customProperties: {},
    owner: null,
    stream,
    ...overrides,
  };
}

export function makeObject(id: string, app: Resource, overrides: Partial<Resource> = {}): Resource {
  return {
    resourcetype: 'App.Object',
    id,
    name: `Object ${id}`,
    properties: { objectType: ['sheet'], published: ['false'], approved: ['false'] },
    customProperties: {},
    owner: app.owner ?? null,
    app,
    ...overrides,
  };
}

let counter = 0;

export function makeRule(overrides: Partial<RuleEntity> & Pick<RuleEntity, 'resourceFilter' | 'rule'>): RuleEntity {
  counter++;
  return {
    id: `rule-${counter}`,
    name: `Rule ${counter}`,
    actions: 2,
    ruleContext: 0,
    disabled: false,
    type: 'Custom',
    ...overrides,
  };
}
