import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpResult } from './site-client';
import type { RunningSite } from './site-processes';

export type AdminCall = (method: string, path: string, body?: unknown) => Promise<HttpResult>;

export const REGIONS = ['EAST', 'WEST', 'NORTH', 'SOUTH'] as const;

/** The region user `i` (CORP\\load<i>) is reduced to by section access. */
export function regionOf(i: number): string {
  return REGIONS[i % REGIONS.length] as string;
}

export function loadUser(i: number): string {
  return `load${i}`;
}

export interface SalesApp {
  appId: string;
  /** Sum(AMOUNT) and Count(ORDERID) per region, computed here from the rows written to the CSV. */
  truth: Map<string, { sum: number; count: number }>;
  /** The load script (to create more apps that reload the same data). */
  script: string;
  everyoneStreamId: string;
}

function check(r: HttpResult, what: string, status = [200, 201]): HttpResult {
  if (!status.includes(r.status)) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r;
}

/**
 * A section-access app for load and fault runs: `orders` rows over the four regions, reloaded by the
 * engine's sandboxed reload from CSV files of a data connection, published to Everyone. Users
 * CORP\\load0…load<users-1> each see one region (i mod 4); CORP\\admin sees all.
 */
export async function createSalesApp(site: RunningSite, admin: AdminCall, o: { users: number; orders: number; name?: string }): Promise<SalesApp> {
  const dir = join(site.dataDir, 'data', 'sales');
  mkdirSync(dir, { recursive: true });
  const customers = REGIONS.flatMap((r, ri) => [0, 1, 2].map((k) => [`C${ri * 3 + k}`, r] as const));
  const truth = new Map<string, { sum: number; count: number }>(REGIONS.map((r) => [r, { sum: 0, count: 0 }]));
  const lines = ['ORDERID,CUSTID,AMOUNT'];
  for (let i = 0; i < o.orders; i++) {
    const [cust, region] = customers[(i * 7) % customers.length]!;
    const amount = (i * 37) % 1000;
    lines.push(`${i + 1},${cust},${amount}`);
    const t = truth.get(region)!;
    t.sum += amount;
    t.count += 1;
  }
  writeFileSync(join(dir, 'orders.csv'), lines.join('\n'));
  writeFileSync(join(dir, 'customers.csv'), ['CUSTID,REGION', ...customers.map((c) => c.join(','))].join('\n'));
  const access = ['ACCESS, USERID, REGION', 'ADMIN, INTERNAL\\SA_SCHEDULER, ', 'ADMIN, CORP\\ADMIN, '];
  for (let i = 0; i < o.users; i++) access.push(`USER, CORP\\${loadUser(i).toUpperCase()}, ${regionOf(i)}`);
  const script = [
    'Section Access;',
    'LOAD * INLINE [',
    ...access,
    '];',
    'Section Application;',
    "Orders: LOAD ORDERID, CUSTID, AMOUNT FROM [lib://data/orders.csv] (txt, utf8, embedded labels, delimiter is ',');",
    "Customers: LOAD CUSTID, REGION FROM [lib://data/customers.csv] (txt, utf8, embedded labels, delimiter is ',');",
    '',
  ].join('\n');
  const conns = (await admin('GET', `/qrs/dataconnection?filter=${encodeURIComponent("name eq 'data'")}`)).json as unknown[] | undefined;
  if (!conns || conns.length === 0) check(await admin('POST', '/qrs/dataconnection', { name: 'data', connectionString: 'sales' }), 'data connection');
  const appId = (check(await admin('POST', '/qrs/app', { name: o.name ?? 'Sales (load)' }), 'create app').json as { id: string }).id;
  check(await admin('PUT', `/qrs/app/${appId}/script`, { script }), 'set script');
  check(await admin('POST', `/qrs/app/${appId}/reload`), 'reload');
  const streams = (check(await admin('GET', '/qrs/stream/full'), 'streams').json as { id: string; name: string }[]);
  const everyone = streams.find((s) => s.name === 'Everyone');
  if (!everyone) throw new Error('no Everyone stream');
  check(await admin('PUT', `/qrs/app/${appId}/publish?stream=${everyone.id}`), 'publish');
  return { appId, truth, script, everyoneStreamId: everyone.id };
}
