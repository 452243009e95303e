import { describe, expect, it } from 'vitest';
import { parseCompose } from '../compose/compose-file';
import { mountTable, rewritePath, viewPath } from './mount-table';

const compose = parseCompose(`
services:
  app:
    image: x
    volumes:
      - site:/data
      - { type: volume, source: site, target: /data/certs, read_only: true, volume: { subpath: certs } }
    tmpfs: ["/tmp:size=1m,mode=0700,uid=5,gid=6"]
    secrets: [{ source: db, target: db_url }]
  narrow:
    image: x
    volumes: [{ type: volume, source: site, target: /data/certs, read_only: true, volume: { subpath: certs } }]
volumes: { site: {} }
secrets: { db: { file: ./docker/secrets/database_url } }
`);

describe('lab mounts', () => {
  const mounts = mountTable('app', compose.services['app'] ?? {}, compose, '/lab');
  const narrow = mountTable('narrow', compose.services['narrow'] ?? {}, compose, '/lab');

  it('maps volumes (whole or a subpath, read-only or not) to the shared lab folder and the service view, tmpfs and secrets where they are', () => {
    expect(mounts).toEqual([
      { kind: 'volume', target: '/data', host: '/lab/volumes/site', view: '/lab/views/app/data', readOnly: false },
      { kind: 'volume', target: '/data/certs', host: '/lab/volumes/site/certs', view: '/lab/views/app/data/certs', readOnly: true, subpath: true },
      { kind: 'tmpfs', target: '/tmp', host: '/lab/tmpfs/app/tmp', owner: { uid: 5, gid: 6 }, mode: 0o700 },
      { kind: 'secret', target: '/run/secrets/db_url', host: '/lab/secrets/database_url' },
    ]);
    expect(mountTable('app', compose.services['app'] ?? {}, compose, '/lab', false)[0]).toEqual({ kind: 'volume', target: '/data', host: '/lab/volumes/site', readOnly: false });
  });

  it('rewrites a container path or a value starting with one to the shared folder (what the test reads), and nothing else', () => {
    expect(rewritePath('/data/certs/x.pem', mounts)).toBe('/lab/volumes/site/certs/x.pem');
    expect(rewritePath('/database', mounts)).toBe('/database');
    expect(rewritePath('/run/secrets/db_url', mounts)).toBe('/lab/secrets/database_url');
    expect(rewritePath('repository:4242', mounts)).toBe('repository:4242');
  });

  it('rewrites to the service view for the service itself, including the folders that hold its mounts', () => {
    expect(viewPath('/data', mounts)).toBe('/lab/views/app/data');
    expect(viewPath('/data/certs/x.pem', mounts)).toBe('/lab/views/app/data/certs/x.pem');
    expect(viewPath('/data', narrow)).toBe('/lab/views/narrow/data'); // it mounts only /data/certs, but its /data is there
    expect(viewPath('/data/audit', narrow)).toBe('/lab/views/narrow/data/audit'); // and nothing else is
    expect(viewPath('/tmp/x', mounts)).toBe('/lab/tmpfs/app/tmp/x');
    expect(viewPath('/database', narrow)).toBe('/database');
  });
});
