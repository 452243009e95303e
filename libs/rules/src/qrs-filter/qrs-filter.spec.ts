import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QrsFilterError } from './qrs-filter.error';
import { compileQrsFilter } from './qrs-filter-compiler';
import { QRS_FILTER_LIMITS, parseQrsFilter } from './qrs-filter-parser';

const apps = [
  { id: '6a1e3b7c-1111-4a2b-9c3d-000000000001', name: 'Sales', fileSize: 1200, published: true, stream: { name: 'Everyone' }, tags: [{ name: 'Finance' }, { name: 'Q1' }], modifiedDate: '2024-03-01T10:00:00Z' },
  { id: '6a1e3b7c-1111-4a2b-9c3d-000000000002', name: 'sales forecast', fileSize: 800, published: false, stream: null, tags: [], modifiedDate: '2024-05-01T10:00:00Z' },
  { id: '6a1e3b7c-1111-4a2b-9c3d-000000000003', name: "O'Brien's app", fileSize: 5000, published: true, stream: { name: 'Board' }, tags: [{ name: 'q1' }], modifiedDate: '2023-12-31T23:59:59Z' },
];
const select = (filter: string) => apps.filter(compileQrsFilter(filter)).map((a) => a.name);

function errorOf(filter: string): QrsFilterError {
  try {
    parseQrsFilter(filter);
  } catch (error) {
    if (error instanceof QrsFilterError) return error;
    throw error;
  }
  throw new Error(`expected ${filter} to be rejected`);
}

describe('/qrs filter', () => {
  it('eq compares strings case-insensitively on dotted paths', () => {
    expect(select("name eq 'SALES' and stream.name eq 'everyone'")).toEqual(['Sales']);
  });

  it('ne is the negation of eq, so a missing field is "not equal"', () => {
    expect(select("stream.name ne 'Everyone'")).toEqual(['sales forecast', "O'Brien's app"]);
  });

  it('sw, ew and so match prefixes, suffixes and substrings case-insensitively', () => {
    expect(select("name sw 'sales'")).toEqual(['Sales', 'sales forecast']);
    expect(select("name ew 'CAST'")).toEqual(['sales forecast']);
    expect(select("name so 'LES'")).toEqual(['Sales', 'sales forecast']);
  });

  it('orders numbers numerically and strings (dates) lexicographically', () => {
    expect(select('fileSize gt 1000')).toEqual(['Sales', "O'Brien's app"]);
    expect(select('fileSize le 1200')).toEqual(['Sales', 'sales forecast']);
    expect(select("modifiedDate ge '2024-01-01'")).toEqual(['Sales', 'sales forecast']);
    expect(select("modifiedDate lt '2024-01-01'")).toEqual(["O'Brien's app"]);
  });

  it('supports booleans, null, GUIDs and numbers as literals', () => {
    expect(select('published eq true')).toEqual(['Sales', "O'Brien's app"]);
    expect(select('stream eq null')).toEqual(['sales forecast']);
    expect(select('stream ne null')).toEqual(['Sales', "O'Brien's app"]);
    expect(select('id eq 6A1E3B7C-1111-4A2B-9C3D-000000000003')).toEqual(["O'Brien's app"]);
    expect(select('fileSize eq 800.0')).toEqual(['sales forecast']);
  });

  it('matches through arrays when any element matches', () => {
    expect(select("tags.name eq 'q1'")).toEqual(['Sales', "O'Brien's app"]);
  });

  it('combines with and, or, not and parentheses (and binds tighter than or)', () => {
    expect(select("name eq 'x' or name sw 'sales' and published eq false")).toEqual(['sales forecast']);
    expect(select("(name eq 'x' or name sw 'sales') and not published eq false")).toEqual(['Sales']);
    expect(select("NOT (name so 'a') OR fileSize Eq 5000")).toEqual(["O'Brien's app"]);
  });

  it("unescapes '' inside strings", () => {
    expect(select("name eq 'O''Brien''s app'")).toEqual(["O'Brien's app"]);
  });

  it('treats injection payloads, quotes, unicode and control characters as plain literals', () => {
    const payloads = ["'; DROP TABLE apps; --", "' or 1=1 --", "\" or \"\"=\"", 'Ünïcødé 名前 😀', 'tab\there\u0000nul\u001bescape', ') or (name ne ', '$where: 1', '../../etc/passwd'];
    for (const payload of payloads) {
      const filter = `name eq '${payload.replace(/'/g, "''")}'`;
      const parsed = parseQrsFilter(filter);
      expect(parsed).toEqual({ kind: 'cmp', path: ['name'], op: 'eq', value: payload, position: 0 });
      expect(select(filter)).toEqual([]);
      const entity = { name: payload.toUpperCase() };
      expect(compileQrsFilter(filter)(entity)).toBe(payload.toLowerCase() === payload.toUpperCase().toLowerCase());
    }
  });

  it('property: any string literal round-trips as data', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 50 }), (value) => {
        const filter = `name eq '${value.replace(/'/g, "''")}'`;
        expect(parseQrsFilter(filter)).toMatchObject({ value });
        expect(compileQrsFilter(filter)({ name: value })).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('reports the 0-based position of a syntax error', () => {
    expect(errorOf("name eq 'x' and").position).toBe("name eq 'x' and".length);
    expect(errorOf("name equals 'x'").position).toBe(5);
    expect(errorOf("name eq 'x").position).toBe(8);
    expect(errorOf("name eq 'x' # 1").position).toBe(12);
    expect(errorOf("(name eq 'x'").position).toBe(12);
    expect(errorOf("name sw 5").position).toBe(8);
    expect(errorOf("name gt null").position).toBe(8);
    expect(errorOf("and eq 'x'").position).toBe(0);
    expect(errorOf("name eq 'x' name eq 'y'").message).toContain('at position 12');
  });

  it('bounds nesting depth without overflowing the stack', () => {
    const deep = `${'('.repeat(100_000).slice(0, QRS_FILTER_LIMITS.maxLength - 20)}name eq 'x'`;
    expect(errorOf(deep).detail).toContain('nesting deeper');
    expect(errorOf(`${'not '.repeat(1000)}name eq 'x'`).detail).toContain('nesting deeper');
  });

  it('bounds input length and the number of comparisons', () => {
    expect(errorOf(`name eq '${'x'.repeat(QRS_FILTER_LIMITS.maxLength)}'`).detail).toContain('longer than');
    const many = Array.from({ length: QRS_FILTER_LIMITS.maxComparisons + 1 }, () => 'a eq 1').join(' or ');
    expect(errorOf(many).detail).toContain('comparisons');
  });

  it('does not read inherited properties', () => {
    expect(compileQrsFilter('constructor ne null')({})).toBe(false);
    expect(compileQrsFilter("__proto__ eq 'x'")({})).toBe(false);
  });
});
