import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnigmaDoc } from './testing/enigma-client';
import { enigmaTestApp, inlineTable } from './testing/enigma-test-app';

/**
 * Pivot hypercubes as the real enigma.js drives them (issue 18, item 2): collapsed nodes,
 * ExpandLeft/CollapseLeft/ExpandTop/CollapseTop (one node and qAll), subtotals below or above
 * (qShowTotalsAbove), qAlwaysFullyExpanded — on an app built by a load script with section access.
 * The expected pivot is built here from the raw rows a user may see (a small reference pivot in
 * plain JS); a reduced user's subtotals and grand total are over their rows only.
 */
const REGIONS = ['EAST', 'NORTH', 'SOUTH'];
const customers = Array.from({ length: 9 }, (_, i) => ({ cust: `K${String.fromCharCode(65 + i)}`, region: REGIONS[i % 3]! }));
const sales = Array.from({ length: 60 }, (_, i) => ({ cust: customers[(i * 5) % 9]!.cust, year: 2021 + (i % 3), quarter: `Q${1 + ((i * 7) % 4)}`, amount: 5 + ((i * 37) % 89) }));
const SCRIPT = [
  'Section Access;',
  ...inlineTable('ACCESS, USERID, REGION', ['ADMIN, CORP\\OWNER, ', 'USER, CORP\\READER, NORTH']),
  'Section Application;',
  'Customers:',
  ...inlineTable('CUST, REGION', customers.map((c) => `${c.cust}, ${c.region}`)),
  'Sales:',
  ...inlineTable('CUST, YEAR, QUARTER, AMOUNT', sales.map((s) => `${s.cust}, ${s.year}, ${s.quarter}, ${s.amount}`)),
].join('\n');

type Row = { REGION: string; CUST: string; YEAR: string; QUARTER: string; AMOUNT: number };
const rowsFor = (region: string | null): Row[] =>
  sales.flatMap((s) => {
    const c = customers.find((x) => x.cust === s.cust)!;
    return region === null || c.region === region ? [{ REGION: c.region, CUST: c.cust, YEAR: String(s.year), QUARTER: s.quarter, AMOUNT: s.amount }] : [];
  });

type Dim = 'REGION' | 'CUST' | 'YEAR' | 'QUARTER';
interface SideSpec {
  dims: Dim[];
  /** Paths (texts joined by '/') expanded, or 'all'. */
  expanded: Set<string> | 'all';
  /** Dimension indexes whose total is shown. */
  totals: number[];
}
/**
 * The reference pivot side: lines as text paths ('Totals' ends a total line), depth-first, values
 * sorted as text. `indent` (qIndentMode): an expanded node has its own line before its children, and
 * only the first dimension keeps its total line (a parent's line is its subtotal).
 */
function refLines(rows: Row[], side: SideSpec, above: boolean, indent = false): string[][] {
  const out: string[][] = [];
  const walk = (rs: Row[], prefix: string[], depth: number) => {
    const total = side.totals.includes(depth) && !(indent && depth > 0);
    if (total && above) out.push([...prefix, 'Totals']);
    for (const v of [...new Set(rs.map((r) => r[side.dims[depth]!]))].sort()) {
      const path = [...prefix, v];
      const sub = rs.filter((r) => r[side.dims[depth]!] === v);
      if (depth === side.dims.length - 1) out.push(path);
      else if (side.expanded === 'all' || side.expanded.has(path.join('/'))) {
        if (indent) out.push(path);
        walk(sub, path, depth + 1);
      } else out.push(path);
    }
    if (total && !above) out.push([...prefix, 'Totals']);
  };
  walk(rows, [], 0);
  return out;
}
const within = (rows: Row[], dims: Dim[], path: string[]) => rows.filter((r) => path.every((v, i) => v === 'Totals' || r[dims[i]!] === v));
function refPivot(region: string | null, left: SideSpec, top: SideSpec, above = false, indent = false): { left: string[][]; top: string[][]; data: (number | 'NaN')[][] } {
  const rows = rowsFor(region);
  const l = refLines(rows, left, above, indent);
  const t = refLines(rows, top, above);
  const data = l.map((lp) => t.map((tp) => {
    const rs = within(within(rows, left.dims, lp), top.dims, tp);
    return rs.length === 0 ? 'NaN' : rs.reduce((a, r) => a + r.AMOUNT, 0);
  }));
  return { left: l, top: t.map((p) => [...p, 'Amount']), data };
}

