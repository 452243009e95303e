import { basename, join } from 'node:path';
import { volumeMountsOf, type ComposeFile, type ComposeService } from '../compose/compose-file';
import { SiteTestError, SiteTestErrorCode } from '../site-tests.error';

/**
 * A container path and where the lab keeps it. Volumes live in `host` (`volumes/<name>[/<subpath>]`,
 * shared by every service that mounts them) and are bind-mounted at `view`, the service's private
 * picture of its container file system (`views/<service><target>`), read-only where compose says
 * so; the shared `volumes/` folder is hidden from the service, so it sees what its container would
 * and nothing else. tmpfs folders and secret files are used where they are.
 */
export interface Mount {
  kind: 'volume' | 'tmpfs' | 'secret';
  target: string;
  host: string;
  /** Volumes: where this service sees the mount. */
  view?: string;
  readOnly?: boolean;
  /** A `volume.subpath` mount: Docker refuses to start the container when the folder is missing. */
  subpath?: boolean;
  owner?: { uid: number; gid: number };
  mode?: number;
}

/**
 * The mounts of one service, as compose would set them up, mapped into the lab directory `root`.
 * `views`: give the service its own view of its volumes (the trust-zone services, whose isolation
 * the site test checks); without it the volumes are used where they are (the official images,
 * whose set-up runs on the host, e.g. initdb).
 */
export function mountTable(service: string, s: ComposeService, compose: ComposeFile, root: string, views = true): Mount[] {
  const mounts: Mount[] = [];
  for (const v of volumeMountsOf(s)) {
    if (!(v.source in (compose.volumes ?? {}))) throw new SiteTestError(SiteTestErrorCode.HostUnsupported, `${service}: the lab maps named volumes only, not ${v.source}`);
    mounts.push({
      kind: 'volume',
      target: v.target,
      host: join(root, 'volumes', v.source, v.subpath ?? ''),
      ...(views ? { view: join(viewRoot(root, service), v.target) } : {}),
      readOnly: v.readOnly,
      ...(v.subpath ? { subpath: true } : {}),
    });
  }
  for (const t of typeof s.tmpfs === 'string' ? [s.tmpfs] : (s.tmpfs ?? [])) {
    const [target = '', options = ''] = t.split(/:(.*)/s);
    const opts = new Map(options.split(',').filter(Boolean).map((o) => [o.split('=')[0] ?? '', o.split('=')[1] ?? '']));
    const opt = (k: string) => (/^\d+$/.test(opts.get(k) ?? '') ? opts.get(k) : undefined);
    const uid = opt('uid');
    mounts.push({
      kind: 'tmpfs',
      target,
      host: join(root, 'tmpfs', service, target.replace(/^\/+/, '').replace(/\//g, '_')),
      ...(uid !== undefined ? { owner: { uid: Number(uid), gid: Number(opt('gid') ?? uid) } } : {}),
      mode: Number.parseInt(opt('mode') ?? '1777', 8),
    });
  }
  for (const ref of s.secrets ?? []) {
    const source = typeof ref === 'string' ? ref : ref.source;
    const target = typeof ref === 'string' ? ref : (ref.target ?? ref.source);
    const file = compose.secrets?.[source]?.file;
    if (!file) throw new SiteTestError(SiteTestErrorCode.ComposeInvalid, `${service}: secret ${source} has no file`);
    mounts.push({ kind: 'secret', target: target.startsWith('/') ? target : `/run/secrets/${target}`, host: join(root, 'secrets', basename(file)) });
  }
  return mounts;
}

export const viewRoot = (root: string, service: string): string => join(root, 'views', service);

const under = (value: string, dir: string) => value === dir || value.startsWith(`${dir}/`);

/** `/data/private/proxy` → `/data`, `/data/private` (never `/`). */
const ancestors = (target: string): string[] => target.split('/').slice(1, -1).map((_, i, parts) => `/${parts.slice(0, i + 1).join('/')}`);

/** A container path (or a value starting with one) as the lab's shared host path; other values unchanged. */
export function rewritePath(value: string, mounts: readonly Mount[]): string {
  const m = mounts.filter((x) => under(value, x.target)).sort((a, b) => b.target.length - a.target.length)[0];
  return m ? m.host + value.slice(m.target.length) : value;
}

/**
 * A container path as the service itself sees it in the lab: under its view for the volumes and
 * the folders that hold them (`/data` of a container that mounts only `/data/certs`), the tmpfs
 * folder or secret file for those; other values unchanged.
 */
export function viewPath(value: string, mounts: readonly Mount[]): string {
  const volumes = mounts.filter((m) => m.kind === 'volume' && m.view !== undefined);
  const direct = mounts.filter((x) => under(value, x.target)).sort((a, b) => b.target.length - a.target.length)[0];
  if (direct && direct.view === undefined) return direct.host + value.slice(direct.target.length);
  const holds = direct ?? volumes.find((m) => ancestors(m.target).some((a) => under(value, a)));
  if (!holds?.view) return value;
  return holds.view.slice(0, holds.view.length - holds.target.length) + value;
}
