import { describe, expect, it } from 'vitest';
import { findLeaks, findRawLeaks, forbiddenFor, ORDERS, visibleTo } from './sales-data';

// The leak detectors are what the section-access attacks and the fuzz invariant rely on: they must
// see a planted leak in every channel shape, and must not flag what the user may see.
const hidden = ORDERS.find((o) => !visibleTo(['EAST']).orders.includes(o))!;
const shown = visibleTo(['EAST']).orders[0]!;
const cell = (qText: string, qNum: number | string, qState = 'O') => ({ qText, qNum, qElemNumber: 0, qState });
const frame = (result: object) => JSON.stringify({ jsonrpc: '2.0', id: 1, result });

describe('leak detectors', () => {
  it('forbidden values for alice are exactly the other regions\' rows, hidden totals and nothing she may see', () => {
    const f = forbiddenFor('CORP\\ALICE');
    expect(f.texts).toEqual(expect.arrayContaining(['Bolt', 'C-CORE', 'WEST', 'SOUTH']));
    expect(f.texts).not.toContain('Acme');
    expect(f.numbers).toContain(hidden.amount);
    expect(f.numbers).not.toContain(shown.amount);
    expect(f.numbers).not.toContain(shown.margin);
  });

  it('bob may not see any margin (OMIT), even of his own rows', () => {
    const own = visibleTo(['WEST', 'NORTH']).orders[0]!;
    expect(forbiddenFor('CORP\\BOB').numbers).toContain(own.margin);
  });

  it('both detectors find a hidden row value in a dimension cell, a table row and as text; neither flags visible data', () => {
    const f = forbiddenFor('CORP\\ALICE');
    const planted = [
      frame({ qDataPages: [{ qMatrix: [[cell(String(hidden.amount), hidden.amount)]] }] }),
      frame({ qData: [{ qValue: [{ qText: String(hidden.orderId), qNumber: hidden.orderId }] }] }),
      frame({ qReturn: 'customer Bolt' }),
    ];
    for (const p of planted) {
      expect(findLeaks([p], f).length, p).toBeGreaterThan(0);
      expect(findRawLeaks([p], f).length, p).toBeGreaterThan(0);
    }
    const fine = frame({ qDataPages: [{ qMatrix: [[cell('Acme', 'NaN'), cell(String(shown.amount), shown.amount, 'L')]] }] });
    expect(findLeaks([fine], f)).toEqual([]);
    expect(findRawLeaks([fine], f)).toEqual([]);
  });

  it('the raw detector ignores aggregates (measure cells, Evaluate results) that may coincide; the strict one does not', () => {
    const f = forbiddenFor('CORP\\ALICE');
    const aggregate = frame({ qDataPages: [{ qMatrix: [[cell('Acme', 'NaN'), cell(String(hidden.amount), hidden.amount, 'L')]] }] });
    expect(findRawLeaks([aggregate], f)).toEqual([]);
    expect(findLeaks([aggregate], f).length).toBeGreaterThan(0);
  });
});
