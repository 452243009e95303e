/**
 * npm run bench:rules — security-rule decisions on a generated site, compared in the same run with
 * Cedar (@cedar-policy/cedar-wasm, pre-parsed policy set + statefulIsAuthorized) on the same requests.
 *
 * Site: 1,000 users in 50 groups, 100 streams, 10,000 apps with custom properties; the shipped rules
 * plus 200 custom rules (stream, group, custom-property, owner and HasPrivilege conditions).
 * Cedar has no HasPrivilege, so its policy set inlines what HasPrivilege means for the generated rule
 * shapes (stream readability through the entity hierarchy, stream publish rights as a disjunction).
 * Cedar entities are built before timing starts: only the authorization call is measured.
 *
 * One file on purpose (the bench owns only this path); sections: site, rules, Cedar translation,
 * measurement, report.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { Resource, RuleEntity, User, UserRef } from '@trustzone/rules';
import { RuleEngine, shippedRules } from '@trustzone/rules';

// ---------------------------------------------------------------- deterministic site
let seed = 0x5eed1234;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const pickSome = <T>(items: readonly T[], min: number, max: number): T[] => {
  const n = min + Math.floor(random() * (max - min + 1));
  return [...new Set(Array.from({ length: n }, () => pick(items)))];
};
const guid = (): string => {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
};

const GROUPS = Array.from({ length: 50 }, (_, i) => `Group${String(i).padStart(2, '0')}`);
const REGIONS = Array.from({ length: 10 }, (_, i) => `R${i}`);
const DEPARTMENTS = Array.from({ length: 20 }, (_, i) => `D${i}`);
const ADMIN_ROLES = ['RootAdmin', 'ContentAdmin', 'SecurityAdmin', 'AuditAdmin', 'DeploymentAdmin'];

const users: User[] = Array.from({ length: 1000 }, (_, i) => ({
  id: guid(),
  userId: `user${i}`,
  userDirectory: 'CORP',
  name: `User ${i}`,
  email: `user${i}@example.test`,
  roles: i < 10 ? [ADMIN_ROLES[i % ADMIN_ROLES.length] as string] : [],
  groups: pickSome(GROUPS, 1, 3),
  customProperties: { Region: [pick(REGIONS)] },
  environment: { browser: ['Firefox'] },
  anonymous: i % 50 === 49,
}));
const ref = (u: User): UserRef => ({ id: u.id, userId: u.userId, userDirectory: u.userDirectory, name: u.name, groups: u.groups, customProperties: u.customProperties });
const identified = users.filter((u) => !u.anonymous);

const EVERYONE = guid();
const MONITORING = guid();
const streams: Resource[] = Array.from({ length: 100 }, (_, i) => ({
  resourcetype: 'Stream',
  id: i === 0 ? EVERYONE : i === 1 ? MONITORING : guid(),
  name: i === 0 ? 'Everyone' : i === 1 ? 'Monitoring apps' : `Stream ${i}`,
  properties: {},
  customProperties: { Department: [pick(DEPARTMENTS)] },
  owner: ref(pick(identified)),
}));

const apps: Resource[] = Array.from({ length: 10_000 }, (_, i) => {
  const stream = random() < 0.85 ? (random() < 0.1 ? (streams[0] as Resource) : pick(streams)) : null;
  return {
    resourcetype: 'App',
    id: guid(),
    name: `App ${i}`,
    properties: { published: [stream ? 'true' : 'false'] },
    customProperties: { Department: pickSome(DEPARTMENTS, 1, 2), Region: [pick(REGIONS)], ...(random() < 0.2 ? { Shared: ['team'] } : {}) },
    owner: ref(pick(identified)),
    stream,
  };
});

// ---------------------------------------------------------------- rules (ours) and the Cedar equivalent
type StreamCondition = { kind: 'group'; groups: string[] } | { kind: 'region'; region: string };
interface StreamGrant { streamId: string; publish: boolean; condition: StreamCondition }

const custom: RuleEntity[] = [];
const cedarPolicies: string[] = [];
const streamGrants: StreamGrant[] = [];
let ruleNo = 0;
const addRule = (name: string, resourceFilter: string, actions: number, rule: string): void => {
  custom.push({ id: `custom-${++ruleNo}`, name, resourceFilter, rule, actions, ruleContext: 0, disabled: false, type: 'Custom' });
};

// 100 stream rules (98 regular streams + 2 second rules), Read or Read+Publish.
for (let k = 0; k < 100; k++) {
  const stream = streams[k < 98 ? k + 2 : k - 96] as Resource;
  const publish = k % 2 === 1;
  const condition: StreamCondition = k % 3 === 2 ? { kind: 'region', region: pick(REGIONS) } : { kind: 'group', groups: pickSome(GROUPS, 1, 2) };
  const text = condition.kind === 'group' ? condition.groups.map((g) => `user.group = "${g}"`).join(' or ') : `user.@Region = "${condition.region}" and !user.IsAnonymous()`;
  addRule(`Stream readers ${k}`, `Stream_${stream.id}`, publish ? 2 | 32 : 2, text);
  streamGrants.push({ streamId: stream.id, publish, condition });
}
const cedarCondition = (c: StreamCondition): string =>
  c.kind === 'group' ? c.groups.map((g) => `principal in Group::"${g}"`).join(' || ') : `principal.region.contains("${c.region}") && !principal.anonymous`;
for (const grant of streamGrants) {
  cedarPolicies.push(`permit(principal, action == Action::"read", resource in Stream::"${grant.streamId}") when { ${cedarCondition(grant.condition)} };`);
}
// 30 custom-property + group rules.
for (let k = 0; k < 30; k++) {
  const [dept, group] = [pick(DEPARTMENTS), pick(GROUPS)];
  addRule(`Department ${k}`, 'App_*', 2, `resource.@Department = "${dept}" and user.group = "${group}"`);
  cedarPolicies.push(`permit(principal in Group::"${group}", action == Action::"read", resource is App) when { resource.department.contains("${dept}") };`);
}
// 20 property-to-property rules.
for (let k = 0; k < 20; k++) {
  const group = pick(GROUPS);
  addRule(`Region match ${k}`, 'App_*', 2, `resource.@Region = user.@Region and user.group = "${group}"`);
  cedarPolicies.push(`permit(principal in Group::"${group}", action == Action::"read", resource is App) when { resource.region.containsAny(principal.region) };`);
}
// 20 owner rules: team-shared apps of a department, readable by the owner's group mates.
for (let k = 0; k < 20; k++) {
  const dept = pick(DEPARTMENTS);
  addRule(`Team share ${k}`, 'App_*', 2, `resource.@Shared = "team" and resource.@Department = "${dept}" and resource.owner.group = user.group`);
  cedarPolicies.push(
    `permit(principal, action == Action::"read", resource is App) when { resource.shared.contains("team") && resource.department.contains("${dept}") && resource has owner && resource.owner.groupNames.containsAny(principal.groupNames) };`,
  );
}
// 20 HasPrivilege rules: publishers of a stream read its apps of one department.
const publishRights = [
  `(resource in Stream::"${EVERYONE}" && !principal.anonymous)`,
  '(resource.stream has owner && resource.stream.owner == principal)',
  ...streamGrants.filter((g) => g.publish).map((g) => `(resource in Stream::"${g.streamId}" && (${cedarCondition(g.condition)}))`),
].join(' || ');
for (let k = 0; k < 20; k++) {
  const dept = pick(DEPARTMENTS);
  addRule(`Publishers read ${k}`, 'App_*', 2, `resource.@Department = "${dept}" and resource.stream.HasPrivilege("publish")`);
  cedarPolicies.push(`permit(principal, action == Action::"read", resource is App) when { resource.department.contains("${dept}") && resource has stream && (${publishRights}) };`);
}
// 10 app-object rules (not exercised by the App requests below; part of the rule set's size).
for (let k = 0; k < 10; k++) {
  addRule(`Sheets ${k}`, 'App.Object_*', 2, `resource.app.HasPrivilege("read") and resource.objectType = "sheet" and user.group = "${pick(GROUPS)}"`);
}
// Shipped rules that apply to App read in the hub, inlined: Stream (via stream readability) and Owner.
cedarPolicies.push(
  `permit(principal, action == Action::"read", resource in Stream::"${EVERYONE}");`,
  `permit(principal, action == Action::"read", resource in Stream::"${MONITORING}") when { principal.roles.containsAny([${ADMIN_ROLES.map((r) => `"${r}"`).join(', ')}]) };`,
  'permit(principal, action == Action::"read", resource is App) when { resource has stream && resource.stream has owner && resource.stream.owner == principal };',
  'permit(principal, action == Action::"read", resource is App) when { resource has owner && resource.owner == principal };',
);

const ruleTable = [...shippedRules({ everyoneStreamId: EVERYONE, monitoringStreamId: MONITORING }), ...custom];

// ---------------------------------------------------------------- memory of the compiled rule set
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
gc();
const heapBefore = process.memoryUsage().heapUsed;
let engine: RuleEngine | undefined = RuleEngine.compile(ruleTable);
gc();
const memoryMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
if (engine.problems.length > 0) throw new Error(`rule problems: ${JSON.stringify(engine.problems.slice(0, 3))}`);
const ours: RuleEngine = engine;
engine = undefined;

// ---------------------------------------------------------------- requests
const requests = Array.from({ length: 20_000 }, () => ({ user: pick(users), app: pick(apps) }));
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;

// Warm-up so both engines are measured after JIT tier-up.
for (let i = 0; i < 5_000; i++) ours.decide((requests[i] as (typeof requests)[number]).user, (requests[i] as (typeof requests)[number]).app, 'read', 'hub');

// (1) single decisions: per-call latency, then throughput of a tight loop.
const latencies: number[] = [];
let allowedCount = 0;
for (const { user, app } of requests) {
  const t0 = process.hrtime.bigint();
  const decision = ours.decide(user, app, 'read', 'hub');
  latencies.push(Number(process.hrtime.bigint() - t0) / 1000);
  if (decision.kind === 'allow') allowedCount++;
}
latencies.sort((a, b) => a - b);
const throughput = (n: number, run: (i: number) => void): number => {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) run(i);
  return n / ((performance.now() - t0) / 1000);
};
const CEDAR_SAMPLE = 5_000;
// Same first 5,000 requests Cedar answers, cycled 10× so the timed window is long enough to be stable.
const oursPerSecond = throughput(CEDAR_SAMPLE * 10, (i) => {
  const r = requests[i % CEDAR_SAMPLE] as (typeof requests)[number];
  ours.decide(r.user, r.app, 'read', 'hub');
});

// (2) listing the apps one user can read out of 10,000.
const listTimes: number[] = [];
const listSizes: number[] = [];
for (const user of Array.from({ length: 60 }, () => pick(users))) {
  const t0 = performance.now();
  const visible = ours.filter(user, apps, 'read', 'hub');
  listTimes.push(performance.now() - t0);
  listSizes.push(visible.length);
}
const listSorted = listTimes.slice(10).sort((a, b) => a - b); // first 10 are warm-up

// ---------------------------------------------------------------- Cedar on the same requests
type CedarEntity = { uid: { type: string; id: string }; attrs: Record<string, unknown>; parents: { type: string; id: string }[] };
const entityRef = (type: string, id: string) => ({ __entity: { type, id } });
const userEntity = (u: User | UserRef): CedarEntity => ({
  uid: { type: 'User', id: u.id },
  attrs: { anonymous: 'anonymous' in u ? u.anonymous : false, region: u.customProperties?.['Region'] ?? [], groupNames: u.groups ?? [], roles: u.roles ?? [] },
  parents: (u.groups ?? []).map((g) => ({ type: 'Group', id: g })),
});
function cedarEntities(user: User, app: Resource): CedarEntity[] {
  const byUid = new Map<string, CedarEntity>();
  const add = (e: CedarEntity) => byUid.has(`${e.uid.type}/${e.uid.id}`) || byUid.set(`${e.uid.type}/${e.uid.id}`, e);
  add(userEntity(user));
  const cps = app.customProperties ?? {};
  add({
    uid: { type: 'App', id: app.id },
    attrs: {
      department: cps['Department'] ?? [],
      region: cps['Region'] ?? [],
      shared: cps['Shared'] ?? [],
      ...(app.owner ? { owner: entityRef('User', app.owner.id) } : {}),
      ...(app.stream ? { stream: entityRef('Stream', app.stream.id) } : {}),
    },
    parents: app.stream ? [{ type: 'Stream', id: app.stream.id }] : [],
  });
  if (app.owner) add(userEntity(app.owner));
  if (app.stream) add({ uid: { type: 'Stream', id: app.stream.id }, attrs: app.stream.owner ? { owner: entityRef('User', app.stream.owner.id) } : {}, parents: [] });
  return [...byUid.values()];
}
const parsed = cedar.preparsePolicySet('rules', { staticPolicies: cedarPolicies.join('\n') });
if (parsed.type !== 'success') throw new Error(`Cedar policies do not parse: ${JSON.stringify(parsed)}`);
const cedarCalls = requests.slice(0, CEDAR_SAMPLE).map(({ user, app }) => ({
  principal: { type: 'User', id: user.id },
  action: { type: 'Action', id: 'read' },
  resource: { type: 'App', id: app.id },
  context: {},
  preparsedPolicySetId: 'rules',
  entities: cedarEntities(user, app),
}));
const cedarAllows = (i: number): boolean => {
  const answer = cedar.statefulIsAuthorized(cedarCalls[i] as cedar.StatefulAuthorizationCall);
  if (answer.type !== 'success') throw new Error(`Cedar failed: ${JSON.stringify(answer.errors)}`);
  return answer.response.decision === 'allow';
};
for (let i = 0; i < 1_000; i++) cedarAllows(i); // warm-up
const cedarLatencies: number[] = [];
let agree = 0;
const disagreements: string[] = [];
for (let i = 0; i < CEDAR_SAMPLE; i++) {
  const t0 = process.hrtime.bigint();
  const theirs = cedarAllows(i);
  cedarLatencies.push(Number(process.hrtime.bigint() - t0) / 1000);
  const r = requests[i] as (typeof requests)[number];
  const mine = ours.isAllowed(r.user, r.app, 'read', 'hub');
  if (mine === theirs) agree++;
  else if (disagreements.length < 5) disagreements.push(`${r.user.userId} ${r.app.name}: ours=${mine} cedar=${theirs}`);
}
cedarLatencies.sort((a, b) => a - b);
const cedarPerSecond = throughput(CEDAR_SAMPLE, (i) => cedarAllows(i));

// ---------------------------------------------------------------- report
const round = (n: number, digits = 2) => Number(n.toFixed(digits));
const summary = {
  decision_p50_us: round(percentile(latencies, 50)),
  decision_p99_us: round(percentile(latencies, 99)),
  list_10k_apps_ms: round(percentile(listSorted, 50)),
  vs_cedar_throughput_ratio: round(oursPerSecond / cedarPerSecond, 1),
  memory_mb: round(memoryMb, 3),
};
const result = {
  benchmark: 'rules',
  node: process.version,
  // Context for the absolute numbers: the same code is several times faster on an idle machine.
  host: { cpus: availableParallelism(), loadAverage1m: round(loadavg()[0] ?? 0) },
  cedar: cedar.getCedarVersion(),
  site: { users: users.length, groups: GROUPS.length, streams: streams.length, apps: apps.length, rules: ruleTable.length, customRules: custom.length, cedarPolicies: cedarPolicies.length },
  decisions: {
    requests: requests.length,
    allowedPercent: round((allowedCount / requests.length) * 100, 1),
    p50_us: summary.decision_p50_us,
    p90_us: round(percentile(latencies, 90)),
    p99_us: summary.decision_p99_us,
    max_us: round(latencies[latencies.length - 1] as number),
    perSecond: Math.round(oursPerSecond),
  },
  listing: { users: listSorted.length, p50_ms: summary.list_10k_apps_ms, p95_ms: round(percentile(listSorted, 95)), max_ms: round(listSorted[listSorted.length - 1] as number), meanVisibleApps: Math.round(listSizes.reduce((a, b) => a + b, 0) / listSizes.length) },
  cedarComparison: {
    sampledDecisions: CEDAR_SAMPLE,
    agreement: `${agree}/${CEDAR_SAMPLE}`,
    disagreements,
    cedar_p50_us: round(percentile(cedarLatencies, 50)),
    cedar_p99_us: round(percentile(cedarLatencies, 99)),
    cedarPerSecond: Math.round(cedarPerSecond),
    oursPerSecond: Math.round(oursPerSecond),
    note: 'Cedar timed on statefulIsAuthorized with pre-parsed policies and pre-built entity JSON; HasPrivilege inlined by hand',
  },
  targets: {
    decision_p50_us: { target: 5, met: summary.decision_p50_us <= 5 },
    list_10k_apps_ms: { target: 20, met: summary.list_10k_apps_ms <= 20 },
    vs_cedar_throughput_ratio: { target: 2, met: summary.vs_cedar_throughput_ratio >= 2 },
  },
  summary,
};

console.log(`host: ${result.host.cpus} CPUs, load average ${result.host.loadAverage1m}`);
console.log(`site: ${users.length} users / ${GROUPS.length} groups / ${streams.length} streams / ${apps.length} apps / ${ruleTable.length} rules (${custom.length} custom)`);
console.log(`rule set memory (heap delta after compile): ${summary.memory_mb} MB`);
console.log(`decisions: p50 ${summary.decision_p50_us} µs, p99 ${summary.decision_p99_us} µs, ${result.decisions.perSecond.toLocaleString()} /s (allowed ${result.decisions.allowedPercent}%)`);
console.log(`listing 10k apps: p50 ${summary.list_10k_apps_ms} ms, p95 ${result.listing.p95_ms} ms (≈${result.listing.meanVisibleApps} visible per user)`);
console.log(`cedar: p50 ${result.cedarComparison.cedar_p50_us} µs, ${result.cedarComparison.cedarPerSecond.toLocaleString()} /s → ours ÷ cedar = ${summary.vs_cedar_throughput_ratio}×`);
console.log(`agreement with cedar: ${result.cedarComparison.agreement}${disagreements.length ? `  e.g. ${disagreements.join('; ')}` : ''}`);
console.log(JSON.stringify(summary));

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/rules.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
if (agree !== CEDAR_SAMPLE) process.exitCode = 1;
