import { inline } from './site-content';

/**
 * A small sales app with section access (section-access.md's worked example, larger): who may see
 * which region, and one OMITted field. Numbers are chosen distinctive (5-digit amounts, 3-digit
 * margins, 4-digit order ids) so a leaked value is recognisable in any frame.
 */
export const CUSTOMERS = [
  ['C-ACME', 'Acme', 'EAST'],
  ['C-BOLT', 'Bolt', 'WEST'],
  ['C-CORE', 'Core', 'NORTH'],
  ['C-DYNE', 'Dyne', 'SOUTH'],
  ['C-EPIC', 'Epic', 'EAST'],
] as const;

export const ORDERS = Array.from({ length: 30 }, (_, i) => ({
  orderId: 7001 + i,
  custId: (CUSTOMERS[i % CUSTOMERS.length] as readonly string[])[0] as string,
  amount: 10_000 + 37 * i + (i % 7),
  margin: 500 + 13 * i,
}));

/** Section access rows: user → regions (and whether MARGIN is omitted). */
export const ACCESS = {
  'CORP\\ADMIN': { regions: 'all' as const, omit: [] as string[] },
  'CORP\\ALICE': { regions: ['EAST'], omit: [] as string[] },
  'CORP\\BOB': { regions: ['WEST', 'NORTH'], omit: ['MARGIN'] },
};

export const SALES_SCRIPT = [
  'Section Access;',
  inline('SA', ['ACCESS', 'USERID', 'REGION', 'OMIT'], [
    ['ADMIN', 'INTERNAL\\SA_SCHEDULER', '', ''],
    ['ADMIN', 'CORP\\ADMIN', '', ''],
    ['USER', 'CORP\\ALICE', 'EAST', ''],
    ['USER', 'CORP\\BOB', 'WEST', 'MARGIN'],
    ['USER', 'CORP\\BOB', 'NORTH', ''],
  ]),
  'Section Application;',
  inline('Orders', ['ORDERID', 'CUSTID', 'AMOUNT', 'MARGIN'], ORDERS.map((o) => [o.orderId, o.custId, o.amount, o.margin])),
  inline('Customers', ['CUSTID', 'NAME', 'REGION'], CUSTOMERS.map((c) => [...c])),
].join('\n');

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export interface Visible {
  customers: (typeof CUSTOMERS)[number][];
  orders: (typeof ORDERS)[number][];
}

export function visibleTo(regions: readonly string[] | 'all'): Visible {
  const customers = CUSTOMERS.filter((c) => regions === 'all' || regions.includes(c[2]));
  const ids = new Set(customers.map((c) => c[0] as string));
  return { customers, orders: ORDERS.filter((o) => ids.has(o.custId)) };
}

export interface Forbidden {
  texts: string[];
  numbers: number[];
}

/**
 * What a reduced user must never see, computed from the raw rows: the texts and numbers of rows
 * outside their regions, every value of an omitted field, and aggregates over the hidden data —
 * minus anything that is also legitimately visible (a coincidence would be no leak).
 */
export function forbiddenFor(user: keyof typeof ACCESS): Forbidden {
  const { regions, omit } = ACCESS[user];
  const vis = visibleTo(regions);
  const visibleNumbers = new Set<number>([
    ...vis.orders.flatMap((o) => [o.orderId, o.amount, ...(omit.includes('MARGIN') ? [] : [o.margin])]),
    sum(vis.orders.map((o) => o.amount)),
  ]);
  const hiddenOrders = ORDERS.filter((o) => !vis.orders.includes(o));
  const hiddenCustomers = CUSTOMERS.filter((c) => !vis.customers.includes(c));
  const hiddenRegions = [...new Set(CUSTOMERS.map((c) => c[2]))].filter((r) => !vis.customers.some((c) => c[2] === r));
  const texts = [...hiddenCustomers.flatMap((c) => [c[0], c[1]]), ...hiddenRegions];
  const numbers = new Set<number>([
    ...hiddenOrders.flatMap((o) => [o.orderId, o.amount, o.margin]),
    ...(omit.includes('MARGIN') ? ORDERS.map((o) => o.margin) : []),
    sum(ORDERS.map((o) => o.amount)),
    sum(ORDERS.map((o) => o.margin)),
    ...hiddenRegions.map((r) => sum(visibleTo([r]).orders.map((o) => o.amount))),
  ]);
  return { texts, numbers: [...numbers].filter((n) => !visibleNumbers.has(n)) };
}

// A number standing on its own (not digits inside a word such as a hex id: a GUID's "5e2f…" once
// read as 5e2 = 500, a forbidden amount), and GUIDs (qGenericId, object ids) left out entirely:
// identifiers are random, and a segment of decimal digits would match a value by chance.
const NUMBER_TOKEN = /(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?!\w|\.\d)/g;
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Every forbidden text (substring) or number (a numeric token within 1e-6) found in `frames`. */
export function findLeaks(frames: readonly string[], forbidden: Forbidden): { token: string; frame: string }[] {
  const hits: { token: string; frame: string }[] = [];
  for (const frame of frames) {
    for (const t of forbidden.texts) if (frame.includes(t)) hits.push({ token: t, frame: frame.slice(0, 300) });
    for (const m of frame.replace(GUID, '').matchAll(NUMBER_TOKEN)) {
      const n = Number(m[0]);
      if (forbidden.numbers.some((x) => Math.abs(x - n) < 1e-6)) hits.push({ token: m[0], frame: frame.slice(0, 300) });
    }
  }
  return hits;
}

/**
 * Hidden *row values* (not aggregates) in `frames`: forbidden texts anywhere, and forbidden numbers
 * where a frame carries raw data — dimension and list cells (state other than L), GetTableData
 * rows. Aggregates are left out on purpose: a sum or an average of visible rows can equal a hidden
 * number by coincidence (the fuzzer found NORTH × 2 = EAST here), so totals are checked against
 * the computed truth by the fixed attack instead of by value search.
 */
export function findRawLeaks(frames: readonly string[], forbidden: Forbidden): { token: string; frame: string }[] {
  const hits: { token: string; frame: string }[] = [];
  const numbers = new Set(forbidden.numbers);
  const check = (n: unknown, frame: string) => {
    const v = typeof n === 'number' ? n : typeof n === 'string' && n.trim() !== '' ? Number(n) : NaN;
    if (Number.isFinite(v) && numbers.has(v)) hits.push({ token: String(v), frame: frame.slice(0, 300) });
  };
  const walk = (node: unknown, frame: string): void => {
    if (Array.isArray(node)) return node.forEach((x) => walk(x, frame));
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    if ('qState' in o && 'qElemNumber' in o && o['qState'] !== 'L') {
      check(o['qNum'], frame);
      check(o['qText'], frame);
    }
    if ('qValue' in o && Array.isArray(o['qValue'])) {
      for (const c of o['qValue'] as Record<string, unknown>[]) {
        check(c['qNumber'], frame);
        check(c['qText'], frame);
      }
    }
    for (const v of Object.values(o)) walk(v, frame);
  };
  for (const frame of frames) {
    for (const t of forbidden.texts) if (frame.includes(t)) hits.push({ token: t, frame: frame.slice(0, 300) });
    try {
      walk(JSON.parse(frame), frame);
    } catch {
      // not JSON: only the text search applies
    }
  }
  return hits;
}
