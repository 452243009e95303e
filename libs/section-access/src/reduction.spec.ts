import {
  buildDataModel,
  computeState,
  type DataModel,
  DataModelErrorCode,
  evaluate,
  fieldDescription,
  type LoadedTable,
  SelectionState,
  tableData,
  tablesAndKeys,
  type View,
} from '@trustzone/data-model';
import { describe, expect, it } from 'vitest';
import { reduce, type ReductionResult } from './reduction';
import { DenyCode } from './section-access.error';

/** INLINE-style table: header line then rows; empty cell = null. */
function inline(name: string, text: string): LoadedTable {
  const lines = text.trim().split('\n').map((l) => l.trim()).filter(Boolean);
  const fields = lines[0]!.split(',').map((f) => f.trim());
  const rows = lines.slice(1).map((l) => l.split(',').map((c) => c.trim()));
  return { name, fields, columns: fields.map((_, i) => rows.map((r) => (r[i] === undefined || r[i] === '' ? null : r[i]!))) };
}

const model = (...tables: LoadedTable[]): DataModel => buildDataModel({ tables, sectionAccess: null, variables: {} });
const user = (id: string, groups: string[] = []) => ({ directory: id.split('\\')[0]!, userId: id.split('\\')[1]!, groups });

function granted(r: ReductionResult): Extract<ReductionResult, { kind: 'granted' }> {
  if (r.kind !== 'granted') throw new Error(`expected a grant, got ${r.code}: ${r.reason}`);
  return r;
}

/** Visible values of one field of one table, as text, in row order. */
function column(m: DataModel, view: View, table: string, field: string): string[] {
  const data = tableData(m, view, table, 0, 10_000);
  const i = data.fields.indexOf(field);
  return data.rows.map((r) => r[i]!.qText);
}

const sum = (m: DataModel, view: View, expr: string): number => {
  const v = evaluate(m, view, computeState(m, view, SelectionState.empty()), expr).qNumber;
  return v === 'NaN' ? Number.NaN : v;
};

describe('section access — the worked example of the reference', () => {
  const security = inline(
    'SA',
    `ACCESS, USERID, REGION, OMIT
     ADMIN, INTERNAL\\SA_SCHEDULER, ,
     ADMIN, CORP\\ROOT, ,
     USER, CORP\\ALICE, EAST,
     USER, CORP\\BOB, WEST, MARGIN
     USER, CORP\\BOB, NORTH,`,
  );
  const m = model(
    inline('Sales', 'ORDERID, CUSTID, AMOUNT, MARGIN\n1, C1, 100, 10\n2, C2, 200, 20\n3, C3, 300, 30'),
    inline('Customers', 'CUSTID, NAME, REGION\nC1, Acme, EAST\nC2, Bolt, WEST\nC3, Core, NORTH'),
  );

  it('ROOT (ADMIN) sees all 3 orders and all fields', () => {
    const r = granted(reduce(m, security, user('CORP\\ROOT')));
    expect(r.admin).toBe(true);
    expect(column(m, r.view, 'Sales', 'ORDERID')).toEqual(['1', '2', '3']);
    expect(tableData(m, r.view, 'Sales', 0, 10).fields).toEqual(['ORDERID', 'CUSTID', 'AMOUNT', 'MARGIN']);
  });

  it('ALICE sees customer C1 and order 1 only; Sum(AMOUNT) = 100', () => {
    const r = granted(reduce(m, security, user('CORP\\ALICE')));
    expect(r.admin).toBe(false);
    expect(column(m, r.view, 'Customers', 'CUSTID')).toEqual(['C1']);
    expect(column(m, r.view, 'Sales', 'ORDERID')).toEqual(['1']);
    expect(sum(m, r.view, 'Sum(AMOUNT)')).toBe(100);
  });

  it('BOB sees WEST and NORTH: customers C2, C3, orders 2, 3, and no field MARGIN', () => {
    const r = granted(reduce(m, security, user('CORP\\BOB')));
    expect(r.matchedRows).toBe(2);
    expect(r.omitted).toEqual(['MARGIN']);
    expect(column(m, r.view, 'Customers', 'CUSTID')).toEqual(['C2', 'C3']);
    expect(column(m, r.view, 'Sales', 'ORDERID')).toEqual(['2', '3']);
    expect(() => fieldDescription(m, r.view, 'MARGIN')).toThrow(expect.objectContaining({ code: DataModelErrorCode.NOT_FOUND }));
    expect(() => sum(m, r.view, 'Sum(MARGIN)')).toThrow(expect.objectContaining({ code: DataModelErrorCode.NOT_FOUND }));
    expect(tablesAndKeys(m, r.view).tables.flatMap((t) => t.fields.map((f) => f.name))).not.toContain('MARGIN');
  });

  it('CORP\\EVE matches no row and is denied', () => {
    const r = reduce(m, security, user('CORP\\EVE'));
    expect(r).toMatchObject({ kind: 'denied', code: DenyCode.NO_MATCHING_ROW });
  });

  it('the scheduler (ADMIN) may open the app for reloads', () => {
    expect(granted(reduce(m, security, user('INTERNAL\\sa_scheduler'))).admin).toBe(true);
  });
});

