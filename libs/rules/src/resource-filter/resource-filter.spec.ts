import { describe, expect, it } from 'vitest';
import { RulesError, RulesErrorCode } from '../rules.error';
import { filterMatches, parseResourceFilter, printResourceFilter } from './resource-filter';

const GUID = '1f3a9c2e-0b4d-4e6f-8a1b-2c3d4e5f6a7b';

describe('parseResourceFilter', () => {
  it('parses App_<guid> as exactly that resource', () => {
    const filter = parseResourceFilter(`App_${GUID}`);
    expect(filter).toEqual([{ kind: 'id', type: 'app', id: GUID }]);
    expect(filterMatches(filter, 'App', GUID.toUpperCase())).toBe(true);
    expect(filterMatches(filter, 'App', 'other')).toBe(false);
    expect(filterMatches(filter, 'Stream', GUID)).toBe(false);
  });

  it('parses App_* as exactly the App type', () => {
    const filter = parseResourceFilter('App_*');
    expect(filterMatches(filter, 'App', 'x')).toBe(true);
    expect(filterMatches(filter, 'App.Object', 'x')).toBe(false);
  });

  it('parses App.Object_* as every app object', () => {
    const filter = parseResourceFilter('App.Object_*');
    expect(filterMatches(filter, 'App.Object', 'x')).toBe(true);
    expect(filterMatches(filter, 'App', 'x')).toBe(false);
  });

  it('parses App* as every type starting with App', () => {
    const filter = parseResourceFilter('App*');
    expect(filterMatches(filter, 'App', 'x')).toBe(true);
    expect(filterMatches(filter, 'App.Object', 'x')).toBe(true);
    expect(filterMatches(filter, 'Stream', 'x')).toBe(false);
  });

  it('parses * as everything', () => {
    expect(filterMatches(parseResourceFilter('*'), 'Anything.At.All', 'x')).toBe(true);
  });

  it('parses comma lists with surrounding spaces', () => {
    const filter = parseResourceFilter(' App* , Stream_* ,DataConnection_abc ');
    expect(filter.map((e) => e.kind)).toEqual(['prefix', 'type', 'id']);
    expect(printResourceFilter(filter)).toBe('app*,stream_*,dataconnection_abc');
  });

  it.each([
    ['', 'empty filter'],
    ['App_*,,Stream_*', 'empty middle entry'],
    ['App_*,', 'trailing comma'],
    ['App*_*', '* combined with _*'],
    ['*_*', '* combined with _*'],
    ['A*pp', '* in the middle'],
    ['App', 'bare type'],
    ['App_', 'missing id'],
    ['App_a b', 'space in id'],
    ['1App_*', 'type starting with a digit'],
    ['App_*x', 'garbage after _*'],
  ])('rejects %j (%s)', (text) => {
    expect(() => parseResourceFilter(text)).toThrow(RulesError);
    try {
      parseResourceFilter(text);
    } catch (error) {
      expect((error as RulesError).code).toBe(RulesErrorCode.INVALID_RESOURCE_FILTER);
    }
  });
});
