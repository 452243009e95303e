import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { health, login, qixSession, requests, type LoginResult, type Res } from './client-commands';
import type { QixOutcome } from './qix-call';

/*
 * The client path against the compose site in real containers (docker/compose-site.sh), from the
 * Docker host through the published ports only, as an operator's portal and a browser would:
 *   node --import tsx apps/site-tests/src/client/compose-site-client.ts default|scale
 * default: a ticket on the proxy API port (the exported `portal` certificate, mutual TLS), redeemed at
 *   /hub/, /qrs/app with the xrfkey, an app created and reloaded through /qrs, then opened with
 *   enigma.js: Evaluate(Sum(AMOUNT)) against the sum of the rows computed here.
 * scale: the cookie from `proxy` works on `proxy2` (sessions in Redis), QIX included; `engine` stopped
 *   (docker stop), new sessions on both proxies open the app through engine2; both engines stopped,
 *   the QIX open fails with the proxy's "engine unavailable", within a bound.
 * Environment: TZ_SITE_DIR (the host directory of the `site` volume, with exports/portal made by
 * `tz certs export`), TZ_PUBLISH_{PROXY,PROXY_API,PROXY2,PROXY2_API}_PORT, and for scale DOCKER,
 * TZ_ENGINE_CONTAINER, TZ_ENGINE2_CONTAINER. Prints one line per step with its time; exits 1 on the
 * first failure, naming it.
 */

const ADMIN = { directory: 'LOCAL', id: 'admin' }; // TZ_SITE_ADMIN's default in docker-compose.yml
// The websocket origin allow list holds <site host>:443 (TZ_PROXY_PORT); the published host port
// may differ (compose-site.sh picks a free one), the Origin header a browser on the public name sends does not.
const ORIGIN = 'https://localhost';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

const site = env('TZ_SITE_DIR');
const clientFacingCa = join(site, 'certs/client-facing-ca.pem');
const exportDir = join(site, 'exports/portal');
const proxies = {
  proxy: { url: `https://localhost:${env('TZ_PUBLISH_PROXY_PORT')}`, api: `https://localhost:${env('TZ_PUBLISH_PROXY_API_PORT')}` },
  get proxy2() {
    return { url: `https://localhost:${env('TZ_PUBLISH_PROXY2_PORT')}`, api: `https://localhost:${env('TZ_PUBLISH_PROXY2_API_PORT')}` };
  },
};
type ProxyName = 'proxy' | 'proxy2';