describe('section access — one test per semantic point', () => {
  it('user identity is upper-cased before matching; data values not in upper case never match', () => {
    const m = model(inline('T', 'REGION, X\nEAST, 1\nEast, 2\nWEST, 3'));
    const sa = inline('SA', 'ACCESS, USERID, REGION\nUSER, CORP\\ALICE, EAST');
    const r = granted(reduce(m, sa, { directory: 'corp', userId: 'alice', groups: [] }));
    expect(column(m, r.view, 'T', 'X')).toEqual(['1']);
  });

  it('two reduction fields combine as a selection: row tuples are not preserved', () => {
    const rows = [
      ['GERMANY', 'MACHINES'],
      ['GERMANY', 'FOOD'],
      ['FRANCE', 'MACHINES'],
      ['FRANCE', 'FOOD'],
      ['SPAIN', 'FOOD'],
      ['GERMANY', 'TOYS'],
    ];
    const m = model(inline('Sales', `ID, COUNTRY, LINE\n${rows.map((r, i) => `${i}, ${r[0]}, ${r[1]}`).join('\n')}`));
    const sa = inline('SA', 'ACCESS, USERID, COUNTRY, LINE\nUSER, D\\U, GERMANY, MACHINES\nUSER, D\\U, FRANCE, FOOD');
    const r = granted(reduce(m, sa, user('D\\U')));
    // Expected: OR within a field over the user's rows, AND across fields.
    const countries = new Set(['GERMANY', 'FRANCE']);
    const lines = new Set(['MACHINES', 'FOOD']);
    const expected = rows.map((row, i) => [i, row] as const).filter(([, row]) => countries.has(row[0]!) && lines.has(row[1]!)).map(([i]) => String(i));
    expect(column(m, r.view, 'Sales', 'ID')).toEqual(expected);
    expect(expected).toHaveLength(4); // the two granted tuples leak the two crossed ones
  });

  it('`*` means every value listed in that column, not every value in the data', () => {
    const m = model(inline('T', 'REGION, X\nEAST, 1\nWEST, 2\nSOUTH, 3'));
    const sa = inline('SA', 'ACCESS, USERID, REGION\nUSER, D\\A, EAST\nUSER, D\\B, WEST\nUSER, D\\STAR, *');
    const r = granted(reduce(m, sa, user('D\\STAR')));
    expect(column(m, r.view, 'T', 'REGION')).toEqual(['EAST', 'WEST']);
  });

  it('islands (tables linked to no reduction field) keep all rows', () => {
    const m = model(inline('T', 'REGION, X\nEAST, 1\nWEST, 2'), inline('Island', 'COLOR\nRED\nBLUE\nGREEN'));
    const r = granted(reduce(m, inline('SA', 'ACCESS, USERID, REGION\nUSER, D\\U, EAST'), user('D\\U')));
    expect(column(m, r.view, 'Island', 'COLOR')).toEqual(['RED', 'BLUE', 'GREEN']);
    expect(r.view.rowSet(m.tableByName.get('Island')!)).toBeNull();
  });

  it('rows whose reduction field is null are excluded, even for `*`, and so is what links only to them', () => {
    const m = model(inline('Customers', 'CUSTID, REGION\nC1, EAST\nC2,\nC3, WEST'), inline('Orders', 'ORDERID, CUSTID\n1, C1\n2, C2\n3, C3\n4, C2'));
    const sa = inline('SA', 'ACCESS, USERID, REGION\nUSER, D\\U, *\nUSER, D\\V, WEST\nUSER, D\\V, EAST');
    const r = granted(reduce(m, sa, user('D\\U')));
    expect(column(m, r.view, 'Customers', 'CUSTID')).toEqual(['C1', 'C3']);
    expect(column(m, r.view, 'Orders', 'ORDERID')).toEqual(['1', '3']);
  });

  it('strict exclusion: values missing from the data are dropped when some exist, denied when none do', () => {
    const m = model(inline('T', 'REGION, X\nEAST, 1\nWEST, 2'));
    const sa = inline('SA', 'ACCESS, USERID, REGION\nUSER, D\\SOME, EAST\nUSER, D\\SOME, MARS\nUSER, D\\NONE, MARS\nUSER, D\\NONE, VENUS');
    expect(column(m, granted(reduce(m, sa, user('D\\SOME'))).view, 'T', 'X')).toEqual(['1']);
    const denied = reduce(m, sa, user('D\\NONE'));
    expect(denied).toMatchObject({ kind: 'denied', code: DenyCode.NO_MATCHING_VALUES });
  });

  it('values that exist but leave no data together deny rather than open an empty app', () => {
    const m = model(inline('T', 'COUNTRY, LINE\nGERMANY, FOOD\nFRANCE, TOYS'));
    const sa = inline('SA', 'ACCESS, USERID, COUNTRY, LINE\nUSER, D\\U, GERMANY, TOYS');
    expect(reduce(m, sa, user('D\\U'))).toMatchObject({ kind: 'denied', code: DenyCode.NO_DATA });
  });

  it('OMIT hides the field, not rows; `*` in OMIT hides every field listed there; ADMIN rows still omit', () => {
    const m = model(inline('T', 'REGION, COST, PRICE\nEAST, 1, 10\nWEST, 2, 20'));
    const sa = inline('SA', 'ACCESS, USERID, REGION, OMIT\nUSER, D\\U, EAST, COST\nUSER, D\\V, EAST, PRICE\nUSER, D\\ALL, EAST, *\nADMIN, D\\ADM, , COST');
    const u = granted(reduce(m, sa, user('D\\U')));
    expect(tableData(m, u.view, 'T', 0, 10).fields).toEqual(['REGION', 'PRICE']);
    expect(tableData(m, u.view, 'T', 0, 10).rows).toHaveLength(1);
    const all = granted(reduce(m, sa, user('D\\ALL')));
    expect(all.omitted.sort()).toEqual(['COST', 'PRICE']);
    const adm = granted(reduce(m, sa, user('D\\ADM')));
    expect(adm.admin).toBe(true);
    expect(tableData(m, adm.view, 'T', 0, 10)).toMatchObject({ fields: ['REGION', 'PRICE'], rowCount: 2 });
  });

  it('OMIT names a field whatever its case, as the access section is upper case: Salary is hidden by OMIT Salary', () => {
    const m = model(inline('Staff', 'Name, Salary\nAnn, 91234\nBen, 87650'), inline('Pay', 'Name, SALARY\nAnn, 1'));
    const sa = inline('SA', 'ACCESS, USERID, OMIT\nUSER, D\\U, Salary\nUSER, D\\V,');
    const u = granted(reduce(m, sa, user('D\\U')));
    // Both spellings go: the access section cannot tell them apart.
    expect(u.omitted.sort()).toEqual(['SALARY', 'Salary']);
    expect(tableData(m, u.view, 'Staff', 0, 10).fields).toEqual(['Name']);
    expect(() => sum(m, u.view, 'Sum(Salary)')).toThrow(expect.objectContaining({ code: DataModelErrorCode.NOT_FOUND }));
    expect(tablesAndKeys(m, u.view).tables.flatMap((t) => t.fields.map((f) => f.name))).toEqual(['Name', 'Name']);
    expect(granted(reduce(m, sa, user('D\\V'))).omitted).toEqual([]);
    // An OMIT that names no field at all leaves nobody in (the reload refuses it first).
    expect(reduce(m, inline('SA', 'ACCESS, USERID, OMIT\nUSER, D\\U, Bonus'), user('D\\U'))).toMatchObject({ kind: 'denied', code: DenyCode.INVALID_SECURITY_TABLE });
  });
  it('GROUP rows match the user\'s groups (upper-cased); every identity column present must match', () => {
    const m = model(inline('T', 'REGION, X\nEAST, 1\nWEST, 2\nNORTH, 3'));
    const sa = inline('SA', 'ACCESS, USERID, GROUP, REGION\nUSER, *, SALES, EAST\nUSER, , SUPPORT, WEST\nUSER, D\\BOB, FINANCE, NORTH');
    const sales = granted(reduce(m, sa, user('D\\ANY', ['sales'])));
    expect(column(m, sales.view, 'T', 'X')).toEqual(['1']);
    const both = granted(reduce(m, sa, user('D\\ANY', ['Sales', 'support'])));
    expect(column(m, both.view, 'T', 'X')).toEqual(['1', '2']);
    // BOB's row needs both his id and FINANCE.
    expect(reduce(m, sa, user('D\\BOB'))).toMatchObject({ kind: 'denied', code: DenyCode.NO_MATCHING_ROW });
    expect(column(m, granted(reduce(m, sa, user('D\\BOB', ['finance']))).view, 'T', 'X')).toEqual(['3']);
    expect(reduce(m, sa, user('D\\CAROL', ['finance']))).toMatchObject({ kind: 'denied', code: DenyCode.NO_MATCHING_ROW });
  });

  it('propagates through every association: a chain of three tables, both directions', () => {
    const m = model(
      inline('Orders', 'ORDERID, CUSTID, PRODID\n1, C1, P1\n2, C2, P2\n3, C1, P3\n4, C3, P2'),
      inline('Customers', 'CUSTID, REGION\nC1, EAST\nC2, WEST\nC3, WEST'),
      inline('Products', 'PRODID, SUPPLIER\nP1, S1\nP2, S2\nP3, S1\nP4, S1'),
      inline('Suppliers', 'SUPPLIER, COUNTRY\nS1, NL\nS2, BE\nS3, FR'),
    );
    const r = granted(reduce(m, inline('SA', 'ACCESS, USERID, REGION\nUSER, D\\U, EAST'), user('D\\U')));
    expect(column(m, r.view, 'Orders', 'ORDERID')).toEqual(['1', '3']);
    expect(column(m, r.view, 'Products', 'PRODID')).toEqual(['P1', 'P3']); // P4 was never ordered by C1
    expect(column(m, r.view, 'Suppliers', 'SUPPLIER')).toEqual(['S1']);
    // From the other end: a reduction on COUNTRY reaches the customers.
    const s = granted(reduce(m, inline('SA', 'ACCESS, USERID, COUNTRY\nUSER, D\\U, BE'), user('D\\U')));
    expect(column(m, s.view, 'Customers', 'CUSTID')).toEqual(['C2', 'C3']);
  });

  it('the result is a view over the shared model, not a copy', () => {
    const m = model(inline('T', 'REGION, X\nEAST, 1\nWEST, 2'));
    const r = granted(reduce(m, inline('SA', 'ACCESS, USERID, REGION\nUSER, D\\U, EAST'), user('D\\U')));
    expect(r.view.model).toBe(m);
    expect(r.view.byteLength()).toBeLessThan(64);
  });

  it('an invalid security table or identity denies, and reasons never carry data values', () => {
    const m = model(inline('T', 'REGION, X\nEAST, 1\nWEST, 2'));
    const bad = reduce(m, inline('SA', 'ACCESS, USERID, REGON\nUSER, D\\U, EAST'), user('D\\U'));
    expect(bad).toMatchObject({ kind: 'denied', code: DenyCode.INVALID_SECURITY_TABLE });
    expect(reduce(m, inline('SA', 'ACCESS, USERID, REGION\nUSER, D\\U, EAST'), { directory: '', userId: 'u', groups: [] })).toMatchObject({ code: DenyCode.INVALID_USER });
    const sa = inline('SA', 'ACCESS, USERID, REGION\nUSER, D\\U, MARS\nUSER, D\\W, WEST');
    for (const who of ['D\\U', 'D\\NOBODY']) {
      const r = reduce(m, sa, user(who));
      expect(r.kind).toBe('denied');
      if (r.kind === 'denied') for (const value of ['EAST', 'WEST', 'MARS', '1', '2']) expect(r.reason).not.toContain(value);
    }
  });
});
