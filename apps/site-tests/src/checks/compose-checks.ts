import { buildTargetOf, dependsOnOf, environmentOf, healthTestOf, networksOf, volumeMountsOf, type ComposeFile, type ComposeService } from '../compose/compose-file';
import { isRootUser, type Violation } from './violation';
import { appAuthKeyViolation, volumeViolation } from './volume-checks';

/** Services built from this image target are the site's doors: the only ones on `frontend`, the only ones publishing ports. */
export const PROXY_TARGET = 'proxy';
export const FRONTEND_NETWORK = 'frontend';

type ServiceCheck = (name: string, s: ComposeService, compose: ComposeFile) => string | undefined;

/**
 * Every service-level rule of docs/deployment.md ("Hardening"), by name. Each returns why the service
 * fails it, or undefined. Each rule has a test that removes the setting from a copy and sees it fail.
 */
export const SERVICE_CHECKS: Record<string, ServiceCheck> = {
  healthcheck: (_n, s) => {
    const t = healthTestOf(s);
    if (!t || s.healthcheck?.disable === true) return 'no healthcheck';
    if (t[0] === 'NONE' || t.length < 2 || (t[0] !== 'CMD' && t[0] !== 'CMD-SHELL')) return `healthcheck test ${JSON.stringify(t)} runs nothing`;
    return undefined;
  },
  'non-root-user': (_n, s) => (isRootUser(s.user) ? `user is ${s.user === undefined ? 'not set (the image decides; root for official images)' : `"${s.user}" (root)`}` : undefined),
  'read-only': (_n, s) => (s.read_only === true ? undefined : 'read_only is not true'),
  'cap-drop': (_n, s) => {
    if (!(s.cap_drop ?? []).some((c) => c.toUpperCase() === 'ALL')) return 'cap_drop does not hold ALL';
    return (s.cap_add ?? []).length > 0 ? `cap_add gives back ${(s.cap_add ?? []).join(', ')}` : undefined;
  },
  'no-new-privileges': (_n, s) => ((s.security_opt ?? []).some((o) => /^no-new-privileges(:true)?$/.test(o)) ? undefined : 'security_opt lacks no-new-privileges:true'),
  'no-core-dumps': (_n, s) => {
    const core = s.ulimits?.['core'];
    const zero = core === 0 || (typeof core === 'object' && core.soft === 0 && core.hard === 0);
    return zero ? undefined : 'ulimits.core is not 0 (a core dump would hold keys and session ids)';
  },
  'resource-limits': (_n, s) => {
    const memory = s.mem_limit ?? s.deploy?.resources?.limits?.memory;
    const cpus = s.cpus ?? s.deploy?.resources?.limits?.cpus;
    if (memory === undefined) return 'no memory limit (mem_limit or deploy.resources.limits.memory)';
    return cpus === undefined ? 'no CPU limit (cpus or deploy.resources.limits.cpus)' : undefined;
  },
  'host-isolation': (_n, s) => {
    const raw = s as Record<string, unknown>;
    if (raw['privileged'] === true) return 'privileged: true';
    for (const k of ['network_mode', 'pid', 'ipc', 'userns_mode', 'uts']) if (raw[k] === 'host') return `${k}: host`;
    return undefined;
  },
  'published-ports': (_n, s) => ((s.ports ?? []).length > 0 && buildTargetOf(s) !== PROXY_TARGET ? `publishes ${JSON.stringify(s.ports)} but is not a proxy` : undefined),
  'frontend-only-proxies': (_n, s) => (networksOf(s).includes(FRONTEND_NETWORK) && buildTargetOf(s) !== PROXY_TARGET ? `is on ${FRONTEND_NETWORK} but is not a proxy` : undefined),
  // Without `networks:` compose attaches a service to "default", which is not internal.
  'explicit-networks': (_n, s) => (networksOf(s).length === 0 ? 'no networks: it would join the non-internal default network' : undefined),
  'depends-on-health': (name, s, compose) => {
    for (const [dep, d] of Object.entries(dependsOnOf(s))) {
      const target = compose.services[dep];
      if (!target) return `depends on "${dep}", which is not a service`;
      const want = target.restart === 'no' ? 'service_completed_successfully' : 'service_healthy';
      if (d.condition !== want) return `waits for ${dep} with ${d.condition}, not ${want}`;
    }
    return name in compose.services ? undefined : 'unknown service';
  },
  'secret-files': (_n, s) => {
    for (const ref of s.secrets ?? []) {
      if (typeof ref === 'string') return `secret "${ref}" in short form: no owner or mode`;
      if (ref.mode === undefined || (ref.mode & 0o077) !== 0) return `secret "${ref.source}" mode ${ref.mode?.toString(8) ?? 'unset'}: owner-only (0400/0600) expected`;
      if (ref.uid === undefined || ref.uid === '0') return `secret "${ref.source}" has no non-root owner (uid)`;
    }
    return undefined;
  },
  // Config holds paths to secrets, never their values (architecture.md): *_FILE variables only.
  'no-secret-in-env': (_n, s) => {
    for (const [k, v] of Object.entries(environmentOf(s))) {
      if (/(PASSWORD|SECRET|TOKEN|PRIVATE_KEY|API_KEY)$/i.test(k)) return `${k} holds a secret value (use ${k}_FILE and a secret)`;
      if (/:\/\/[^/@:\s]*:[^/@\s]+@/.test(v)) return `${k} holds a URL with a password (use a *_FILE secret)`;
    }
    return undefined;
  },
  // A *_FILE variable must name a secret mounted into this very service (compose mounts at /run/secrets/<target>),
  // or a file in one of its volume mounts (the app authentication key in engine-secrets). An empty
  // one is unset (the services read '' as not given).
  'file-vars-mounted': (_n, s) => {
    const mounted = (s.secrets ?? []).map((r) => (typeof r === 'string' ? r : (r.target ?? r.source))).map((t) => (t.startsWith('/') ? t : `/run/secrets/${t}`));
    const inVolume = (v: string) => volumeMountsOf(s).some((m) => v.startsWith(`${m.target}/`));
    const stray = Object.entries(environmentOf(s)).find(([k, v]) => k.endsWith('_FILE') && v !== '' && !mounted.includes(v) && !inVolume(v));
    return stray ? `${stray[0]}=${stray[1]} is not a secret or volume file mounted into this service` : undefined;
  },
  // Sessions and tickets live in Redis: whoever can write there can forge a login, so Redis needs a
  // password (an ACL file or requirepass) even on a network that holds only the proxies.
  'session-store-auth': (_n, s) => {
    if (!/^redis:/.test(s.image ?? '')) return undefined;
    const args = [s.command ?? [], s.entrypoint ?? []].flatMap((c) => (typeof c === 'string' ? c.split(/\s+/) : c));
    return args.some((a) => a === '--aclfile' || a === '--requirepass') ? undefined : 'Redis runs without a password (--aclfile or --requirepass)';
  },
  // Only what each image needs of the site volume, trust material read-only (volume-checks.ts).
  'volume-least-privilege': (_n, s) => volumeViolation(s),
  'app-auth-key-engine-only': (_n, s) => appAuthKeyViolation(s),
  // Re-initialising a site makes a new CA: every certificate of the site stops working.
  'never-force-init': (_n, s) => ([s.command ?? [], s.entrypoint ?? []].flat().some((a) => a.includes('--force')) ? 'runs a command with --force' : undefined),
};