const t0 = Date.now();
async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const start = Date.now();
  try {
    const out = await run();
    // A step that returns a string says what it saw (e.g. the error a client got).
    const saw = typeof out === 'string' ? `: ${out}` : '';
    console.log(`compose-site-client: ok   ${name} (${Date.now() - start} ms, ${((Date.now() - t0) / 1000).toFixed(1)} s)${saw}`);
    return out;
  } catch (e) {
    throw new Error(`${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
function check(cond: boolean, what: string, detail?: unknown): asserts cond {
  if (!cond) throw new Error(`${what}${detail === undefined ? '' : ` (${JSON.stringify(detail).slice(0, 600)})`}`);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Session { cookie: string; csrfToken: string }

async function signIn(via: ProxyName): Promise<Session> {
  const p = proxies[via];
  const s: LoginResult = await login({ proxyUrl: p.url, apiUrl: p.api, clientFacingCa, exportDir, user: ADMIN });
  check(s.step === 'done', `login through ${via} stopped at ${s.step}`, s);
  check(s.redeemStatus === 302 || s.redeemStatus === 303, `ticket redeem at ${via}/hub/ answered ${s.redeemStatus}`, s);
  check(typeof s.csrfToken === 'string' && s.csrfToken.length >= 32, `no CSRF token from ${via}/hub/`, s);
  return { cookie: s.cookie ?? '', csrfToken: s.csrfToken };
}

const qrs = (via: ProxyName, path: string, s?: Session, method?: string, body?: unknown): Promise<Res> =>
  requests({ requests: [{ url: `${proxies[via].url}/qrs${path}`, method, body, cookie: s?.cookie, clientFacingCa }] }).then((r) => r[0] as Res);

/** An app with data: an INLINE load script with random amounts, reloaded by an engine through /qrs. Returns Sum(AMOUNT) computed here. */
async function appWithData(s: Session, name: string): Promise<{ appId: string; sum: number }> {
  const created = await qrs('proxy', '/app', s, 'POST', { name });
  check(created.status === 201, `POST /qrs/app answered ${created.status}`, created);
  const appId = (created.json as { id: string }).id;
  const rows = Array.from({ length: 12 }, (_, i) => [['EAST', 'WEST', 'NORTH'][i % 3], 7 * i + Math.floor(Math.random() * 100)] as const);
  const script = `Sales:\nLOAD * INLINE [\nREGION, AMOUNT\n${rows.map((r) => r.join(', ')).join('\n')}\n];\n`;
  const put = await qrs('proxy', `/app/${appId}/script`, s, 'PUT', { script });
  check(put.status === 200, `PUT /qrs/app/${appId}/script answered ${put.status}`, put);
  const reload = await qrs('proxy', `/app/${appId}/reload`, s, 'POST');
  check(reload.status === 200 && (reload.json as { status?: string }).status === 'succeeded', `reload answered ${reload.status}`, reload);
  return { appId, sum: rows.reduce((a, r) => a + r[1], 0) };
}

/** A QIX session (enigma.js over the proxy's websocket), bounded: a hang is a failure too. */
async function openQix(s: Session, via: ProxyName, appId: string, evaluate?: string, origin = ORIGIN, boundMs = 30_000): Promise<QixOutcome & { ms: number }> {
  const start = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<QixOutcome>((resolve) => (timer = setTimeout(() => resolve({ ok: false, error: `HANG: no answer in ${boundMs} ms` }), boundMs)));
  const out = await Promise.race([qixSession({ proxyUrl: proxies[via].url, appId, cookie: s.cookie, csrfToken: s.csrfToken, origin, clientFacingCa, evaluate }), bound]);
  clearTimeout(timer);
  return { ...out, ms: Date.now() - start };
}

async function evaluates(s: Session, via: ProxyName, app: { appId: string; sum: number }): Promise<void> {
  const q = await openQix(s, via, app.appId, 'Sum(AMOUNT)');
  check(q.ok, `QIX through ${via} failed`, q);
  check(/^\d+\.\d+\.\d+/.test(q.engineVersion ?? ''), `odd engine version through ${via}`, q);
  check(Number(q.evaluated) === app.sum, `Sum(AMOUNT) through ${via} is ${q.evaluated}, the rows sum to ${app.sum}`, q);
}

type Engines = Record<string, string>;
async function enginesSeenBy(via: ProxyName): Promise<Engines> {
  const h = await health({ url: proxies[via].api, clientFacingCa, exportDir });
  return (h.json as { engines?: Engines } | undefined)?.engines ?? {};
}
/** Polls both proxies' per-engine health (they probe every 2 s) until it matches, within 30 s. */
async function untilEngines(via: ProxyName[], want: Engines): Promise<void> {
  const end = Date.now() + 30_000;
  for (;;) {
    const seen = await Promise.all(via.map(enginesSeenBy));
    if (seen.every((e) => Object.entries(want).every(([k, v]) => e[k] === v))) return;
    check(Date.now() < end, `engines not ${JSON.stringify(want)} after 30 s`, seen);
    await sleep(500);
  }
}
const dockerStop = (container: string) => execFileSync(env('DOCKER'), ['stop', container], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000 });

async function defaultProfile(): Promise<void> {
  const s = await step('ticket on the proxy API port (exported portal certificate), redeemed at /hub/', () => signIn('proxy'));
  await step('/qrs/about and /qrs/app with the session cookie and xrfkey; refused without the cookie', async () => {
    const [about, apps, anonymous] = await Promise.all([qrs('proxy', '/about', s), qrs('proxy', '/app', s), qrs('proxy', '/about')]);
    check(about.status === 200, `/qrs/about answered ${about.status}`, about);
    check(apps.status === 200 && Array.isArray(apps.json), `/qrs/app answered ${apps.status}`, apps);
    check(anonymous.status === 401, `/qrs/about without a session answered ${anonymous.status}`, anonymous);
  });
  const app = await step('an app created, scripted and reloaded through /qrs', () => appWithData(s, 'Compose site'));
  await step('the new app is listed by /qrs/app', async () => {
    const listed = await qrs('proxy', '/app', s);
    check((listed.json as { id: string }[]).some((a) => a.id === app.appId), 'the new app is not listed', listed);
  });
  await step('enigma.js through the published proxy port: OpenDoc + Evaluate(Sum(AMOUNT)) equals the sum of the rows', () => evaluates(s, 'proxy', app));
  await step('a websocket from an origin outside the allow list is refused (403)', async () => {
    const q = await openQix(s, 'proxy', app.appId, undefined, 'https://evil.example');
    check(!q.ok && /403/.test(q.error ?? ''), 'evil origin not refused with 403', q);
  });
}

async function scaleProfile(): Promise<void> {
  const engine = env('TZ_ENGINE_CONTAINER');
  const engine2 = env('TZ_ENGINE2_CONTAINER');
  const s = await step('login through proxy', () => signIn('proxy'));
  const app = await step('an app with data (reloaded through proxy)', () => appWithData(s, 'Compose site, scaled'));
  await step('the session cookie from proxy works on proxy2 (sessions in Redis): /qrs/about and QIX', async () => {
    const about = await qrs('proxy2', '/about', s);
    check(about.status === 200, `/qrs/about on proxy2 with proxy's cookie answered ${about.status}`, about);
    await evaluates(s, 'proxy2', app);
  });
  await step('both proxies see both engines', () => untilEngines(['proxy', 'proxy2'], { 'engine:4747': 'ok', 'engine2:4747': 'ok' }));
  await step('docker stop engine; both proxies see it unavailable', async () => {
    dockerStop(engine);
    await untilEngines(['proxy', 'proxy2'], { 'engine:4747': 'unavailable', 'engine2:4747': 'ok' });
  });
  await step('new sessions on both proxies open the app through engine2, the right sum', async () => {
    // Round robin over two engines would send half of these to the stopped one if it were still picked.
    for (const via of ['proxy', 'proxy2', 'proxy', 'proxy2'] as const) await evaluates(await signIn(via), via, app);
  });
  await step('docker stop engine2; both proxies see no engine', async () => {
    dockerStop(engine2);
    await untilEngines(['proxy', 'proxy2'], { 'engine:4747': 'unavailable', 'engine2:4747': 'unavailable' });
  });
  // With no engine marked up the proxy still tries each engine once (a slow probe is not a dead
  // engine), each try bounded by 5 s (apps/proxy/src/ws/qix-relay.ts): ~10 s with two stopped
  // engines whose names hang; the bound here is 20 s. Both proxies at once.
  await step('with no engine, a new QIX open fails with a clear error, not a hang', async () => {
    const seen = await Promise.all((['proxy', 'proxy2'] as const).map(async (via) => {
      const q = await openQix(await signIn(via), via, app.appId, 'Sum(AMOUNT)', ORIGIN, 20_000);
      check(!q.ok, `QIX through ${via} opened with no engine`, q);
      check(/engine unavailable|OnEngineWebsocketFailed/i.test(q.error ?? ''), `QIX through ${via} failed without saying the engine is unavailable`, q);
      return `${via} in ${q.ms} ms: ${q.error ?? ''}`;
    }));
    return seen.join(' | ');
  });
}

const phases: Record<string, () => Promise<void>> = { default: defaultProfile, scale: scaleProfile };
const phase = process.argv[2] ?? '';
const run = phases[phase];
if (!run) {
  console.error(`usage: compose-site-client.ts ${Object.keys(phases).join('|')}`);
  process.exit(2);
}
run().then(
  () => console.log(`compose-site-client: ${phase} profile client path passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`),
  (e: unknown) => {
    console.error(`compose-site-client: FAILED: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
