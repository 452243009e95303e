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

  it('also counts includes, FileList, STORE, variables and comments; never a name built by $( )', () => {
    const script = [
      '$(Include=lib://Scripts/common.qvs);',
      "SET vDir = 'lib://Files/2024/';",
      "FOR EACH f IN FileList('lib://Drop/*.csv')",
      'NEXT',
      'STORE T INTO [lib://Out/t.qvd];',
      '// the included file reads lib://Shared/x.csv',
      'T: LOAD * FROM [lib://$(vConn)/a.csv] (json);',
    ].join('\n');
    expect(usedConnections(script)).toEqual(['Scripts', 'Files', 'Drop', 'Out', 'Shared']);
  });

  it('a script without files uses none; one that does not parse still names what it mentions', () => {
    expect(usedConnections('T: LOAD * INLINE [A\n1];')).toEqual([]);
    expect(usedConnections('T: LOAD * FROM [lib://X/a.csv')).toEqual(['X']);
  });
});
