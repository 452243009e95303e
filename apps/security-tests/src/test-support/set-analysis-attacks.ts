import { CUSTOMERS, type Visible } from './sales-data';

/**
 * One chart-expression construct per entry, each an attempt to compute past section access:
 * `{1}` is "all data" in Qlik, searches and P()/E() reach other values, Aggr builds a virtual
 * table, Concat/MaxString/FirstSortedValue return row values rather than numbers. `expected`
 * is the answer over the rows the user may see, computed here from the raw rows — so ADMIN's
 * answer (over all rows) differs from a reduced user's wherever the construct could leak.
 */
export interface ExpressionAttack {
  construct: string;
  expression: string;
  expected(v: Visible): string;
}

type Order = Visible['orders'][number];
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const regionOf = (o: Order): string => CUSTOMERS.find((c) => c[0] === o.custId)![2];
const nameOf = (o: Order): string => CUSTOMERS.find((c) => c[0] === o.custId)![1];
const amounts = (os: Order[]): string => String(sum(os.map((o) => o.amount)));
const text = (xs: string[]): string => xs.join(',');

export const SET_ANALYSIS_ATTACKS: readonly ExpressionAttack[] = [
  { construct: 'identifier 1', expression: 'Sum({1} AMOUNT)', expected: (v) => amounts(v.orders) },
  { construct: 'a modifier listing hidden values', expression: "Sum({1<REGION={'EAST','WEST','NORTH','SOUTH'}>} AMOUNT)", expected: (v) => amounts(v.orders) },
  { construct: 'a modifier clearing a field', expression: 'Sum({1<REGION=>} AMOUNT)', expected: (v) => amounts(v.orders) },
  { construct: 'a wildcard search', expression: 'Sum({1<NAME={"*o*"}>} AMOUNT)', expected: (v) => amounts(v.orders.filter((o) => /o/i.test(nameOf(o)))) },
  { construct: 'a numeric search', expression: 'Sum({1<AMOUNT={">=10500"}>} AMOUNT)', expected: (v) => amounts(v.orders.filter((o) => o.amount >= 10500)) },
  { construct: 'the -= modifier', expression: "Sum({1<REGION-={'EAST'}>} AMOUNT)", expected: (v) => amounts(v.orders.filter((o) => regionOf(o) !== 'EAST')) },
  { construct: 'the += modifier', expression: "Sum({<REGION+={'SOUTH'}>} AMOUNT)", expected: (v) => amounts(v.orders) },
  { construct: 'the *= modifier', expression: "Sum({<REGION*={'SOUTH','EAST'}>} AMOUNT)", expected: (v) => amounts(v.orders.filter((o) => ['SOUTH', 'EAST'].includes(regionOf(o)))) },
  { construct: 'the /= modifier', expression: "Sum({1<REGION/={'EAST'}>} AMOUNT)", expected: (v) => amounts(v.orders.filter((o) => regionOf(o) !== 'EAST')) },
  { construct: 'P()', expression: "Sum({1<CUSTID=P({1<REGION={'WEST','SOUTH'}>} CUSTID)>} AMOUNT)", expected: (v) => amounts(v.orders.filter((o) => ['WEST', 'SOUTH'].includes(regionOf(o)))) },
  { construct: 'E()', expression: "Sum({1<CUSTID=E({1<REGION={'EAST'}>} CUSTID)>} AMOUNT)", expected: (v) => amounts(v.orders.filter((o) => regionOf(o) !== 'EAST')) },
  { construct: 'set difference', expression: "Sum({1 - 1<REGION={'EAST'}>} AMOUNT)", expected: (v) => amounts(v.orders.filter((o) => regionOf(o) !== 'EAST')) },
  { construct: 'set union', expression: "Sum({1<REGION={'EAST'}> + 1<REGION={'SOUTH'}>} AMOUNT)", expected: (v) => amounts(v.orders.filter((o) => ['EAST', 'SOUTH'].includes(regionOf(o)))) },
  { construct: 'TOTAL', expression: 'Sum({1} TOTAL AMOUNT)', expected: (v) => amounts(v.orders) },
  {
    construct: 'Aggr',
    expression: 'Max({1} Aggr(Sum({1} AMOUNT), CUSTID))',
    expected: (v) => String(Math.max(...v.customers.map((c) => sum(v.orders.filter((o) => o.custId === c[0]).map((o) => o.amount))))),
  },
  { construct: 'Concat', expression: "Concat({1} DISTINCT NAME, ',')", expected: (v) => text(v.customers.map((c) => c[1]).sort()) },
  { construct: 'MaxString', expression: 'MaxString({1} NAME)', expected: (v) => v.customers.map((c) => c[1]).sort().at(-1)! },
  { construct: 'FirstSortedValue', expression: 'FirstSortedValue({1} ORDERID, -AMOUNT)', expected: (v) => String([...v.orders].sort((a, b) => b.amount - a.amount)[0]!.orderId) },
  { construct: 'Count DISTINCT', expression: 'Count({1} DISTINCT REGION)', expected: (v) => String(new Set(v.customers.map((c) => c[2])).size) },
  { construct: 'a scalar function around a set', expression: "If(Sum({1} AMOUNT) > 200000, 'over', 'under')", expected: (v) => (sum(v.orders.map((o) => o.amount)) > 200000 ? 'over' : 'under') },
];
