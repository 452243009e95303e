import { buildTargetOf, environmentOf, volumeMountsOf, type ComposeService, type VolumeMount } from '../compose/compose-file';

export const SITE_VOLUME = 'site';
export const ENGINE_SECRETS_VOLUME = 'engine-secrets';

type Access = 'ro' | 'rw';

/**
 * What each image may mount of the site's volumes (docs/deployment.md, "Volumes"), by
 * `<volume>:<subpath>` ('' = the whole volume). Everything else is refused, so a new folder in the
 * site volume is out of reach until someone decides otherwise here. Whole-volume access belongs to
 * the CLI (init: it creates the site) and the repository (the site CA and the audit writer);
 * proxies and engines get the trust material read-only (certs/ and their own key) and only the
 * folders they write. Engine-only secrets live in their own volume, away from the repository.
 */
export const VOLUME_ALLOW_LIST: Record<string, Record<string, Access>> = {
  cli: { 'site:': 'rw', 'engine-secrets:': 'rw' },
  repository: { 'site:': 'rw' },
  proxy: { 'site:certs': 'ro', 'site:private/proxy': 'ro', 'site:private/client-facing': 'ro', 'site:logs': 'rw' },
  engine: { 'site:certs': 'ro', 'site:private/engine': 'ro', 'site:apps': 'rw', 'site:keys': 'ro', 'site:data': 'ro', 'site:logs': 'rw', 'engine-secrets:': 'ro' },
};

const GUARDED = new Set([SITE_VOLUME, ENGINE_SECRETS_VOLUME]);
const keyOf = (m: VolumeMount) => `${m.source}:${m.subpath ?? ''}`;
const what = (m: VolumeMount) => (m.subpath ? `${m.source}/${m.subpath}` : `the whole ${m.source} volume`);

/** Why `s` mounts more of the site than its image may, or mounts trust material writable; undefined when it does not. */
export function volumeViolation(s: ComposeService): string | undefined {
  const target = buildTargetOf(s);
  const allowed = (target ? VOLUME_ALLOW_LIST[target] : undefined) ?? {};
  for (const m of volumeMountsOf(s)) {
    if (!GUARDED.has(m.source)) continue;
    const access = allowed[keyOf(m)];
    if (!access) return `mounts ${what(m)}, which ${target ? `the ${target} image` : 'a service not built from this repository'} may not`;
    if (access === 'ro' && !m.readOnly) return `mounts ${what(m)} writable; it must be read_only`;
  }
  return undefined;
}

/** The images that read or create the app authentication key: the engines, and init (tz init, tz apps authenticate). */
const AUTH_KEY_USERS = new Set(['engine', 'cli']);

/**
 * The app authentication key (libs/app-store, issue 15 finding 13) is what makes an app file
 * written by anyone but an engine unreadable; it must sit in the engine-only volume, where the
 * repository (which mounts the whole site volume, keys/ included) cannot read it.
 */
export function appAuthKeyViolation(s: ComposeService): string | undefined {
  const target = buildTargetOf(s);
  if (!target || !AUTH_KEY_USERS.has(target)) return undefined;
  const file = environmentOf(s)['TZ_APP_AUTH_KEY_FILE'];
  if (!file) return 'TZ_APP_AUTH_KEY_FILE is not set: the app authentication key would be in keys/, which the repository can read';
  const mount = volumeMountsOf(s).filter((m) => file.startsWith(`${m.target}/`)).sort((a, b) => b.target.length - a.target.length)[0];
  return mount?.source === ENGINE_SECRETS_VOLUME ? undefined : `TZ_APP_AUTH_KEY_FILE=${file} is not in the ${ENGINE_SECRETS_VOLUME} volume`;
}
