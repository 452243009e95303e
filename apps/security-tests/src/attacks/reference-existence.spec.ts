import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  QRS_APP_ACTIONS,
  QRS_APP_OBJECT_CHANGES,
  QRS_BODY_REFERENCES,
  QRS_EMBEDDED_FIELDS,
  QRS_ENTITY_METHODS,
  QRS_READ_ONLY_TYPES,
  QRS_QUERY_REFERENCES,
  QRS_TYPES,
  type QrsQueryReference,
  type QrsReference,
  type QrsType,
} from '@trustzone/contracts';
import { ADMIN, ok, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { describeResponseScan } from '../test-support/response-scan';

// Information disclosure › existence of entities through references. A request that names another
// entity (an owner, an app, a stream, tags, custom properties, server nodes; in a body or a query)
// must answer the same whether that entity is missing or merely unreadable to the caller. The walk
// is derived from the shared contract (libs/contracts/src/qrs-references.ts): every /qrs type, every
// reference field it declares, every app action and every query reference; and the API's own JSON
// is checked against that table, so a reference field the table forgets fails the walk.
let a: AttackSite;
const WALKER = 'CORP\\walker';
const NOBODY = 'CORP\\nobody';
const TYPES = Object.keys(QRS_TYPES) as QrsType[];
const LINKABLE = ['User', 'App', 'App.Object', 'Stream', 'DataConnection'];

/** What a reference can point at: a real entity, hidden from the caller, or one that does not exist. */
interface Target {
  id: string;
  name: string;
  userDirectory?: string;
  userId?: string;
}
const hidden = {} as Record<QrsType, Target>;
const visible = {} as Record<QrsType, string>;
const missing = (): Target => ({ id: randomUUID(), name: `hidden-missing-${randomUUID().slice(0, 8)}`, userDirectory: 'CORP', userId: `nosuch${randomUUID().slice(0, 8)}` });

const typeOf = (resourceType: string): QrsType => TYPES.find((t) => QRS_TYPES[t] === resourceType) as QrsType;

/** Bodies the walker may create (no reference the walker cannot read), one per type. */
function walkerBody(type: QrsType, n: string): Record<string, unknown> {
  const bodies: Record<QrsType, () => Record<string, unknown>> = {
    app: () => ({ name: `walk app ${n}` }),
    'app/object': () => ({ objectType: 'sheet', name: `walk sheet ${n}`, app: { id: visible.app } }),
    stream: () => ({ name: `walk stream ${n}` }),
    user: () => ({ userDirectory: 'WALK', userId: `walk-${n}` }),
    systemrule: () => ({ name: `walk rule ${n}`, resourceFilter: 'Tag_*', rule: 'user.userId = "nobody-at-all"', actions: 2, disabled: true }),
    custompropertydefinition: () => ({ name: `walkprop${n}`, valueType: 'Text', objectTypes: LINKABLE }),
    tag: () => ({ name: `walk-tag-${n}` }),
    dataconnection: () => ({ name: `walk dc ${n}`, connectionString: `walk-${n}` }),
    virtualproxyconfig: () => ({ prefix: `walk${n}`, authenticationMethod: 'ticket', sessionCookieHeaderName: `X-Qlik-Session-walk${n}` }),
    servernodeconfiguration: () => ({ name: `walk node ${n}`, hostName: `walk${n}.example` }),
    reloadtask: () => ({ name: `walk task ${n}`, app: { id: visible.app } }),
    schemaevent: () => ({ name: `walk trigger ${n}`, reloadTask: { id: visible.reloadtask }, startDate: '2099-01-01T00:00:00.000', incrementOption: 0, incrementDescription: '0 0 0 0' }),
    compositeevent: () => ({ name: `walk chain ${n}`, reloadTask: { id: visible.reloadtask }, compositeRules: [{ reloadTask: { id: visible.reloadtask }, ruleState: 1 }] }),
    // Written by the scheduler only: the fixtures make them by starting a task (startRun).
    executionresult: () => ({}),
    userdirectory: () => ({ userDirectoryName: `WALKDIR${n}` }),
  };
  return bodies[type]();
}

/** The spellings of a reference to `t` the shape allows (every one is walked). */
function spellings(ref: QrsReference, t: Target): unknown[] {
  switch (ref.shape) {
    case 'user':
      return [{ id: t.id }, { userDirectory: t.userDirectory, userId: t.userId }];
    case 'entity':
      return [{ id: t.id }];
    case 'entities':
      return [[{ id: t.id }]];
    case 'named-entities':
      return [[{ id: t.id }], [{ name: t.name }]];
    case 'property-values':
      return [[{ definition: { id: t.id }, value: 'x' }], [{ definition: { name: t.name }, value: 'x' }]];
    case 'task-rules':
      return [[{ reloadTask: { id: t.id }, ruleState: 1 }]];
  }
}

/** An execution result of a task: start it and wait for its result (the scheduler writes it). */
async function startRun(user: string, taskId: string): Promise<string> {
  const started = ok<{ value: string }>(await a.as(user, 'POST', `/qrs/task/${taskId}/start/synchronous`, {}), `start ${taskId}`);
  expect(started.value).not.toBe('00000000-0000-0000-0000-000000000000');
  return ok<{ id: string }>(await a.as(user, 'GET', `/qrs/executionresult/${started.value}`), `result of ${taskId}`).id;
}

function querySpellings(q: QrsQueryReference, t: Target, resourceType: string): string {
  switch (q.form) {
    case 'guid':
      return t.id;
    case 'directory-user':
      return `${t.userDirectory}\\${t.userId}`;
    case 'type-guid':
      return `${resourceType}_${t.id}`;
  }
}

const answer = (r: { status: number; text: string }, ...ids: string[]) => `${r.status} ${ids.reduce((s, id) => s.split(id).join('<id>'), r.text)}`;

/** What the walk did: every request pair, and the pairs whose answers told hidden from missing. */
interface Walk {
  seen: string[];
  leaks: string[];
}

/** The same request naming the hidden and the missing entity: byte-identical answers, never a success. */
async function same(w: Walk, user: string, what: string, send: (t: Target) => Promise<{ status: number; text: string }>, hiddenTarget: Target): Promise<void> {
  const absent = missing();
  const h = answer(await send(hiddenTarget), hiddenTarget.id);
  const m = answer(await send(absent), absent.id);
  w.seen.push(`${user} ${what}`);
  if (h !== m || !/^4\d\d /.test(h)) w.leaks.push(`${user} ${what}\n  hidden:  ${h.slice(0, 300)}\n  missing: ${m.slice(0, 300)}`);
}

beforeAll(async () => {
  a = await startAttackSite();
  for (const u of [WALKER, NOBODY]) ok(await a.as(u, 'GET', '/qrs/app'), `${u} first seen`);
  // The walker may do everything (but change roles) on whatever is not called hidden*: every route
  // is open to it, so only the references' visibility can make a difference.
  ok(await a.as(ADMIN, 'POST', '/qrs/systemrule', { name: 'walker', resourceFilter: '*', actions: 8191 & ~128, ruleContext: 0, rule: 'user.userId = "walker" and !(resource.name like "hidden*")' }), 'walker rule');

  const make = async (type: QrsType, body: Record<string, unknown>): Promise<Target> => {
    const r = ok<{ id: string; name?: string; prefix?: string; userDirectory?: string; userId?: string }>(await a.as(ADMIN, 'POST', `/qrs/${type}`, body), `hidden ${type}`);
    return { id: r.id, name: r.name ?? r.prefix ?? '', ...(r.userDirectory ? { userDirectory: r.userDirectory, userId: r.userId as string } : {}) };
  };
  hidden.tag = await make('tag', { name: 'hidden-tag' });
  hidden.custompropertydefinition = await make('custompropertydefinition', { name: 'hiddenprop', valueType: 'Text', objectTypes: LINKABLE });
  const links = { tags: [{ id: hidden.tag.id }], customProperties: [{ definition: { id: hidden.custompropertydefinition.id }, value: 'x' }] };
  hidden.user = await make('user', { userDirectory: 'CORP', userId: 'hiddenuser', name: 'hidden user', ...links });
  const owned = { owner: { id: hidden.user.id }, ...links };
  hidden.stream = await make('stream', { name: 'hidden stream', ...owned });
  hidden.app = await make('app', { name: 'hidden app', ...owned });
  ok(await a.as(ADMIN, 'PUT', `/qrs/app/${hidden.app.id}/publish?stream=${hidden.stream.id}`), 'hidden app published');
  hidden['app/object'] = await make('app/object', { objectType: 'sheet', name: 'hidden sheet', app: { id: hidden.app.id }, ...owned });
  hidden.systemrule = await make('systemrule', { name: 'hidden rule', resourceFilter: 'Tag_*', rule: 'user.userId = "nobody-at-all"', actions: 2, disabled: true });
  hidden.dataconnection = await make('dataconnection', { name: 'hidden dc', connectionString: 'hidden', ...owned });
  hidden.servernodeconfiguration = await make('servernodeconfiguration', { name: 'hidden node', hostName: 'hidden.example' });
  hidden.virtualproxyconfig = await make('virtualproxyconfig', { prefix: 'hiddenvp', authenticationMethod: 'ticket', sessionCookieHeaderName: 'X-Qlik-Session-hiddenvp', loadBalancingServerNodes: [{ id: hidden.servernodeconfiguration.id }] });
  hidden.reloadtask = await make('reloadtask', { name: 'hidden task', app: { id: hidden.app.id } });
  hidden.schemaevent = await make('schemaevent', { name: 'hidden trigger', reloadTask: { id: hidden.reloadtask.id }, startDate: '2099-01-01T00:00:00.000', incrementOption: 0, incrementDescription: '0 0 0 0' });
  hidden.compositeevent = await make('compositeevent', { name: 'hidden chain', reloadTask: { id: hidden.reloadtask.id }, compositeRules: [{ reloadTask: { id: hidden.reloadtask.id }, ruleState: 1 }] });
  hidden.userdirectory = await make('userdirectory', { name: 'hidden directory', userDirectoryName: 'HIDDENDIR' });
  // A result is named after its task: the hidden task's run is hidden from the walker too.
  hidden.executionresult = { id: await startRun(ADMIN, hidden.reloadtask.id), name: 'hidden task' };

  visible.app = ok<{ id: string }>(await a.as(WALKER, 'POST', '/qrs/app', walkerBody('app', 'v')), 'walker app').id;
  for (const t of TYPES.filter((x) => x !== 'app' && !QRS_READ_ONLY_TYPES.has(x))) visible[t] = ok<{ id: string }>(await a.as(WALKER, 'POST', `/qrs/${t}`, walkerBody(t, 'v')), `walker ${t}`).id;
  visible.executionresult = await startRun(WALKER, visible.reloadtask);
}, 180_000);

afterAll(async () => {
  await a?.stop();
});

describe('Information disclosure › references', () => {
  it('every reference field the API returns is in the shared reference table, and the fixtures fill each one', async () => {
    for (const t of TYPES) {
      const json = ok<Record<string, unknown>>(await a.as(ADMIN, 'GET', `/qrs/${t}/${hidden[t].id}`), `${t} as admin`);
      const looksLikeRef = (v: unknown) =>
        (typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { id?: unknown }).id === 'string') ||
        (Array.isArray(v) && v.some((x) => typeof x === 'object' && x !== null && ('id' in x || 'definition' in x)));
      const embedded = QRS_EMBEDDED_FIELDS[t] ?? [];
      const found = Object.keys(json).filter((k) => looksLikeRef(json[k]) && !embedded.includes(k)).sort();
      expect(found, t).toEqual(QRS_BODY_REFERENCES[t].map((r) => r.field).sort());
    }
  });

  it('a reference to an entity the caller may not read is answered exactly like one to a missing entity, on every route that takes one', async () => {
    const w: Walk = { seen: [], leaks: [] };
    for (const user of [WALKER, NOBODY]) {
      // Body references, on create and on update.
      for (const t of TYPES) {
        for (const ref of QRS_BODY_REFERENCES[t]) {
          const target = hidden[typeOf(ref.names)];
          for (let i = 0; i < spellings(ref, target).length; i++) {
            const n = randomUUID().slice(0, 8);
            await same(w, user, `POST /qrs/${t} ${ref.field} #${i}`, (x) => a.as(user, 'POST', `/qrs/${t}`, { ...walkerBody(t, n), [ref.field]: spellings(ref, x)[i] }), target);
            const current = await a.as(user, 'GET', `/qrs/${t}/${visible[t]}`);
            const base = current.status === 200 ? (current.json as Record<string, unknown>) : {};
            await same(w, user, `PUT /qrs/${t}/{id} ${ref.field} #${i}`, (x) => a.as(user, 'PUT', `/qrs/${t}/${visible[t]}`, { ...base, [ref.field]: spellings(ref, x)[i] }), target);
          }
        }
      }
      // The path's own id on every entity route and every app action.
      for (const t of TYPES) {
        for (const method of QRS_ENTITY_METHODS) {
          await same(w, user, `${method} /qrs/${t}/{id}`, (x) => a.as(user, method, `/qrs/${t}/${x.id}`, method === 'PUT' ? {} : undefined), hidden[t]);
        }
      }
      for (const act of QRS_APP_ACTIONS) {
        await same(w, user, `${act.method} /qrs/app/{id}/${act.action}`, (x) => a.as(user, act.method, `/qrs/app/${x.id}/${act.action}`, act.method === 'PUT' ? { script: '' } : undefined), hidden.app);
      }
      for (const change of QRS_APP_OBJECT_CHANGES) {
        await same(w, user, `PUT /qrs/app/object/{id}/${change}`, (x) => a.as(user, 'PUT', `/qrs/app/object/${x.id}/${change}`), hidden['app/object']);
      }
      // Query references.
      for (const q of QRS_QUERY_REFERENCES) {
        const types = q.names === 'any' ? TYPES : [typeOf(q.names)];
        for (const t of types) {
          const path = q.path.replace('{id}', visible.app);
          const rest = q.param === 'resource' ? '&action=read' : q.param === 'user' ? `&resource=App_${visible.app}&action=read` : '';
          await same(w, user, `${q.method} ${q.path}?${q.param}=<${t}>`, (x) => a.as(user, q.method, `${path}?${q.param}=${encodeURIComponent(querySpellings(q, x, QRS_TYPES[t]))}${rest}`), hidden[t]);
        }
      }
    }
    expect(w.leaks.join('\n')).toBe('');
    // The walk really covered the table (both callers, every spelling).
    expect(w.seen.filter((s) => / POST \/qrs\/[a-z/]+ /.test(s)).length).toBe(2 * TYPES.reduce((n, t) => n + QRS_BODY_REFERENCES[t].reduce((m, r) => m + spellings(r, hidden[typeOf(r.names)]).length, 0), 0));
    // Several hundred /qrs calls: about 21 s on a busy 2-core machine, more beside another suite.
  }, 120_000);
});

describeResponseScan(() => a);
