import { buildTargetOf, volumeMountsOf, type ComposeService, type VolumeMount } from '../compose/compose-file';

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
