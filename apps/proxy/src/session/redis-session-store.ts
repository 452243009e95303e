import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { CREATE, END, END_USER, SWEEP, TOUCH } from './redis-session-scripts';
import { invalidSessionIdError, isSessionIdShaped, newCsrfToken, newSessionId } from './session-id';
import { EndedListeners, sessionUserKey } from './session-store';
import type { SessionStore } from './session-store';
import { endedMessageSchema, storedSessionSchema } from './redis-session.schema';
import type { CreateSessionResult, NewSession, Session, SessionEndReason, SessionEndedListener, SessionPolicy } from './session.types';

export interface RedisSessionStoreOptions {
  /** Command connection. The store duplicates it once for its pub/sub subscription. */
  redis: Redis;
  /** Namespace for this site's keys and channel, e.g. `tz:site1:`. */
  keyPrefix?: string;
  now?: () => number;
  sweepIntervalMs?: number;
  onListenerError?: (error: unknown) => void;
}

// Redis' own TTL on a session hash is a backstop that reclaims memory if no proxy sweeps; the decision
// that a session timed out is always the scripts' (store clock), so the backstop is generous.
const TTL_GRACE_MS = 5 * 60_000;
const SWEEP_BATCH = 500;

/**
 * Sessions shared by several proxies. Every end (logout, timeout, eviction) is published by the same
 * script that deletes the session; each store instance subscribes and fires its `onEnded` listeners,
 * so a logout on one proxy closes the sockets held by another.
 */
