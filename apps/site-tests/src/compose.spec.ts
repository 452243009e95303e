import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeViolations } from './checks/compose-checks';
import { dockerfileViolations } from './checks/dockerfile-checks';
import { activeServices, buildTargetOf, environmentOf, healthTestOf, parseCompose, volumeMountsOf, type ComposeFile } from './compose/compose-file';
import { parseDockerfile } from './dockerfile/dockerfile-parser';
import { COMPOSE_PATH, REPO_ROOT, loadCompose, loadDockerfile, readRepoFile, scaleVars } from './site-files';

const composeText = readRepoFile('docker-compose.yml');
const dockerfileText = readRepoFile('docker/Dockerfile');
const targetsOf = (c: ComposeFile) => Object.values(c.services).map(buildTargetOf).filter((t): t is string => t !== undefined);
const clone = (c: ComposeFile): ComposeFile => structuredClone(c);
const pairs = (vs: { subject: string; check: string }[]) => vs.map((v) => `${v.subject}: ${v.check}`).sort();

describe('docker-compose.yml', () => {
  const compose = loadCompose();

  it('parses, and defines the site, its database and the scale profile', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['engine', 'engine2', 'init', 'postgres', 'proxy', 'proxy2', 'redis', 'repository']);
    expect(activeServices(compose, []).sort()).toEqual(['engine', 'init', 'postgres', 'proxy', 'repository']);
    expect(activeServices(compose, ['scale']).sort()).toEqual(['engine', 'engine2', 'init', 'postgres', 'proxy', 'proxy2', 'redis', 'repository']);
  });

  it('passes every hardening check, and so does every image target it builds', () => {
    expect(composeViolations(compose)).toEqual([]);
    expect(composeViolations(loadCompose(scaleVars()))).toEqual([]);
    const targets = targetsOf(compose);
    expect(new Set(targets)).toEqual(new Set(['cli', 'repository', 'engine', 'proxy']));
    expect(dockerfileViolations(loadDockerfile(), targets)).toEqual([]);
  });

  it('gives the proxies one engine and in-memory sessions by default, both engines and Redis with docker/scale.env', () => {
    const plain = environmentOf(compose.services['proxy'] ?? {});
    expect(plain['TZ_ENGINE_ADDRESSES']).toBe('engine:4747');
    expect(plain['TZ_REDIS_URL_FILE']).toBe('');
    const vars = scaleVars();
    expect(vars['COMPOSE_PROFILES']).toBe('scale');
    const scaled = loadCompose(vars);
    for (const p of ['proxy', 'proxy2']) {
      const env = environmentOf(scaled.services[p] ?? {});
      expect(env['TZ_ENGINE_ADDRESSES']?.split(',')).toEqual(['engine:4747', 'engine2:4747']);
      // The URL holds the Redis password, so it comes from a secret mounted into each proxy.
      expect(env['TZ_REDIS_URL_FILE']).toBe('/run/secrets/redis_url');
      expect(scaled.services[p]?.secrets).toContainEqual(expect.objectContaining({ source: 'redis_url', target: 'redis_url', mode: 0o400 }));
    }
  });

  it('proxies and engines mount only their folders of the site: trust material read-only, never a CA key, another key, the audit trail or the database', () => {
    const mounts = (name: string) => volumeMountsOf(compose.services[name] ?? {}).map((m) => `${m.source}:${m.subpath ?? ''} -> ${m.target}${m.readOnly ? ' (ro)' : ''}`).sort();
    expect(mounts('proxy')).toEqual([
      'site:certs -> /data/certs (ro)',
      'site:logs -> /data/logs',
      'site:private/client-facing -> /data/private/client-facing (ro)',
      'site:private/proxy -> /data/private/proxy (ro)',
    ]);
    expect(mounts('engine')).toEqual([
      'engine-secrets: -> /data/engine-secrets (ro)',
      'site:apps -> /data/apps',
      'site:certs -> /data/certs (ro)',
      'site:data -> /data/data (ro)',
      'site:keys -> /data/keys (ro)',
      'site:logs -> /data/logs',
      'site:private/engine -> /data/private/engine (ro)',
    ]);
    const scaled = loadCompose(scaleVars());
    for (const name of ['proxy', 'proxy2', 'engine', 'engine2']) {
      for (const m of volumeMountsOf(scaled.services[name] ?? {})) {
        if (m.source === 'engine-secrets') continue;
        expect(m.subpath, `${name} mounts a whole volume: ${m.source}`).toBeDefined();
        expect(['audit', 'db', 'private/root', 'private/client-facing-ca', 'private/repository', 'private/cli', 'site.json']).not.toContain(m.subpath);
        if (m.subpath === 'certs' || m.subpath?.startsWith('private/')) expect(m.readOnly, `${name}: ${m.subpath}`).toBe(true);
      }
    }
    // The app authentication key: created by init and read by the engines in the engine-only volume.
    for (const name of ['init', 'engine']) expect(environmentOf(compose.services[name] ?? {})['TZ_APP_AUTH_KEY_FILE']).toBe('/data/engine-secrets/app-auth.key');
    expect(environmentOf(compose.services['repository'] ?? {})['TZ_APP_AUTH_KEY_FILE']).toBeUndefined();
    // The CLI in init sends operator events to the repository (the audit trail's one writer) on a
    // network both are on, instead of finding the log locked by it (docker/compose-site.sh found that).
    expect(environmentOf(compose.services['init'] ?? {})['TZ_REPOSITORY_ADDRESS']).toBe('repository:4242');
    expect(compose.services['repository']?.networks).toEqual(expect.arrayContaining([...((compose.services['init']?.networks as string[] | undefined) ?? ['none'])]));
    // Only init and the repository see the whole site; the engine-only secrets are not the repository's.
    expect(mounts('repository')).toEqual(['site: -> /data']);
    expect(mounts('init')).toEqual(['engine-secrets: -> /data/engine-secrets', 'site: -> /data']);
    expect(mounts('postgres')).toEqual(['pgdata: -> /var/lib/postgresql/data']);
  });

  // Found running the site in real containers (issue 20): a container's /etc/hosts maps `localhost`
  // to ::1 as well, Docker gives containers no IPv6 by default, and the gRPC probe spent ~28 s on ::1
  // before trying 127.0.0.1 — past the 5 s healthcheck timeout, so no service ever became healthy.
  it('healthchecks probe the gRPC services on 127.0.0.1, never `localhost` (IPv6 first, absent in containers)', () => {
    const addressOf = (test: readonly string[]) => test[test.indexOf('--address') + 1];
    const probes: string[] = [];
    for (const [name, svc] of Object.entries(compose.services)) {
      const test = healthTestOf(svc);
      if (!test?.includes('--address') || test.includes('proxy')) continue;
      probes.push(name);
      expect(addressOf(test), name).toMatch(/^127\.0\.0\.1:\d+$/);
    }
    expect(probes.sort()).toEqual(['engine', 'engine2', 'repository']);
    const imageProbes = [...dockerfileText.matchAll(/"--address", "([^"]+)"\]/g)].map((m) => m[1]);
    expect(imageProbes).toEqual(['127.0.0.1:4242', '127.0.0.1:4747', 'https://localhost:443']);
  });

  // Found running the site in real containers (issue 20): Docker gives a fresh named volume the owner
  // of the image's folder at the mount point, and creates a missing one root-owned; /data/engine-secrets
  // did not exist in the image, so init (uid 10001) could not write the app authentication key.
  it('every whole named volume a trust-zone service mounts under /data is a folder the image creates, owned by the service user', () => {
    const runtime = /FROM \$\{NODE_RUNTIME_IMAGE\} AS runtime\n([\s\S]*?)\nWORKDIR/.exec(dockerfileText)?.[1] ?? '';
    const created = /mkdir -p ([^&;]+)&& chown 10001:10001 ([^&;]+)&& chmod 0700 ([^&;\\]+)/.exec(runtime);
    expect(created, 'the runtime stage creates the mount points').not.toBeNull();
    const [, made = '', owned = '', moded = ''] = created ?? [];
    const dirsOf = (words: string) => words.trim().split(/\s+/);
    const targets = new Set<string>();
    for (const svc of Object.values(loadCompose(scaleVars()).services)) {
      if (!buildTargetOf(svc)) continue;
      for (const m of volumeMountsOf(svc)) if (!m.subpath && m.target.startsWith('/data')) targets.add(m.target);
    }
    expect([...targets].sort()).toEqual(['/data', '/data/engine-secrets']);
    for (const t of targets) {
      expect(dirsOf(made).some((d) => d === t || d.startsWith(`${t}/`)), `${t} created`).toBe(true);
      expect(dirsOf(owned), `${t} owned by 10001`).toContain(t);
      expect(dirsOf(moded), `${t} mode 0700`).toContain(t);
    }
  });

  it('never re-initialises a site: init runs docker/init-site.sh, which creates a site once and then leaves it alone', () => {
    expect(compose.services['init']?.command).toEqual(['sh', 'docker/init-site.sh']);
    const dir = mkdtempSync(join(tmpdir(), 'tz-init-site-'));
    try {
      const env = { PATH: process.env['PATH'] ?? '', TZ_DATA_DIR: join(dir, 'data'), TZ_SITE_HOSTS: 'proxy,localhost' };
      const run = (extra: Record<string, string> = {}) => spawnSync('sh', ['docker/init-site.sh'], { cwd: REPO_ROOT, env: { ...env, ...extra }, encoding: 'utf8', timeout: 60_000 });
      const first = run();
      expect(first.status, first.stderr).toBe(0);
      const snapshot = () => ['site.json', 'certs/root.pem', 'private/root/root_key.pem', 'private/proxy/proxy_key.pem'].map((f) => readFileSync(join(dir, 'data', f), 'utf8'));
      const before = snapshot();
      expect(JSON.parse(before[0] ?? '{}').hosts).toEqual(expect.arrayContaining(['proxy', 'localhost']));
      const second = run({ TZ_SITE_HOSTS: 'other' });
      expect(second.status, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/already exists/);
      expect(second.stdout).toMatch(/layout is current/);
      expect(snapshot()).toEqual(before);
      // Every folder the compose file mounts as a subpath exists (Docker refuses a missing one).
      for (const svc of Object.values(compose.services)) {
        for (const m of volumeMountsOf(svc)) if (m.source === 'site' && m.subpath) expect(existsSync(join(dir, 'data', m.subpath)), m.subpath).toBe(true);
      }
      // Without hosts it refuses rather than guessing (a fresh directory, so the early exit does not apply).
      const bare = spawnSync('sh', ['docker/init-site.sh'], { cwd: REPO_ROOT, env: { PATH: env.PATH, TZ_DATA_DIR: join(dir, 'other') }, encoding: 'utf8' });
      expect(bare.status).not.toBe(0);
      expect(bare.stderr).toMatch(/TZ_SITE_HOSTS must be set/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/*
 * Each check must be able to fail: remove (or weaken) one setting of one service in a copy and the
 * checks must report exactly that service and that rule — nothing else changes.
 */
describe('upgrading a compose site created before the private/ split', () => {
  it('init-site.sh creates the app authentication key in the engine-only folder, and moves one an older site kept in keys/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tz-init-authkey-'));
    try {
      const data = join(dir, 'data');
      const auth = join(data, 'engine-secrets', 'app-auth.key');
      const plain = { PATH: process.env['PATH'] ?? '', TZ_DATA_DIR: data, TZ_SITE_HOSTS: 'proxy,localhost' };
      const run = (env: Record<string, string>) => spawnSync('sh', ['docker/init-site.sh'], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 60_000 });
      // A site initialised the old way (no TZ_APP_AUTH_KEY_FILE): the key is in keys/.
      expect(run(plain).status).toBe(0);
      const key = readFileSync(join(data, 'keys', 'app-auth.key'), 'utf8');
      const moved = run({ ...plain, TZ_APP_AUTH_KEY_FILE: auth });
      expect(moved.status, moved.stderr).toBe(0);
      expect(moved.stdout).toContain(`moved the app authentication key to ${auth}`);
      expect(readFileSync(auth, 'utf8')).toBe(key); // the same key: app files written under it stay readable
      expect(statSync(auth).mode & 0o777).toBe(0o600);
      expect(existsSync(join(data, 'keys', 'app-auth.key'))).toBe(false);
      // A fresh compose site creates it there directly.
      const fresh = join(dir, 'fresh');
      expect(run({ ...plain, TZ_DATA_DIR: fresh, TZ_APP_AUTH_KEY_FILE: join(fresh, 'engine-secrets', 'app-auth.key') }).status).toBe(0);
      expect(readFileSync(join(fresh, 'engine-secrets', 'app-auth.key'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
      expect(existsSync(join(fresh, 'keys', 'app-auth.key'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('init-site.sh moves the private keys out of certs/ into the folders the services mount', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tz-init-upgrade-'));
    try {
      const env = { PATH: process.env['PATH'] ?? '', TZ_DATA_DIR: join(dir, 'data'), TZ_SITE_HOSTS: 'proxy,localhost' };
      expect(spawnSync('sh', ['docker/init-site.sh'], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 60_000 }).status).toBe(0);
      // The layout of an older site: every key beside its certificate.
      const data = join(dir, 'data');
      for (const name of readdirSync(join(data, 'private'))) renameSync(join(data, 'private', name, `${name}_key.pem`), join(data, 'certs', `${name}_key.pem`));
      rmSync(join(data, 'private'), { recursive: true });
      const again = spawnSync('sh', ['docker/init-site.sh'], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 60_000 });
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/moved 7 private key\(s\)/);
      expect(readdirSync(join(data, 'certs')).filter((f) => f.endsWith('_key.pem'))).toEqual([]);
      for (const name of ['proxy', 'engine', 'client-facing']) expect(readdirSync(join(data, 'private', name))).toEqual([`${name}_key.pem`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the compose checks fail when a hardening setting is removed', () => {
  const base = loadCompose(scaleVars());
  const removals: [key: string, check: string][] = [
    ['healthcheck', 'healthcheck'],
    ['user', 'non-root-user'],
    ['read_only', 'read-only'],
    ['cap_drop', 'cap-drop'],
    ['security_opt', 'no-new-privileges'],
    ['ulimits', 'no-core-dumps'],
    ['mem_limit', 'resource-limits'],
    ['cpus', 'resource-limits'],
    ['networks', 'explicit-networks'],
  ];
  for (const service of Object.keys(base.services)) {
    it.each(removals)(`${service} without %s fails "%s"`, (key, check) => {
      const copy = clone(base);
      const s = copy.services[service] as Record<string, unknown>;
      expect(s[key], `${service} sets ${key}`).toBeDefined();
      delete s[key];
      expect(pairs(composeViolations(copy))).toEqual([`${service}: ${check}`]);
    });
  }

  const weakenings: [what: string, edit: (c: ComposeFile) => void, expected: string[]][] = [
    ['repository runs as root', (c) => void (svc(c, 'repository').user = '0:0'), ['repository: non-root-user']],
    ['postgres runs as "root"', (c) => void (svc(c, 'postgres').user = 'root'), ['postgres: non-root-user']],
    ['read_only false', (c) => void (svc(c, 'engine').read_only = false), ['engine: read-only']],
    ['a capability added back', (c) => void (svc(c, 'proxy').cap_add = ['NET_BIND_SERVICE']), ['proxy: cap-drop']],
    ['no-new-privileges:false', (c) => void (svc(c, 'redis').security_opt = ['no-new-privileges:false']), ['redis: no-new-privileges']],
    ['core dumps allowed', (c) => void (svc(c, 'engine2').ulimits = { core: -1 }), ['engine2: no-core-dumps']],
    ['privileged', (c) => void Object.assign(svc(c, 'engine'), { privileged: true }), ['engine: host-isolation']],
    ['host network', (c) => void Object.assign(svc(c, 'repository'), { network_mode: 'host' }), ['repository: host-isolation']],
    ['the repository publishes a port', (c) => void (svc(c, 'repository').ports = ['4242:4242']), ['repository: published-ports']],
    ['postgres on the frontend', (c) => void (svc(c, 'postgres').networks = ['frontend', 'database']), ['postgres: frontend-only-proxies']],
    ['backend not internal', (c) => void ((c.networks ?? {})['backend'] = {}), ['network backend: internal-networks']],
    ['database not internal', (c) => void ((c.networks ?? {})['database'] = { internal: false }), ['network database: internal-networks']],
    ['a dependency only started', (c) => void (svc(c, 'proxy').depends_on = { repository: { condition: 'service_started' }, engine: { condition: 'service_healthy' } }), ['proxy: depends-on-health']],
    ['depends_on in short form', (c) => void (svc(c, 'engine').depends_on = ['repository']), ['engine: depends-on-health']],
    ['init awaited for health instead of completion', (c) => void (svc(c, 'repository').depends_on = { init: { condition: 'service_healthy' }, postgres: { condition: 'service_healthy' } }), ['repository: depends-on-health']],
    ['a secret readable by all', (c) => void (svc(c, 'repository').secrets = [{ source: 'database_url', target: 'database_url', uid: '10001', gid: '10001', mode: 0o444 }]), ['repository: secret-files']],
    ['a secret in short form', (c) => void (svc(c, 'postgres').secrets = ['postgres_password']), ['postgres: secret-files']],
    ['a password in the environment', (c) => void (svc(c, 'postgres').environment = { ...environmentOf(svc(c, 'postgres')), POSTGRES_PASSWORD: 'x' }), ['postgres: no-secret-in-env']],
    ['a URL with a password in the environment', (c) => void (svc(c, 'proxy').environment = { ...environmentOf(svc(c, 'proxy')), TZ_REDIS_URL: 'redis://u:p@redis:6379' }), ['proxy: no-secret-in-env']],
    ['a _FILE variable without its secret', (c) => void delete svc(c, 'repository').secrets, ['repository: file-vars-mounted']],
    ['a proxy without the Redis URL secret', (c) => void delete svc(c, 'proxy2').secrets, ['proxy2: file-vars-mounted']],
    ['Redis without its ACL file', (c) => void (svc(c, 'redis').command = [svc(c, 'redis').command ?? []].flat().filter((a, i, all) => a !== '--aclfile' && all[i - 1] !== '--aclfile')), ['redis: session-store-auth']],
    ['init with --force', (c) => void (svc(c, 'init').command = ['node', 'dist/apps/cli/tz.cjs', 'init', '--force']), ['init: never-force-init']],
    ['a proxy mounts the whole site volume', (c) => void svc(c, 'proxy').volumes?.push('site:/data'), ['proxy: volume-least-privilege']],
    ['an engine mounts the trust material writable', (c) => void (svc(c, 'engine2').volumes = svc(c, 'engine2').volumes?.map((v) => (typeof v !== 'string' && v.target === '/data/certs' ? { ...v, read_only: false } : v))), ['engine2: volume-least-privilege']],
    ['an engine mounts its own key writable', (c) => void svc(c, 'engine').volumes?.push({ type: 'volume', source: 'site', target: '/data/private/engine', volume: { subpath: 'private/engine' } }), ['engine: volume-least-privilege']],
    ['a proxy mounts the audit trail read-only', (c) => void svc(c, 'proxy2').volumes?.push({ type: 'volume', source: 'site', target: '/data/audit', read_only: true, volume: { subpath: 'audit' } }), ['proxy2: volume-least-privilege']],
    ['an engine gets the site CA key', (c) => void svc(c, 'engine').volumes?.push({ type: 'volume', source: 'site', target: '/data/private/root', read_only: true, volume: { subpath: 'private/root' } }), ['engine: volume-least-privilege']],
    ['a proxy gets the engine key', (c) => void svc(c, 'proxy').volumes?.push({ type: 'volume', source: 'site', target: '/data/private/engine', read_only: true, volume: { subpath: 'private/engine' } }), ['proxy: volume-least-privilege']],
    ['the repository reads the engine-only secrets', (c) => void svc(c, 'repository').volumes?.push('engine-secrets:/data/engine-secrets:ro'), ['repository: volume-least-privilege']],
    ['postgres mounts the site volume', (c) => void svc(c, 'postgres').volumes?.push('site:/site:ro'), ['postgres: volume-least-privilege']],
    ['the app authentication key back in keys/', (c) => void (svc(c, 'engine2').environment = { ...environmentOf(svc(c, 'engine2')), TZ_APP_AUTH_KEY_FILE: '/data/keys/app-auth.key' }), ['engine2: app-auth-key-engine-only']],
    ['an engine without TZ_APP_AUTH_KEY_FILE', (c) => void (svc(c, 'engine').environment = Object.fromEntries(Object.entries(environmentOf(svc(c, 'engine'))).filter(([k]) => k !== 'TZ_APP_AUTH_KEY_FILE'))), ['engine: app-auth-key-engine-only']],
  ];
  it.each(weakenings)('%s is reported', (_what, edit, expected) => {
    const copy = clone(base);
    edit(copy);
    expect(pairs(composeViolations(copy))).toEqual(expected);
  });

  it('a text edit of the shared anchor (read_only removed from x-hardened) fails every service', () => {
    const edited = composeText.replace(/^ {2}read_only: true\b.*\n/m, '');
    expect(edited).not.toBe(composeText);
    const copy = parseCompose(edited, scaleVars());
    expect(pairs(composeViolations(copy))).toEqual(Object.keys(copy.services).map((s) => `${s}: read-only`).sort());
  });
});

describe('the Dockerfile checks fail when the final stages are weakened', () => {
  const targets = ['cli', 'repository', 'engine', 'proxy'];
  const all = (check: string) => targets.map((t) => `image ${t}: ${check}`).sort();
  const edits: [what: string, edit: (text: string) => string, expected: string[]][] = [
    ['every USER removed', (t) => t.replace(/^USER 10001:10001\n/gm, ''), all('image-user')],
    ['USER removed from the runtime stage only', (t) => t.replace(/^USER 10001:10001\n(\n# -+\nFROM runtime AS repository)/m, '$1'), ['engine', 'proxy', 'repository'].map((x) => `image ${x}: image-user`)],
    ['USER root in one target', (t) => t.replace(/^(FROM runtime AS engine\n)/m, '$1USER root\n'), ['image engine: image-user']],
    ['HEALTHCHECK removed from the proxy', (t) => t.replace(/^HEALTHCHECK [^\n]*\\\n[^\n]*"proxy"[^\n]*\n/m, ''), ['image proxy: image-healthcheck']],
    ['HEALTHCHECK NONE', (t) => t.replace(/^(FROM runtime AS repository\n)/m, '$1HEALTHCHECK NONE\n').replace(/^HEALTHCHECK --[^\n]*\\\n[^\n]*"repository"[^\n]*\n/m, ''), ['image repository: image-healthcheck']],
    ['runtime on the full build image', (t) => t.replace('ARG NODE_RUNTIME_IMAGE=node:20-bookworm-slim', 'ARG NODE_RUNTIME_IMAGE=node:20-bookworm'), all('image-no-build-tools')],
    ['a compiler installed', (t) => t.replace(/^(FROM \$\{NODE_RUNTIME_IMAGE\} AS runtime\n)/m, '$1RUN apt-get update && apt-get install -y --no-install-recommends g++ make\n'), all('image-no-build-tools')],
    ['npm ci in the final image', (t) => t.replace(/^(FROM runtime AS proxy\n)/m, '$1RUN npm ci --omit=dev\n'), ['image proxy: image-no-build-tools']],
    ['sources copied from the context', (t) => t.replace(/^(FROM \$\{NODE_RUNTIME_IMAGE\} AS runtime\n)/m, '$1COPY apps ./apps\n'), all('image-no-sources')],
    ['the whole builder tree copied', (t) => t.replace(/^(FROM runtime AS cli\n)/m, '$1COPY --from=builder /src /app/src\n'), ['image cli: image-no-sources']],
  ];
  it.each(edits)('%s is reported', (_what, edit, expected) => {
    const edited = edit(dockerfileText);
    expect(edited).not.toBe(dockerfileText);
    expect(pairs(dockerfileViolations(parseDockerfile(edited), targets))).toEqual(expected);
  });

  // Found building the images for real (issue 20): BuildKit resolves a `# syntax=` directive by
  // pulling that frontend image, which fails where no registry is reachable (docker/base-images.sh).
  it('has no `# syntax=` parser directive, so the built-in BuildKit frontend builds it with no registry', () => {
    // Parser directives: `# key=value` lines at the very top; the first other line ends them.
    const directives = (text: string) => {
      const keys: string[] = [];
      for (const line of text.split('\n')) {
        const m = /^#\s*([a-z]+)\s*=\s*\S+/i.exec(line);
        if (!m?.[1]) break;
        keys.push(m[1].toLowerCase());
      }
      return keys;
    };
    expect(directives(dockerfileText)).not.toContain('syntax');
    expect(directives(`# syntax=docker/dockerfile:1\n${dockerfileText}`)).toContain('syntax');
  });

  it('a target compose names but the Dockerfile lacks is reported', () => {
    expect(pairs(dockerfileViolations(loadDockerfile(), ['scheduler']))).toEqual(['image scheduler: image-target']);
  });
});

function svc(c: ComposeFile, name: string) {
  const s = c.services[name];
  if (!s) throw new Error(`${name} is not in ${COMPOSE_PATH}`);
  return s;
}
