import { describe, expect, it } from 'vitest';
import { isConnectionName, parseLibPath } from './lib-path';

describe('parseLibPath', () => {
  it('splits connection and relative path', () => {
    expect(parseLibPath('lib://Sales Data/2024/q1.csv')).toEqual({ connection: 'Sales Data', path: '2024/q1.csv' });
    expect(parseLibPath(' LIB://c/a.json ')).toEqual({ connection: 'c', path: 'a.json' });
  });

  it.each([
    ['no scheme', 'data/a.csv'],
    ['another scheme', 'file:///etc/passwd'],
    ['no path', 'lib://conn'],
    ['empty path', 'lib://conn/'],
    ['no connection', 'lib:///etc/passwd'],
    ['dot-dot segment', 'lib://data/../../etc/passwd'],
    ['dot-dot at the end', 'lib://data/sub/..'],
    ['dot segment', 'lib://data/./a.csv'],
    ['absolute path', 'lib://data//etc/passwd'],
    ['backslashes', 'lib://data/..\\..\\x'],
    ['NUL byte', 'lib://data/a.csv\u0000.json'],
    ['newline', 'lib://data/a\n.csv'],
    ['connection with a slash-like name', 'lib://../a.csv'],
    ['over-long path', `lib://data/${'a'.repeat(2000)}`],
  ])('refuses %s', (_n, raw) => {
    expect(parseLibPath(raw)).toHaveProperty('error');
  });
});

describe('isConnectionName', () => {
  it('accepts names with spaces and punctuation, refuses separators and dots', () => {
    expect(['data', 'Sales Data', 'a_b-c.(1)'].map(isConnectionName)).toEqual([true, true, true]);
    expect(['', 'a/b', 'a\\b', '.', '..', 'x:y', 'a'.repeat(129)].map(isConnectionName)).toEqual([false, false, false, false, false, false, false]);
  });
});