export class RedisSessionStore implements SessionStore {
  private readonly listeners: EndedListeners;
  private readonly prefix: string;
  private readonly channel: string;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    options: RedisSessionStoreOptions,
  ) {
    this.prefix = options.keyPrefix ?? 'tz:proxy:';
    this.channel = `${this.prefix}session-ended`;
    this.now = options.now ?? Date.now;
    this.listeners = new EndedListeners(options.onListenerError);
  }

  /** Connects the subscription before returning, so no end event published afterwards is missed. */
  static async connect(options: RedisSessionStoreOptions): Promise<RedisSessionStore> {
    const subscriber = options.redis.duplicate();
    const store = new RedisSessionStore(options.redis, subscriber, options);
    subscriber.on('message', (channel: string, message: string) => store.onMessage(channel, message));
    try {
      await subscriber.subscribe(store.channel);
    } catch (e) {
      subscriber.disconnect();
      throw unavailable(e);
    }
    const interval = options.sweepIntervalMs ?? 30_000;
    if (interval > 0) {
      store.timer = setInterval(() => void store.sweep().catch(() => undefined), interval);
      store.timer.unref();
    }
    return store;
  }

  async create(input: NewSession, policy: SessionPolicy): Promise<CreateSessionResult> {
    const id = input.id ?? newSessionId();
    if (!isSessionIdShaped(id)) throw invalidSessionIdError();
    const now = this.now();
    const session: Session = {
      id,
      prefix: input.prefix,
      userDirectory: input.user.userDirectory,
      userId: input.user.userId,
      attributes: input.user.attributes,
      anonymous: input.user.anonymous,
      createdAt: now,
      lastSeen: now,
      csrfToken: newCsrfToken(),
      ...(input.ip === undefined ? {} : { ip: input.ip }),
      inactivityTimeoutMs: policy.inactivityTimeoutMs,
    };
    const { lastSeen: _omit, ...data } = session;
    const keys = [this.sessionKey(id), this.userKey(input.prefix, input.user.userDirectory, input.user.userId), `${this.prefix}expiry`, `${this.prefix}seq`];
    const args = [id, JSON.stringify(data), now, policy.inactivityTimeoutMs, policy.maxSessionsPerUser, policy.sessionLimitPolicy, this.channel, TTL_GRACE_MS, this.sessionKey('')];
    const result = await this.call(() => CREATE.run(this.redis, keys, args));
    const [status, ...evicted] = Array.isArray(result) ? result : [];
    if (status === -1) return { kind: 'refused', reason: 'id-in-use' };
    if (status === 0) return { kind: 'refused', reason: 'session-limit' };
    if (status !== 1) throw unavailable(new Error('unexpected CREATE reply'));
    return { kind: 'created', session: structuredClone(session), evicted: evicted.map(String) };
  }

  async get(id: string): Promise<Session | null> {
    if (!isSessionIdShaped(id)) return null;
    const reply = await this.call(() => TOUCH.run(this.redis, [this.sessionKey(id), `${this.prefix}expiry`], [id, this.now(), this.channel, TTL_GRACE_MS]));
    if (!Array.isArray(reply)) return null;
    return this.decode(id, reply[0], Number(reply[1]));
  }

  async listByUser(prefix: string, userDirectory: string, userId: string): Promise<Session[]> {
    const ids = await this.call(() => this.redis.zrange(this.userKey(prefix, userDirectory, userId), '0', '-1'));
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(this.sessionKey(id), 'data', 'lastSeen');
    const replies = (await this.call(() => pipeline.exec())) ?? [];
    const now = this.now();
    return ids.flatMap((id, i) => {
      const [err, fields] = replies[i] ?? [null, null];
      if (err || !Array.isArray(fields)) return [];
      const s = this.decode(id, fields[0], Number(fields[1]));
      return s && now - s.lastSeen < s.inactivityTimeoutMs ? [s] : [];
    });
  }

  async countByUser(prefix: string, userDirectory: string, userId: string): Promise<number> {
    return (await this.listByUser(prefix, userDirectory, userId)).length;
  }

  async delete(id: string, reason: SessionEndReason = 'logout'): Promise<boolean> {
    if (!isSessionIdShaped(id)) return false;
    const n = await this.call(() => END.run(this.redis, [this.sessionKey(id), `${this.prefix}expiry`], [id, reason, this.channel]));
    return n === 1;
  }

  async deleteUser(prefix: string, userDirectory: string, userId: string): Promise<number> {
    const keys = [this.userKey(prefix, userDirectory, userId), `${this.prefix}expiry`];
    return Number(await this.call(() => END_USER.run(this.redis, keys, [this.channel, this.sessionKey('')])));
  }

  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = Number(await this.call(() => SWEEP.run(this.redis, [`${this.prefix}expiry`], [this.now(), SWEEP_BATCH, this.channel, this.sessionKey('')])));
      total += n;
      if (n < SWEEP_BATCH) return total;
    }
  }

  onEnded(listener: SessionEndedListener): () => void {
    return this.listeners.add(listener);
  }

  /** Stops the sweeper and the subscription; the command connection belongs to the caller. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  private onMessage(channel: string, message: string): void {
    if (channel !== this.channel) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return;
    }
    const event = endedMessageSchema.safeParse(parsed);
    if (event.success) this.listeners.emit(event.data.id, event.data.reason);
  }

  private decode(id: string, data: unknown, lastSeen: number): Session | null {
    if (typeof data !== 'string' || !Number.isFinite(lastSeen)) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return null;
    }
    const stored = storedSessionSchema.safeParse(parsed);
    // A record whose id disagrees with its key was not written by us: treat it as absent.
    if (!stored.success || stored.data.id !== id) return null;
    return { ...stored.data, lastSeen };
  }

  private sessionKey(id: string): string {
    return `${this.prefix}session:${id}`;
  }

  private userKey(prefix: string, userDirectory: string, userId: string): string {
    return `${this.prefix}user:${createHash('sha256').update(sessionUserKey(prefix, userDirectory, userId)).digest('hex')}`;
  }

  private async call<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      throw unavailable(e);
    }
  }
}

function unavailable(e: unknown): EdgeError {
  return new EdgeError(EdgeErrorCode.StoreUnavailable, 'session store unavailable', { cause: e, internalDetail: e instanceof Error ? e.message : String(e) });
}
