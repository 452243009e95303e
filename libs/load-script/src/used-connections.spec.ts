import { describe, expect, it } from 'vitest';
import { usedConnections } from './used-connections';

describe('usedConnections', () => {
  it('names each connection a LOAD reads from, once, in order of first use', () => {
    const script = [
      "A: LOAD * FROM [lib://Sales/a.csv] (txt, utf8, embedded labels, delimiter is ',');",
      'B: LOAD * INLINE [K\n1];',
      "C: LOAD * FROM [lib://HR Data/people.json] (json);",
      "D: LOAD * FROM [lib://Sales/b.csv] (txt, utf8, embedded labels, delimiter is ',');",
      'E: LOAD K RESIDENT B;',
    ].join('\n');
    expect(usedConnections(script)).toEqual(['Sales', 'HR Data']);
  });

  it('a script without files, or one that does not parse, uses none', () => {
    expect(usedConnections('T: LOAD * INLINE [A\n1];')).toEqual([]);
    expect(usedConnections('T: LOAD * FROM [lib://X/a.csv')).toEqual([]);
  });
});
