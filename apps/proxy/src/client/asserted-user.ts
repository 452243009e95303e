import type { AssertedUser } from '@trustzone/contracts';
import type { Session } from '../session/session.types';

export function userKeyOf(s: Pick<Session, 'userDirectory' | 'userId'>): string {
  return `${s.userDirectory}\\${s.userId}`;
}

// One AssertedUser object per session, context and address: the gRPC layer encodes each object once
// (libs/contracts user-assertion.ts), and a session's attributes never change. Bounded.
const asserted = new Map<string, AssertedUser>();
const MAX_ASSERTED = 10_000;

/** The end user as the services see it: who, plus the session attributes that rules read as user.environment.*. */
export function assertedUser(s: Session, context: AssertedUser['context'], ip: string): AssertedUser {
  const key = `${s.id}\u0000${context}\u0000${ip}`;
  let u = asserted.get(key);
  if (!u) {
    if (asserted.size >= MAX_ASSERTED) asserted.clear();
    u = Object.freeze({ userDirectory: s.userDirectory, userId: s.userId, context, attributes: s.attributes, anonymous: s.anonymous, ip, secure: true });
    asserted.set(key, u);
  }
  return u;
}
