import type { Metadata } from '@grpc/grpc-js';
import { z } from 'zod';
import { ErrorCode, ServiceError } from './contracts.error';

/**
 * The authenticated end user, as the proxy passes it inside the trust zone: the equivalent of Qlik's
 * X-Qlik-User (who) and X-Qlik-Security (session attributes, context, client address, TLS flag).
 * Services accept it only from callers whose certificate identity may impersonate (see caller-policy).
 */
export interface AssertedUser {
  userDirectory: string;
  userId: string;
  /** Request context for security rules: hub (app access) or management (/qrs administration). */
  context: 'hub' | 'management';
  /** Session attributes from login (ticket Attributes, JWT claims, header values) → user.environment.* */
  attributes: Record<string, string[]>;
  anonymous: boolean;
  ip: string;
  secure: boolean;
}

const USER_KEY = 'x-tz-user';
const SECURITY_KEY = 'x-tz-security';

// Bounds: metadata comes from another process, but still validate it (fail closed on anything odd).
const name = z.string().min(1).max(256).refine((s) => !/[\\;=\u0000-\u001f]/.test(s), 'invalid character');
const securitySchema = z.object({
  context: z.enum(['hub', 'management']),
  attributes: z.record(z.string().max(128), z.array(z.string().max(1024)).max(256)).refine((r) => Object.keys(r).length <= 128, 'too many attributes'),
  anonymous: z.boolean(),
  ip: z.string().max(64),
  secure: z.boolean(),
});

export function formatUser(u: Pick<AssertedUser, 'userDirectory' | 'userId'>): string {
  return `UserDirectory=${u.userDirectory}; UserId=${u.userId}`;
}

export function userKey(u: Pick<AssertedUser, 'userDirectory' | 'userId'>): string {
  return `${u.userDirectory}\\${u.userId}`;
}

/** Parses `UserDirectory=CORP; UserId=alice` (the X-Qlik-User form). Returns null when malformed. */
export function parseUserHeader(value: string): { userDirectory: string; userId: string } | null {
  const parts = new Map<string, string>();
  for (const piece of value.split(';')) {
    const eq = piece.indexOf('=');
    if (eq < 0) return null;
    parts.set(piece.slice(0, eq).trim().toLowerCase(), piece.slice(eq + 1).trim());
  }
  const dir = parts.get('userdirectory');
  const id = parts.get('userid');
  if (!dir || !id || !name.safeParse(dir).success || !name.safeParse(id).success) return null;
  return { userDirectory: dir, userId: id };
}

// The same AssertedUser object is sent on many calls (the proxy keeps one per session and context):
// encode it once.
const encoded = new WeakMap<AssertedUser, { who: string; security: string }>();

export function writeUserAssertion(md: Metadata, user: AssertedUser): Metadata {
  let e = encoded.get(user);
  if (!e) {
    const { context, attributes, anonymous, ip, secure } = user;
    e = { who: formatUser(user), security: Buffer.from(JSON.stringify({ context, attributes, anonymous, ip, secure })).toString('base64') };
    encoded.set(user, e);
  }
  md.set(USER_KEY, e.who);
  md.set(SECURITY_KEY, e.security);
  return md;
}

// Callers repeat the same assertion on every call of a session: keep the validated result of the
// exact bytes seen, so each call does not re-parse and re-validate the same JSON. Bounded in entries
// and in bytes per entry (an assertion may be 64 KiB; typical ones are a few hundred bytes), so the
// cache holds at most MAX_VALIDATED × MAX_CACHED_KEY_CHARS.
const validated = new Map<string, AssertedUser>();
const MAX_VALIDATED = 4096;
const MAX_CACHED_KEY_CHARS = 4096;

/** Shared between calls, so no caller may change it (or its attributes) for the next one. */
function frozen(user: AssertedUser): AssertedUser {
  for (const values of Object.values(user.attributes)) Object.freeze(values);
  Object.freeze(user.attributes);
  return Object.freeze(user);
}

/** The asserted user in call metadata, null when none; a malformed assertion is an error, not "no user". */
export function readUserAssertion(md: Metadata): AssertedUser | null {
  const whoRaw = md.get(USER_KEY)[0];
  const secRaw = md.get(SECURITY_KEY)[0];
  const key = typeof whoRaw === 'string' && typeof secRaw === 'string' && whoRaw.length + secRaw.length < MAX_CACHED_KEY_CHARS ? `${whoRaw}\u0000${secRaw}` : null;
  const hit = key === null ? undefined : validated.get(key);
  if (hit) return hit;
  const user = parseUserAssertion(md);
  if (user && key !== null) {
    if (validated.size >= MAX_VALIDATED) validated.clear();
    validated.set(key, frozen(user));
  }
  return user;
}

function parseUserAssertion(md: Metadata): AssertedUser | null {
  const who = md.get(USER_KEY)[0];
  const sec = md.get(SECURITY_KEY)[0];
  if (who === undefined && sec === undefined) return null;
  const invalid = () => new ServiceError(ErrorCode.Unauthenticated, 'malformed user assertion');
  if (typeof who !== 'string' || typeof sec !== 'string' || sec.length > 64 * 1024) throw invalid();
  const id = parseUserHeader(who);
  if (!id) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(sec, 'base64').toString('utf8'));
  } catch {
    throw invalid();
  }
  const s = securitySchema.safeParse(parsed);
  if (!s.success) throw invalid();
  return { ...id, ...s.data };
}

export function hasUserAssertion(md: Metadata): boolean {
  return md.get(USER_KEY).length > 0 || md.get(SECURITY_KEY).length > 0;
}
