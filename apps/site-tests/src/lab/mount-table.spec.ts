import { describe, expect, it } from 'vitest';
import { parseCompose } from '../compose/compose-file';
import { mountTable, rewritePath } from './mount-table';

const compose = parseCompose(`
services:
  app:
    image: x
    volumes: [site:/data, "/dev/null:/data/certs/ca_key.pem:ro"]
    tmpfs: ["/tmp:size=1m,mode=0700,uid=5,gid=6"]
    secrets: [{ source: db, target: db_url }]
volumes: { site: {} }
secrets: { db: { file: ./docker/secrets/database_url } }
`);

describe('lab mounts', () => {
  const mounts = mountTable('app', compose.services['app'] ?? {}, compose, '/lab');

  it('maps volumes, tmpfs and secrets to the lab directory, and masks through the volume they sit in', () => {
    expect(mounts).toEqual([
      { kind: 'volume', target: '/data', host: '/lab/volumes/site' },
      { kind: 'tmpfs', target: '/tmp', host: '/lab/tmpfs/app/tmp', owner: { uid: 5, gid: 6 }, mode: 0o700 },
      { kind: 'secret', target: '/run/secrets/db_url', host: '/lab/secrets/database_url' },
      { kind: 'mask', target: '/data/certs/ca_key.pem', host: '/lab/volumes/site/certs/ca_key.pem' },
    ]);
  });

  it('rewrites a container path or a value starting with one, and nothing else', () => {
    expect(rewritePath('/data', mounts)).toBe('/lab/volumes/site');
    expect(rewritePath('/data/certs/x.pem', mounts)).toBe('/lab/volumes/site/certs/x.pem');
    expect(rewritePath('/database', mounts)).toBe('/database');
    expect(rewritePath('/run/secrets/db_url', mounts)).toBe('/lab/secrets/database_url');
    expect(rewritePath('repository:4242', mounts)).toBe('repository:4242');
  });
});