interface Node { qText: string; qType: string; qCanExpand: boolean; qCanCollapse: boolean; qUp: number; qDown: number; qSubNodes: Node[] }
interface PivotPage { qLeft: Node[]; qTop: Node[]; qData: { qNum: number | 'NaN' }[][] }
interface PivotObject {
  getLayout(): Promise<{ qHyperCube: { qSize: { qcx: number; qcy: number }; qPivotDataPages: PivotPage[] } }>;
  getHyperCubePivotData(path: string, pages: object[]): Promise<PivotPage[]>;
  expandLeft(path: string, row: number, col: number, all: boolean): Promise<void>;
  collapseLeft(path: string, row: number, col: number, all: boolean): Promise<void>;
  expandTop(path: string, row: number, col: number, all: boolean): Promise<void>;
  collapseTop(path: string, row: number, col: number, all: boolean): Promise<void>;
  on(event: 'changed', fn: () => void): void;
}
const paths = (nodes: Node[], prefix: string[] = []): string[][] => nodes.flatMap((n) => (n.qSubNodes.length === 0 ? [[...prefix, n.qText]] : paths(n.qSubNodes, [...prefix, n.qText])));
const PAGE = { qTop: 0, qLeft: 0, qHeight: 100, qWidth: 100 };
const shape = (p: PivotPage) => ({ left: paths(p.qLeft), top: paths(p.qTop), data: p.qData.map((r) => r.map((c) => c.qNum)) });
/** An indented left side as a client reads it: one row per node, depth-first, a node continued from the page above (qUp > 0) left out. */
const indentRows = (nodes: Node[], prefix: string[] = []): string[][] =>
  nodes.flatMap((n) => [...(n.qUp > 0 ? [] : [[...prefix, n.qText]]), ...indentRows(n.qSubNodes, [...prefix, n.qText])]);
const indentShape = (p: PivotPage) => ({ ...shape(p), left: indentRows(p.qLeft) });

const app = enigmaTestApp({ appId: 'pivot', title: 'Pivot', script: SCRIPT });
const docs: Record<string, EnigmaDoc> = {};
const REGION_OF: Record<string, string | null> = { 'CORP\\OWNER': null, 'CORP\\READER': 'NORTH' };

beforeAll(async () => {
  await app.start();
  for (const user of Object.keys(REGION_OF)) docs[user] = await app.open<EnigmaDoc>(user);
}, 60_000);
afterAll(() => app.close());

const total = (dim: string) => ({ qDef: { qFieldDefs: [dim] }, qOtherTotalSpec: { qTotalMode: 'TOTAL_EXPR' } });
async function pivot(user: string, extra: object = {}): Promise<PivotObject> {
  return (await docs[user]!.createSessionObject({
    qInfo: { qType: 'pivot-table' },
    qHyperCubeDef: {
      qMode: 'P',
      qNoOfLeftDims: 2,
      qDimensions: [total('REGION'), total('CUST'), { qDef: { qFieldDefs: ['YEAR'] } }, { qDef: { qFieldDefs: ['QUARTER'] } }],
      qMeasures: [{ qDef: { qDef: 'Sum(AMOUNT)', qLabel: 'Amount' } }],
      qInitialDataFetch: [PAGE],
      ...extra,
    },
  })) as unknown as PivotObject;
}

