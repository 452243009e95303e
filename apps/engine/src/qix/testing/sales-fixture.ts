import type { Cell, LoadedTable, LoadResult } from '@trustzone/data-model';

/**
 * Test data: a three-table star (Customers — Sales — Products) with the section-access worked
 * example of the reference (reduction on REGION, OMIT MARGIN for BOB), plus a SOUTH customer no
 * security row lists. Values are distinctive so a leak shows up in a plain text scan of the frames.
 * The raw rows double as the input of the tests' independent oracle (plain JS, no data-model code).
 */
export interface Customer { custId: string; name: string; region: string }
export interface Sale { orderId: number; custId: string; prodId: string; amount: number; margin: number }
export interface Product { prodId: string; product: string; category: string }

export const CUSTOMERS: readonly Customer[] = [
  { custId: 'C1', name: 'Acme', region: 'EAST' },
  { custId: 'C2', name: 'Bolt', region: 'WEST' },
  { custId: 'C3', name: 'Core', region: 'NORTH' },
  { custId: 'C4', name: 'Dyna', region: 'EAST' },
  { custId: 'C5', name: 'Echo', region: 'SOUTH' },
];

export const SALES: readonly Sale[] = [
  { orderId: 70101, custId: 'C1', prodId: 'P1', amount: 120.11, margin: 12.01 },
  { orderId: 70102, custId: 'C2', prodId: 'P2', amount: 230.22, margin: 23.02 },
  { orderId: 70103, custId: 'C3', prodId: 'P3', amount: 310.33, margin: 31.03 },
  { orderId: 70104, custId: 'C4', prodId: 'P1', amount: 75.44, margin: 7.04 },
  { orderId: 70105, custId: 'C2', prodId: 'P3', amount: 410.55, margin: 41.05 },
  { orderId: 70106, custId: 'C5', prodId: 'P4', amount: 999.66, margin: 99.06 },
  { orderId: 70107, custId: 'C3', prodId: 'P2', amount: 55.77, margin: 5.07 },
  { orderId: 70108, custId: 'C1', prodId: 'P3', amount: 64.88, margin: 6.08 },
];

export const PRODUCTS: readonly Product[] = [
  { prodId: 'P1', product: 'Widget', category: 'HARDWARE' },
  { prodId: 'P2', product: 'Gadget', category: 'HARDWARE' },
  { prodId: 'P3', product: 'Gizmo', category: 'SOFTWARE' },
  { prodId: 'P4', product: 'Doohickey', category: 'SERVICES' },
];

/** The security table as the loader hands it over (column names and values upper-cased). */
export const SECURITY_ROWS: readonly (readonly Cell[])[] = [
  ['ADMIN', 'INTERNAL\\SA_SCHEDULER', null, null],
  ['ADMIN', 'CORP\\ROOT', null, null],
  ['USER', 'CORP\\ALICE', 'EAST', null],
  ['USER', 'CORP\\BOB', 'WEST', 'MARGIN'],
  ['USER', 'CORP\\BOB', 'NORTH', null],
];

function table(name: string, fields: string[], rows: readonly (readonly Cell[])[]): LoadedTable {
  return { name, fields, columns: fields.map((_, i) => rows.map((r) => r[i] ?? null)) };
}

export function salesLoadResult(): LoadResult {
  return {
    tables: [
      table('Customers', ['CUSTID', 'NAME', 'REGION'], CUSTOMERS.map((c) => [c.custId, c.name, c.region])),
      table('Sales', ['ORDERID', 'CUSTID', 'PRODID', 'AMOUNT', 'MARGIN'], SALES.map((s) => [s.orderId, s.custId, s.prodId, s.amount, s.margin])),
      table('Products', ['PRODID', 'PRODUCT', 'CATEGORY'], PRODUCTS.map((p) => [p.prodId, p.product, p.category])),
    ],
    sectionAccess: table('SectionAccess', ['ACCESS', 'USERID', 'REGION', 'OMIT'], SECURITY_ROWS),
    variables: {},
  };
}

/**
 * The oracle: what a user may see, by plain joins over the raw rows (regions → customers → sales →
 * products), following the reference's worked example rather than any engine code. `null` regions
 * = ADMIN (everything).
 */
export function visibleRows(regions: readonly string[] | null): { customers: Customer[]; sales: Sale[]; products: Product[] } {
  if (regions === null) return { customers: [...CUSTOMERS], sales: [...SALES], products: [...PRODUCTS] };
  const customers = CUSTOMERS.filter((c) => regions.includes(c.region));
  const custIds = new Set(customers.map((c) => c.custId));
  const sales = SALES.filter((s) => custIds.has(s.custId));
  const prodIds = new Set(sales.map((s) => s.prodId));
  return { customers, sales, products: PRODUCTS.filter((p) => prodIds.has(p.prodId)) };
}

export const regionOf = (custId: string): string => CUSTOMERS.find((c) => c.custId === custId)!.region;
export const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
