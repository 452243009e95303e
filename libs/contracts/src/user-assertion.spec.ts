import { Metadata } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { ServiceError } from './contracts.error';
import { readUserAssertion, writeUserAssertion, type AssertedUser } from './user-assertion';

const user = (attributes: Record<string, string[]>): AssertedUser => ({ userDirectory: 'CORP', userId: 'alice', context: 'hub', attributes, anonymous: false, ip: '10.0.0.7', secure: true });
const metadataOf = (u: AssertedUser): Metadata => writeUserAssertion(new Metadata(), u);

describe('readUserAssertion (validated results are reused for the same bytes)', () => {
  it('returns the same validated user for the same bytes, frozen down to its attribute lists', () => {
    const md = metadataOf(user({ group: ['Sales'] }));
    const first = readUserAssertion(md) as AssertedUser;
    expect(readUserAssertion(metadataOf(user({ group: ['Sales'] })))).toBe(first);
    expect(first).toMatchObject({ userId: 'alice', attributes: { group: ['Sales'] } });
    // A caller cannot change what the next call of the session will see.
    expect(() => (first.attributes['group'] as string[]).push('Admins')).toThrow(TypeError);
    expect(() => {
      first.attributes['role'] = ['RootAdmin'];
    }).toThrow(TypeError);
    expect(() => {
      (first as { userId: string }).userId = 'root';
    }).toThrow(TypeError);
  });

  it('validates other bytes afresh: a changed security blob that no longer validates is refused', () => {
    const md = metadataOf(user({ group: ['Finance'] }));
    expect(readUserAssertion(md)).not.toBeNull();
    const sec = md.get('x-tz-security')[0] as string;
    const tampered = new Metadata();
    tampered.set('x-tz-user', md.get('x-tz-user')[0] as string);
    tampered.set('x-tz-security', Buffer.from(Buffer.from(sec, 'base64').toString('utf8').replace('"hub"', '"root"')).toString('base64'));
    expect(() => readUserAssertion(tampered)).toThrow(ServiceError);
  });

  it('still validates large assertions (not kept), each read a fresh object', () => {
    const big = user({ claims: Array.from({ length: 10 }, (_, i) => `${i}`.repeat(500)) });
    const a = readUserAssertion(metadataOf(big));
    const b = readUserAssertion(metadataOf(big));
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
  });
});