/** Checks of the file as a whole: networks and secrets. */
export function fileViolations(compose: ComposeFile): Violation[] {
  const out: Violation[] = [];
  for (const [name, n] of Object.entries(compose.networks ?? {})) {
    if (name !== FRONTEND_NETWORK && n?.internal !== true) out.push({ subject: `network ${name}`, check: 'internal-networks', detail: 'only frontend may have a route out; this network is not internal' });
  }
  for (const [name, s] of Object.entries(compose.secrets ?? {})) {
    if (!s.file) out.push({ subject: `secret ${name}`, check: 'secret-files', detail: 'not a file secret' });
  }
  const used = new Set(Object.values(compose.services).flatMap(networksOf));
  for (const n of used) {
    if (!(n in (compose.networks ?? {}))) out.push({ subject: `network ${n}`, check: 'internal-networks', detail: 'used by a service but not declared' });
  }
  return out;
}

/** Every violation of the compose file; an empty list means it passes. */
export function composeViolations(compose: ComposeFile): Violation[] {
  const out = fileViolations(compose);
  for (const [name, s] of Object.entries(compose.services)) {
    for (const [check, run] of Object.entries(SERVICE_CHECKS)) {
      const why = run(name, s, compose);
      if (why) out.push({ subject: name, check, detail: why });
    }
  }
  return out;
}