describe('pivot expand and collapse with subtotals', () => {
  it('starts collapsed with totals; ExpandLeft/ExpandTop open one node, Collapse closes it, qAll opens everything — every figure over the user’s rows', async () => {
    const grand: Record<string, number> = {};
    for (const [user, region] of Object.entries(REGION_OF)) {
      const o = await pivot(user);
      const L = (expanded: SideSpec['expanded']): SideSpec => ({ dims: ['REGION', 'CUST'], expanded, totals: [0, 1] });
      const T = (expanded: SideSpec['expanded']): SideSpec => ({ dims: ['YEAR', 'QUARTER'], expanded, totals: [] });
      const layout = await o.getLayout();
      let expected = refPivot(region, L(new Set()), T(new Set()));
      expect({ user, ...shape(layout.qHyperCube.qPivotDataPages[0]!) }).toEqual({ user, ...expected });
      expect(layout.qHyperCube.qSize).toEqual({ qcx: expected.top.length, qcy: expected.left.length });
      const first = layout.qHyperCube.qPivotDataPages[0]!.qLeft[0]!;
      expect([first.qCanExpand, first.qCanCollapse]).toEqual([true, false]);
      grand[user] = expected.data.at(-1)!.reduce<number>((a, v) => a + (v === 'NaN' ? 0 : v), 0);

      // Expand the last region (its row index in the matrix, at the first left dimension).
      const lastRegion = expected.left.filter((p) => p.length === 1 && p[0] !== 'Totals').at(-1)![0]!;
      let changed = 0;
      o.on('changed', () => changed++);
      await o.expandLeft('/qHyperCubeDef', expected.left.findIndex((p) => p[0] === lastRegion), 0, false);
      expect(changed).toBeGreaterThan(0);
      // And the first year at the top (its column index, at the first top dimension).
      await o.expandTop('/qHyperCubeDef', 0, 0, false);
      const firstYear = expected.top[0]![0]!;
      expected = refPivot(region, L(new Set([lastRegion])), T(new Set([firstYear])));
      const [page] = await o.getHyperCubePivotData('/qHyperCubeDef', [PAGE]);
      expect({ user, ...shape(page!) }).toEqual({ user, ...expected });
      const opened = page!.qLeft.find((n) => n.qText === lastRegion)!;
      expect([opened.qCanExpand, opened.qCanCollapse]).toEqual([false, true]);

      // Collapse it again: back to the collapsed left side, the top still open.
      await o.collapseLeft('/qHyperCubeDef', expected.left.findIndex((p) => p[0] === lastRegion), 0, false);
      expect(shape((await o.getHyperCubePivotData('/qHyperCubeDef', [PAGE]))[0]!)).toEqual(refPivot(region, L(new Set()), T(new Set([firstYear]))));

      // Everything open; then one region collapsed out of "all".
      await o.expandLeft('/qHyperCubeDef', 0, 0, true);
      await o.expandTop('/qHyperCubeDef', 0, 0, true);
      expect(shape((await o.getHyperCubePivotData('/qHyperCubeDef', [PAGE]))[0]!)).toEqual(refPivot(region, L('all'), T('all')));
      await o.collapseTop('/qHyperCubeDef', 0, 0, true);
      expect(shape((await o.getHyperCubePivotData('/qHyperCubeDef', [PAGE]))[0]!)).toEqual(refPivot(region, L('all'), T(new Set())));
      // A node that does not exist (past the last row) is a named parameter error.
      await expect(o.expandLeft('/qHyperCubeDef', 10_000, 0, false)).rejects.toMatchObject({ message: expect.stringContaining('qRow') });
      await expect(o.expandLeft('/qHyperCubeDef', 0, 1, false)).rejects.toMatchObject({ message: expect.stringContaining('qCol') });
    }
    // The reduced user's grand total is over NORTH only, and differs from the owner's.
    expect(grand['CORP\\READER']).toBe(rowsFor('NORTH').reduce((a, r) => a + r.AMOUNT, 0));
    expect(grand['CORP\\OWNER']).toBe(rowsFor(null).reduce((a, r) => a + r.AMOUNT, 0));
  });

  it('qShowTotalsAbove puts each total before its values; qAlwaysFullyExpanded shows every node and ignores Collapse', async () => {
    for (const [user, region] of Object.entries(REGION_OF)) {
      const above = await pivot(user, { qShowTotalsAbove: true });
      await above.expandLeft('/qHyperCubeDef', 0, 0, true);
      expect(shape((await above.getHyperCubePivotData('/qHyperCubeDef', [PAGE]))[0]!)).toEqual(
        refPivot(region, { dims: ['REGION', 'CUST'], expanded: 'all', totals: [0, 1] }, { dims: ['YEAR', 'QUARTER'], expanded: new Set(), totals: [] }, true),
      );
      const full = await pivot(user, { qAlwaysFullyExpanded: true });
      await full.collapseLeft('/qHyperCubeDef', 0, 0, true);
      const page = (await full.getLayout()).qHyperCube.qPivotDataPages[0]!;
      expect(shape(page)).toEqual(refPivot(region, { dims: ['REGION', 'CUST'], expanded: 'all', totals: [0, 1] }, { dims: ['YEAR', 'QUARTER'], expanded: 'all', totals: [] }));
      expect(page.qLeft.every((n) => !n.qCanExpand && !n.qCanCollapse)).toBe(true);
      // A page in the middle of the fully expanded pivot: the rows and columns it asks for.
      const whole = refPivot(region, { dims: ['REGION', 'CUST'], expanded: 'all', totals: [0, 1] }, { dims: ['YEAR', 'QUARTER'], expanded: 'all', totals: [] });
      const [mid] = await full.getHyperCubePivotData('/qHyperCubeDef', [{ qTop: 1, qLeft: 2, qHeight: 3, qWidth: 4 }]);
      expect(shape(mid!)).toEqual({ left: whole.left.slice(1, 4), top: whole.top.slice(2, 6), data: whole.data.slice(1, 4).map((r) => r.slice(2, 6)) });
    }
  });

  it('qIndentMode gives every expanded node a row of its own holding its subtotal, before its children; a page cut inside a node says so in qUp/qDown', async () => {
    for (const [user, region] of Object.entries(REGION_OF)) {
      const o = await pivot(user, { qIndentMode: true });
      const L = (expanded: SideSpec['expanded']): SideSpec => ({ dims: ['REGION', 'CUST'], expanded, totals: [0, 1] });
      const T: SideSpec = { dims: ['YEAR', 'QUARTER'], expanded: new Set(), totals: [] };
      const layout = await o.getLayout();
      expect(layout.qHyperCube).toMatchObject({ qIndentMode: true });
      // Collapsed, indent mode looks like the plain pivot: a row per region, then the grand total.
      expect(indentShape(layout.qHyperCube.qPivotDataPages[0]!)).toEqual(refPivot(region, L(new Set()), T, false, true));

      await o.expandLeft('/qHyperCubeDef', 0, 0, true);
      const open = refPivot(region, L('all'), T, false, true);
      const [page] = await o.getHyperCubePivotData('/qHyperCubeDef', [PAGE]);
      expect({ user, ...indentShape(page!) }).toEqual({ user, ...open });
      // A region's own row holds the sum over its customers' rows (no separate customer total rows).
      const firstRegion = open.left[0]![0]!;
      expect(open.left.some((p) => p.length === 2 && p[1] === 'Totals')).toBe(false);
      expect(page!.qData[0]!.map((c) => c.qNum)).toEqual(
        open.top.map((tp) => within(within(rowsFor(region), ['REGION'], [firstRegion]), ['YEAR', 'QUARTER'], tp.slice(0, -1)).reduce((a, r) => a + r.AMOUNT, 0) || 'NaN'),
      );

      // A page starting inside the first region: its node is continued from above (qUp), and
      // the page's rows are exactly the reference rows it covers.
      const [mid] = await o.getHyperCubePivotData('/qHyperCubeDef', [{ qTop: 2, qLeft: 0, qHeight: 2, qWidth: 100 }]);
      const regionRows = open.left.filter((p) => p[0] === firstRegion).length;
      expect(mid!.qLeft[0]).toMatchObject({ qText: firstRegion, qUp: 2, qDown: Math.max(0, regionRows - 4) });
      expect(mid!.qData.map((r) => r.map((c) => c.qNum))).toEqual(open.data.slice(2, 4));
      expect(indentRows(mid!.qLeft).map((p) => p.at(-1))).toEqual(open.left.slice(2, 4).map((p) => p.at(-1)));

      // Collapsing a region by its own row closes it again.
      await o.collapseLeft('/qHyperCubeDef', 0, 0, false);
      const [after] = await o.getHyperCubePivotData('/qHyperCubeDef', [PAGE]);
      const collapsedFirst = refPivot(region, L('all'), T, false, true).left.filter((p) => !(p[0] === firstRegion && p.length > 1));
      expect(indentShape(after!).left).toEqual(collapsedFirst);
    }
  });
});
