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

  it('digits inside a GUID or a longer number are not read as a hidden number; the number on its own still is', () => {
    // A qGenericId '5e2f…' was once read as 5e2 = 500 and failed a CI run for nothing.
    const f = { texts: [], numbers: [500] };
    expect(findLeaks([frame({ qInfo: { qId: '5e2fa1b3-0c4d-4e5f-8a9b-0c1d2e3f4a5b', qType: 'x' } })], f)).toEqual([]);
    expect(findLeaks([frame({ qNum: 5001, qText: 'v500' })], f)).toEqual([]);
    expect(findLeaks([frame({ qNum: 500 })], f)).toHaveLength(1);
    expect(findLeaks([frame({ qText: 'total 500' })], f)).toHaveLength(1);
  });
});
