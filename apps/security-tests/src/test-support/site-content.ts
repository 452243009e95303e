import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN, ok, type AttackSite } from './attack-site';

/**
 * Content the attacks need, made through the real API as the site admin: apps built by real
 * sandboxed reloads, data connections over folders of the site's data volume.
 */
export async function createApp(a: AttackSite, name: string, script?: string): Promise<string> {
  const id = ok<{ id: string }>(await a.as(ADMIN, 'POST', '/qrs/app', { name }), `create app ${name}`).id;
  if (script !== undefined) await reloadWith(a, id, script);
  return id;
}

export async function reloadWith(a: AttackSite, appId: string, script: string): Promise<void> {
  ok(await a.as(ADMIN, 'PUT', `/qrs/app/${appId}/script`, { script }), 'set script');
  ok(await a.as(ADMIN, 'POST', `/qrs/app/${appId}/reload`), 'reload');
}

export async function everyoneStream(a: AttackSite): Promise<string> {
  const streams = ok<{ id: string; name: string }[]>(await a.as(ADMIN, 'GET', '/qrs/stream/full'), 'streams');
  const s = streams.find((x) => x.name === 'Everyone');
  if (!s) throw new Error('no Everyone stream');
  return s.id;
}

export async function publish(a: AttackSite, appId: string, streamId: string): Promise<void> {
  ok(await a.as(ADMIN, 'PUT', `/qrs/app/${appId}/publish?stream=${streamId}`), 'publish');
}

/** A folder data connection `name` over `<data>/data/<folder>` holding `files`. */
export async function dataConnection(a: AttackSite, name: string, folder: string, files: Record<string, string>): Promise<string> {
  const dir = join(a.site.dataDir, 'data', folder);
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return ok<{ id: string }>(await a.as(ADMIN, 'POST', '/qrs/dataconnection', { name, connectionString: folder }), `data connection ${name}`).id;
}

/** `LOAD * INLINE [...]` text for a header and rows. */
export function inline(label: string, header: string[], rows: (string | number)[][]): string {
  return `${label}: LOAD * INLINE [\n${header.join(', ')}\n${rows.map((r) => r.join(', ')).join('\n')}\n];\n`;
}

/**
 * The salaries app of the object and variable attack tests: Mallory is reduced to NORTH, the
 * scheduler, admin, Rita and Walter see everything. `prelude` lines go before the access section.
 */
export const PAY: [string, string, number][] = [['NORTH', 'Nora', 51_234], ['NORTH', 'Ned', 40_001], ['SOUTH', 'Sam', 98_765]];
export function payScript(prelude: string[] = []): string {
  return [
    ...prelude,
    'Section Access;',
    inline('SA', ['ACCESS', 'USERID', 'REGION'], [['ADMIN', 'INTERNAL\\SA_SCHEDULER', ''], ['ADMIN', 'CORP\\ADMIN', ''], ['ADMIN', 'CORP\\RITA', ''], ['ADMIN', 'CORP\\WALTER', ''], ['USER', 'CORP\\MALLORY', 'NORTH']]),
    'Section Application;',
    inline('Pay', ['REGION', 'NAME', 'SALARY'], PAY),
  ].join('\n');
}
/** Sum of SALARY over `region` (all rows when undefined), computed from the rows, not by the engine. */
export const payTotal = (region?: string): number => PAY.filter(([r]) => region === undefined || r === region).reduce((a, [, , s]) => a + s, 0);
