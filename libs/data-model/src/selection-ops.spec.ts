import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeState } from './associative-state';
import { Bitset } from './bitset';
import { DataModelErrorCode } from './data-model.error';
import { listValues } from './field-queries';
import { compileGlob } from './glob-matcher';
import { buildDataModel } from './model-builder';
import { clearAll, clearField, select, selectElements, selectMatch } from './selection-ops';
import { SelectionState } from './selection-state';
import { inline, loadResult } from './test-support/inline-table';
import { createView, fullView } from './view';

const m = buildDataModel(loadResult([inline('T', 'NAME, N\nApple, 007\nBanana, 2\napricot, 3\nCherry, 4')]));
const v = fullView(m);
const texts = (sel: SelectionState, field: string) => {
  const fid = m.fieldByName.get(field)!;
  return (sel.get(fid)?.toArray() ?? []).map((s) => m.fields[fid]!.symbols.text(s));
};

describe('selections', () => {
  it('select by text or number replaces, toggle adds and removes', () => {
    let r = select(m, v, SelectionState.empty(), 'NAME', [{ text: 'Apple' }, { text: 'Cherry' }]);
    expect([r.matched, texts(r.selections, 'NAME')]).toEqual([2, ['Apple', 'Cherry']]);
    r = select(m, v, r.selections, 'NAME', [{ text: 'Banana' }]);
    expect(texts(r.selections, 'NAME')).toEqual(['Banana']);
    r = select(m, v, r.selections, 'NAME', [{ text: 'Apple' }, { text: 'Banana' }], true);
    expect(texts(r.selections, 'NAME')).toEqual(['Apple']);
    // A number matches whatever spelling the value was loaded with; a numeric text does too.
    expect(texts(select(m, v, SelectionState.empty(), 'N', [{ number: 7 }]).selections, 'N')).toEqual(['007']);
    expect(texts(select(m, v, SelectionState.empty(), 'N', [{ text: '7' }]).selections, 'N')).toEqual(['007']);
  });

  it('select by element number ignores unknown numbers; clearing works per field and for all', () => {
    let sel = selectElements(m, v, SelectionState.empty(), 'NAME', [1, 99, -3, 1.5]).selections;
    expect(texts(sel, 'NAME')).toEqual(['Banana']);
    sel = select(m, v, sel, 'N', [{ number: 3 }]).selections;
    expect(clearField(m, v, sel, 'NAME').fieldIds()).toEqual([m.fieldByName.get('N')]);
    expect(clearAll().size).toBe(0);
  });

  it('wildcard match is case-insensitive and only sees values inside the view', () => {
    expect(texts(selectMatch(m, v, SelectionState.empty(), 'NAME', 'a*').selections, 'NAME')).toEqual(['Apple', 'apricot']);
    expect(texts(selectMatch(m, v, SelectionState.empty(), 'NAME', '?an*').selections, 'NAME')).toEqual(['Banana']);
    const reduced = createView(m, [Bitset.of(4, [1, 2])], []);
    expect(texts(selectMatch(m, reduced, SelectionState.empty(), 'NAME', '*').selections, 'NAME')).toEqual(['Banana', 'apricot']);
    expect(select(m, reduced, SelectionState.empty(), 'NAME', [{ text: 'Apple' }]).matched).toBe(0);
  });

  it('list states follow the selection', () => {
    const sel = select(m, v, SelectionState.empty(), 'NAME', [{ text: 'Cherry' }]).selections;
    const st = computeState(m, v, sel);
    expect(listValues(m, v, st, 'NAME', { top: 0, height: 10 }).values.map((c) => `${c.qText}:${c.qState}`)).toEqual(['Cherry:S', 'Apple:A', 'Banana:A', 'apricot:A']);
    expect(listValues(m, v, st, 'N', { top: 0, height: 10 }).values.map((c) => `${c.qText}:${c.qState}`)).toEqual(['4:O', '007:X', '2:X', '3:X']);
    expect(listValues(m, v, st, 'N', { top: 1, height: 2 })).toMatchObject({ size: 4, values: [{ qText: '007' }, { qText: '2' }] });
  });

  it('any page of a list is the same slice of the whole list', () => {
    const sel = select(m, v, SelectionState.empty(), 'NAME', [{ text: 'Cherry' }, { text: 'Banana' }]).selections;
    const st = computeState(m, v, sel);
    for (const field of ['NAME', 'N']) {
      const whole = listValues(m, v, st, field, { top: 0, height: 100 }).values;
      fc.assert(
        fc.property(fc.nat({ max: 6 }), fc.nat({ max: 6 }), (top, height) => {
          expect(listValues(m, v, st, field, { top, height }).values).toEqual(whole.slice(top, top + height));
        }),
      );
    }
  });

  it('refuses unknown fields, bad values, oversized requests', () => {
    expect(() => select(m, v, SelectionState.empty(), 'NOPE', [])).toThrow(expect.objectContaining({ code: DataModelErrorCode.NOT_FOUND }));
    expect(() => select(m, v, SelectionState.empty(), 'NAME', [{} as never])).toThrow(expect.objectContaining({ code: DataModelErrorCode.INVALID_ARGUMENT }));
    expect(() => selectMatch(m, v, SelectionState.empty(), 'NAME', 'x'.repeat(5000))).toThrow(expect.objectContaining({ code: DataModelErrorCode.INVALID_ARGUMENT }));
    expect(() => selectElements(m, v, SelectionState.empty(), 'NAME', new Array(200_000).fill(0))).toThrow(expect.objectContaining({ code: DataModelErrorCode.INVALID_ARGUMENT }));
    expect(() => listValues(m, v, computeState(m, v, SelectionState.empty()), 'NAME', { top: 0, height: 1e9 })).toThrow(expect.objectContaining({ code: DataModelErrorCode.PAGE_TOO_LARGE }));
  });
});

describe('wildcard matcher', () => {
  it('agrees with an anchored regular expression', () => {
    const alphabet = fc.constantFrom('a', 'b', 'A', '*', '?', '.');
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 6 }), fc.string({ unit: fc.constantFrom('a', 'b', 'B', '.'), maxLength: 8 }), (pattern, text) => {
        const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'is');
        expect(compileGlob(pattern)(text)).toBe(re.test(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('stays fast on patterns that make backtracking regexes explode', () => {
    const started = performance.now();
    expect(compileGlob(`${'*a'.repeat(40)}b`)('a'.repeat(5000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
