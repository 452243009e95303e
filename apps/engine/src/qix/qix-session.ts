import { HandleTable } from './handle-table';
import { parseRequestFrame } from './json-rpc-frame';
import type { SessionCore } from './method-table';
import { clipInput, QixError, QixErrorCode } from './qix.error';
import { dispatch } from './qix-dispatch';
import { resolveQixLimits } from './qix-limits';
import type { ClosingNotification, QixSession, QixSessionDeps } from './qix-session.types';
import { changeFrame, errorFrame, notificationFrame } from './rpc-frames';
import { objectDependents } from './objects/object-context';

/**
 * One QIX session: one client socket, one user, at most one open document. Transport-agnostic: the
 * proxy relays text frames (over the engine's gRPC stream) and sends back whatever this returns.
 *
 * Frames are answered one at a time, in arrival order, so a slow OpenDoc cannot interleave with the
 * selections that follow it; the queue is bounded and overflow is answered, not dropped.
 */
export function createQixSession(deps: QixSessionDeps): QixSession {
  const limits = resolveQixLimits(deps.limits);
  const core: SessionCore = { deps, limits, handles: new HandleTable(limits.maxHandles), doc: null, releaseCell: null, objectWatch: null, opening: false, closed: false };
  let tail: Promise<unknown> = Promise.resolve();
  let pending = 0;

  const close = (): void => {
    core.closed = true;
    core.releaseCell?.();
    core.releaseCell = null;
    core.objectWatch?.release();
    core.objectWatch = null;
    core.doc = null;
    core.handles.clear();
  };

  return {
    start: () => [notificationFrame('OnConnected', { qSessionState: 'SESSION_CREATED' })],

    async handle(frameText: string): Promise<string[]> {
      if (core.closed) return [];
      const parsed = parseRequestFrame(frameText, limits);
      if (!parsed.ok) return [errorFrame(parsed.id, parsed.error)];
      if (pending >= limits.maxPendingRequests) {
        return [errorFrame(parsed.request.id, new QixError(QixErrorCode.ABORTED, `more than ${limits.maxPendingRequests} requests pending`))];
      }
      pending++;
      const run = tail.then(async () => (core.closed ? [] : [await dispatch(core, parsed.request)]));
      tail = run.catch(() => undefined);
      try {
        const frames = await run;
        return core.closed ? [] : frames;
      } catch {
        // dispatch answers every failure itself; this is only reached by a bug, and must not reject.
        return core.closed ? [] : [errorFrame(parsed.request.id, new QixError(QixErrorCode.INTERNAL_ERROR, 'Internal error'))];
      } finally {
        pending--;
      }
    },

    staleNotice(): string | null {
      if (core.closed || core.doc === null) return null;
      const change = core.handles.selectionDependents();
      return change.length === 0 ? null : changeFrame(change);
    },

    objectsNotice(): string | null {
      if (core.closed || core.doc === null) return null;
      const change = objectDependents(core);
      return change.length === 0 ? null : changeFrame(change);
    },

    notifyClosing(kind: ClosingNotification, message: string): string {
      close();
      return notificationFrame(kind, { severity: 'fatal', timestamp: new Date().toISOString(), message: clipInput(message, 500) });
    },

    close,
  };
}
