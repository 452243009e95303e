import { createHash } from 'node:crypto';
import { QixHandoverWire as Wire, type AssertedUser, type CallContext } from '@trustzone/contracts';
import type { Logger } from '@trustzone/logging';
import type { QixCall } from './qix-stream';

/*
 * A proxy whose certificate is rotated moves each QIX session it relays to a stream opened under
 * its new certificate, so that retiring the old certificate ends no session: without this every
 * client of the proxy reconnects once the grace period is over (a thousand users at once on a busy
 * site). Qlik has no such step because it never retires a proxy certificate while sockets are open.
 *
 * The wire (values in libs/contracts qix-handover-wire.ts), in `QixFrame.close_reason`:
 *   1. proxy → engine on the old stream: `Handover` (the proxy sends nothing more on it);
 *   2. proxy → engine, a new stream whose metadata carries `x-tz-qix-resume: <key>`, the secret the
 *      proxy set in `x-tz-qix-resume-key` when it opened the session;
 *   3. engine, once it has answered every frame read before the marker: ends the old stream, then
 *      writes `Resumed` on the new one and answers there from then on — or `ResumeRefused` and ends
 *      the new stream, leaving the old one as it was.
 * The new stream went through the same guard as any (valid certificate of this site, a proxy, an
 * asserted user); it must also come from the same service name, for the same user and app.
 */

/** 32 random bytes, base64url: what the proxy generates. Anything else is not a key. */
const KEY = /^[A-Za-z0-9_-]{43}$/;
/** How long a new stream waits for the old stream's marker before it is refused. */
const WAIT_MS = 10_000;

export interface HandoverPoint {
  /** The old stream's marker was read (in order with its frames). */
  markerSeen(onCurrentStream: boolean): void;
  /** Any other frame: a proxy that gave up on a handover carries on where it was. */
  frameSeen(): void;
  /** A new stream asks to take the session over; a reason when it may not. */
  offer(next: QixCall, nextCtx: CallContext): string | null;
}

export interface HandoverSession {
  callerName: string;
  user: AssertedUser;
  appId: string;
  /** Moves the session to `next` after every answer owed on the old stream was written to it. */
  switchTo(next: QixCall, nextCtx: CallContext): void;
}

const keyOf = (metadata: QixCall['metadata'], header: string): string | null => {
  const key = String(metadata.get(header)[0] ?? '');
  return KEY.test(key) ? createHash('sha256').update(key).digest('hex') : null;
};

export const isResumeCall = (metadata: QixCall['metadata']): boolean => metadata.get(Wire.resumeHeader).length > 0;

const sameUser = (a: AssertedUser | null, b: AssertedUser): boolean =>
  a !== null && a.userDirectory.toLowerCase() === b.userDirectory.toLowerCase() && a.userId.toLowerCase() === b.userId.toLowerCase();

export function handoverPoint(s: HandoverSession): HandoverPoint {
  let marker = false;
  let pending: { call: QixCall; ctx: CallContext; timer: NodeJS.Timeout } | null = null;
  const drop = (refuse: boolean) => {
    if (!pending) return;
    clearTimeout(pending.timer);
    if (refuse) refuseStream(pending.call);
    pending = null;
  };
  const tryNow = () => {
    if (!marker || !pending) return;
    const { call, ctx, timer } = pending;
    clearTimeout(timer);
    pending = null;
    marker = false;
    s.switchTo(call, ctx);
  };
  return {
    markerSeen(onCurrentStream) {
      if (!onCurrentStream) return;
      marker = true;
      tryNow();
    },
    frameSeen() {
      marker = false;
    },
    offer(next, nextCtx) {
      if (nextCtx.callerName !== s.callerName) return `another caller (${nextCtx.callerName}, the session's is ${s.callerName})`;
      if (!sameUser(nextCtx.user, s.user)) return 'another user';
      if (String(next.metadata.get('x-tz-app-id')[0] ?? '') !== s.appId) return 'another app';
      if (pending) return 'a handover of this session is already under way';
      const timer = setTimeout(() => drop(true), WAIT_MS);
      timer.unref();
      pending = { call: next, ctx: nextCtx, timer };
      const gone = () => {
        if (pending?.call === next) drop(false);
      };
      next.on('end', gone);
      next.on('cancelled', gone);
      next.on('error', gone);
      tryNow();
      return null;
    },
  };
}

function refuseStream(call: QixCall): void {
  call.write({ text: '', closeReason: Wire.refused });
  call.end();
}

/** The sessions of one engine that a proxy may hand over, by the hash of their resume key. */
export class QixHandovers {
  private readonly points = new Map<string, HandoverPoint>();

  get size(): number {
    return this.points.size;
  }

  /** Lists a session under the key its first stream carried (none: it cannot be handed over). */
  list(metadata: QixCall['metadata'], point: HandoverPoint): () => void {
    const key = keyOf(metadata, Wire.keyHeader);
    if (key === null || this.points.has(key)) return () => undefined;
    this.points.set(key, point);
    return () => {
      if (this.points.get(key) === point) this.points.delete(key);
    };
  }

  resume(call: QixCall, ctx: CallContext, logger: Logger): void {
    const key = keyOf(call.metadata, Wire.resumeHeader);
    const point = key === null ? undefined : this.points.get(key);
    const reason = point === undefined ? 'no such session on this engine' : point.offer(call, ctx);
    if (reason === null) return;
    logger.warn('qix handover refused', { caller: ctx.callerName, reason });
    refuseStream(call);
  }
}
