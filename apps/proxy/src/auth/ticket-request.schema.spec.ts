import { describe, expect, it } from 'vitest';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { parseTicketRequest } from './ticket-request.schema';

function refusal(body: unknown): EdgeError {
  try {
    parseTicketRequest(body);
  } catch (e) {
    expect(e).toBeInstanceOf(EdgeError);
    expect((e as EdgeError).code).toBe(EdgeErrorCode.InvalidRequest);
    return e as EdgeError;
  }
  throw new Error('expected a refusal');
}

describe('ticket request body', () => {
  it('trims names and groups repeated attributes', () => {
    const r = parseTicketRequest({ UserDirectory: ' CORP ', UserId: '\talice ', Attributes: [{ group: 'Sales' }, { email: 'a@x' }, { group: 'EMEA' }], TargetId: 'abc-123' });
    expect(r).toEqual({ userDirectory: 'CORP', userId: 'alice', attributes: { group: ['Sales', 'EMEA'], email: ['a@x'] }, targetId: 'abc-123' });
  });

  it('defaults Attributes to none and omits a missing TargetId', () => {
    expect(parseTicketRequest({ UserDirectory: 'CORP', UserId: 'bob' })).toEqual({ userDirectory: 'CORP', userId: 'bob', attributes: {} });
  });

  it.each([
    [{ UserDirectory: '   ', UserId: 'a' }, 'body.UserDirectory'],
    [{ UserDirectory: 'CORP', UserId: '' }, 'body.UserId'],
    [{ UserDirectory: 'CO\\RP', UserId: 'a' }, 'body.UserDirectory'],
    [{ UserDirectory: 'CORP', UserId: 'a\\b' }, 'body.UserId'],
    [{ UserDirectory: 'CORP', UserId: 'a;UserId=root' }, 'body.UserId'],
    [{ UserDirectory: 'CORP', UserId: 'x'.repeat(257) }, 'body.UserId'],
    [{ UserDirectory: 'CORP', UserId: 'a\u0000' }, 'body.UserId'],
    [{ UserDirectory: 'CORP' }, 'body.UserId'],
    [{ UserDirectory: 'CORP', UserId: 42 }, 'body.UserId'],
    [{ UserDirectory: 'CORP', UserId: 'a', Attributes: { group: 'x' } }, 'body.Attributes'],
    [{ UserDirectory: 'CORP', UserId: 'a', Attributes: [{ group: 'x', email: 'y' }] }, 'body.Attributes.0'],
    [{ UserDirectory: 'CORP', UserId: 'a', Attributes: [{}] }, 'body.Attributes.0'],
    [{ UserDirectory: 'CORP', UserId: 'a', Attributes: [{ group: 1 }] }, 'body.Attributes.0.group'],
    [{ UserDirectory: 'CORP', UserId: 'a', TargetId: '../x' }, 'body.TargetId'],
    [{ UserDirectory: 'CORP', UserId: 'a', UserID: 'root' }, 'body'],
  ])('refuses %j naming %s', (body, field) => {
    expect(refusal(body).field).toBe(field);
  });

  it('refuses non-object bodies', () => {
    for (const body of [null, [], 'x', 1]) expect(refusal(body).field).toBe('body');
  });

  it('refuses reserved and malformed attribute names (they would spoof user.environment.*)', () => {
    for (const name of ['context', 'IP', 'secureRequest', 'a.b', 'a b', '1a', '']) {
      expect(refusal({ UserDirectory: 'C', UserId: 'a', Attributes: [{ [name]: 'v' }] }).field).toBe('body.Attributes');
    }
  });

  it('bounds the number and size of attributes', () => {
    const many = Array.from({ length: 65 }, (_, i) => ({ [`a${i}`]: 'v' }));
    expect(refusal({ UserDirectory: 'C', UserId: 'a', Attributes: many }).message).toMatch(/too many attributes/);
    expect(refusal({ UserDirectory: 'C', UserId: 'a', Attributes: [{ a: 'v'.repeat(1025) }] }).message).toMatch(/too long/);
    const sameName = Array.from({ length: 65 }, () => ({ group: 'v' }));
    expect(refusal({ UserDirectory: 'C', UserId: 'a', Attributes: sameName }).message).toMatch(/too many values/);
  });

  it('keeps a __proto__ attribute name from reaching the prototype', () => {
    const body = JSON.parse('{"UserDirectory":"C","UserId":"a","Attributes":[{"__proto__":"x"}]}');
    expect(() => parseTicketRequest(body)).toThrow(EdgeError);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });
});
