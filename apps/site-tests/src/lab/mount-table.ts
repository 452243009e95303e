import { basename, join } from 'node:path';
import type { ComposeFile, ComposeService } from '../compose/compose-file';
import { SiteTestError, SiteTestErrorCode } from '../site-tests.error';

/**
 * A container path and where the lab keeps it. `mask` is a `/dev/null:<file>` bind: the file is
 * hidden from that service (host path of the hidden file in `host`).
 */
export interface Mount {
  kind: 'volume' | 'tmpfs' | 'secret' | 'mask';
  target: string;
  host: string;
  owner?: { uid: number; gid: number };
  mode?: number;
}

/** The mounts of one service, as compose would set them up, mapped into the lab directory `root`. */
export function mountTable(service: string, s: ComposeService, compose: ComposeFile, root: string): Mount[] {
  const mounts: Mount[] = [];
  const masks: string[] = [];
  for (const v of s.volumes ?? []) {
    const [source = '', target = ''] = typeof v === 'string' ? v.split(':') : [v.source ?? '', v.target];
    if (source === '/dev/null') masks.push(target);
    else if (source in (compose.volumes ?? {})) mounts.push({ kind: 'volume', target, host: join(root, 'volumes', source) });
    else throw new SiteTestError(SiteTestErrorCode.HostUnsupported, `${service}: the lab maps named volumes and /dev/null masks only, not ${source}`);
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
  for (const target of masks) mounts.push({ kind: 'mask', target, host: rewritePath(target, mounts) });
  return mounts;
}

/** A container path (or a value starting with one) as the lab path; other values unchanged. */
export function rewritePath(value: string, mounts: readonly Mount[]): string {
  const m = mounts
    .filter((x) => x.kind !== 'mask' && (value === x.target || value.startsWith(`${x.target}/`)))
    .sort((a, b) => b.target.length - a.target.length)[0];
  return m ? m.host + value.slice(m.target.length) : value;
}
