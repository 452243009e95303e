import { ErrorCode, isServiceError, type PeerCheck } from '@trustzone/contracts';

export type CloseCause = 'caller' | 'access';

/** One open QIX stream, as the watch re-checks it. */
export interface WatchedStream {
  /** The proxy certificate the stream was opened under, checked against the current CRL and CAs. */
  callerValid(): PeerCheck;
  /** Streams with the same key (same asserted user, same app) share one repository question per round. */
  readonly accessKey: string;
  /** The repository's answer for Read on the app, now; throws when it cannot answer. */
  userMayRead(): Promise<boolean>;
  /**
   * Ends the stream (notification, then end); `reason` is for the log and the audit trail. `cause`
   * says whose credential failed: 'caller' — the proxy's certificate (retired after a rotation, or
   * revoked): the user's session is fine and the client may reconnect through the proxy at once;
   * 'access' — the user's right to the app.
   */
  close(reason: string, cause: CloseCause): void;
}

export interface QixStreamWatchOptions {
  intervalMs: number;
  /** How long a stream may go without a successful re-check (repository unreachable) before it is closed. */
  maxUnverifiedMs: number;
  /**
   * Streams whose proxy certificate stopped checking out in one round are closed spread evenly over
   * this window (0: all at once). A rotation retires the proxy's certificate for every stream it
   * carries at the same moment; closing them all at once makes every client reconnect at once. The
   * k-th of n closes at k·window/n, so every one is closed by detection + window (the bound
   * docs/threat-model.md states). Access revocations are never delayed.
   */
  callerCloseSpreadMs?: number;
  /**
   * Told once per round of the streams that round decided to close because their proxy certificate
   * stopped checking out. A round is one tick's due streams (or checkAll's all), so a rotation's
   * thousand streams give at most SLICES_PER_INTERVAL log lines, not one each: the per-stream record
   * is the audit event `app.session.revoked`.
   */
  onCallerGone?: (streams: number, spreadMs: number, reason: string) => void;
}

interface Entry {
  stream: WatchedStream;
  verifiedAt: number;
  /** When the periodic re-check takes this stream next (see QixStreamWatch.tick). */
  dueAt: number;
}

/** The periodic re-check runs this many times per interval, each taking the streams then due. */
const SLICES_PER_INTERVAL = 20;

// A definite "no" from the repository: the user is inactive or removed (PermissionDenied), the app is
// gone (NotFound), or the assertion no longer stands (Unauthenticated).
const DEFINITE = new Set<string>([ErrorCode.PermissionDenied, ErrorCode.NotFound, ErrorCode.Unauthenticated]);

/**
 * Access is checked when a QIX stream opens, but a stream lives as long as its socket. At least
 * every `intervalMs` this re-checks each open stream: the proxy certificate it was opened under
 * (local, against the CRL the engine has now) and the user's Read on the app (the repository's rules
 * now: a blocked user, a removed one, or a rule that no longer grants read all answer no). Either
 * "no" closes the stream; so does a stream the repository could not vouch for within
 * `maxUnverifiedMs` (fail closed, but not on one lost call).
 *
 * The re-checks are spread over the interval, not run all at once: a stream's first one comes at a
 * random point of its first interval, and each later one an interval after the last, taken by a
 * tick that runs SLICES_PER_INTERVAL times per interval. With a thousand streams, one round every
 * 5 s meant a thousand repository calls issued in one turn of the engine's event loop, and a stall
 * of 150–250 ms in the engine and the repository every 5 s (the soak's longest stalls).
 */
export class QixStreamWatch {
  private readonly entries = new Set<Entry>();
  /** Closes already decided (caller certificate no longer valid) and spread over the window. */
  private readonly pendingCloses = new Set<NodeJS.Timeout>();
  private readonly timer: NodeJS.Timeout;
  private readonly tickMs: number;
  /** Rounds run one after the other; `running` skips a tick while one is still out. */
  private last: Promise<void> = Promise.resolve();
  private running = false;

  constructor(private readonly o: QixStreamWatchOptions) {
    this.tickMs = Math.max(1, Math.floor(o.intervalMs / SLICES_PER_INTERVAL));
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  /** Streams still watched (not counting those whose spread close is already scheduled). */
  get size(): number {
    return this.entries.size;
  }

  /** Streams decided to close whose turn in the spread has not come yet. */
  get closing(): number {
    return this.pendingCloses.size;
  }

  /** Watches a stream until the returned function is called (when the stream ends). */
  add(stream: WatchedStream): () => void {
    const now = Date.now();
    // Access was checked at the open; the first re-check at a random point of the interval spreads
    // streams opened together (a rotation's handover, a proxy restart) over it, and keeps them spread.
    const entry: Entry = { stream, verifiedAt: now, dueAt: now + Math.random() * this.o.intervalMs };
    this.entries.add(entry);
    return () => void this.entries.delete(entry);
  }

  /** One round over every stream now (after a round still running). */
  checkAll(): Promise<void> {
    return this.enqueue(() => [...this.entries]);
  }

  close(): void {
    clearInterval(this.timer);
    for (const t of this.pendingCloses) clearTimeout(t);
    this.pendingCloses.clear();
    this.entries.clear();
  }

  /** The streams due now: each is taken again one interval later at the latest (tick granularity). */
  private tick(): void {
    if (this.running) return; // the due ones stay due and go with the next tick
    void this.enqueue(() => {
      const now = Date.now();
      const due: Entry[] = [];
      for (const entry of this.entries) {
        if (entry.dueAt > now) continue;
        entry.dueAt = now + this.o.intervalMs - this.tickMs;
        due.push(entry);
      }
      return due;
    });
  }

  private enqueue(pick: () => Entry[]): Promise<void> {
    const run = this.last.then(async () => {
      this.running = true;
      try {
        await this.runRound(pick());
      } finally {
        this.running = false;
      }
    });
    this.last = run.catch(() => undefined);
    return run;
  }

  private async runRound(round: readonly Entry[]): Promise<void> {
    if (round.length === 0) return;
    const asked = new Map<string, Promise<boolean>>();
    const checks: Promise<void>[] = [];
    const callerGone: { entry: Entry; reason: string }[] = [];
    for (const entry of round) {
      if (!this.entries.has(entry)) continue; // ended, or its close already scheduled
      const caller = entry.stream.callerValid();
      if (!caller.ok) {
        callerGone.push({ entry, reason: `the caller's certificate is no longer valid (${caller.reason})` });
        continue;
      }
      let answer = asked.get(entry.stream.accessKey);
      if (!answer) asked.set(entry.stream.accessKey, (answer = entry.stream.userMayRead()));
      checks.push(answer.then(
        (allowed) => {
          if (allowed) entry.verifiedAt = Date.now();
          else this.end(entry, 'the user may no longer read the app');
        },
        (error: unknown) => {
          if (isServiceError(error) && DEFINITE.has(error.code)) this.end(entry, `the repository refused the user (${error.code})`);
          else if (Date.now() - entry.verifiedAt > this.o.maxUnverifiedMs) this.end(entry, 'access could not be re-checked in time');
        },
      ));
    }
    this.endSpread(callerGone);
    await Promise.all(checks);
  }

  /** Closes the k-th of n at k·window/n: none is checked again, all are closed within the window. */
  private endSpread(gone: { entry: Entry; reason: string }[]): void {
    const window = this.o.callerCloseSpreadMs ?? 0;
    if (gone.length > 0) this.o.onCallerGone?.(gone.length, window, gone[0]!.reason);
    gone.forEach(({ entry, reason }, k) => {
      const delay = window <= 0 ? 0 : Math.floor((k * window) / gone.length);
      if (delay === 0) return this.end(entry, reason, 'caller');
      this.entries.delete(entry);
      const t = setTimeout(() => {
        this.pendingCloses.delete(t);
        entry.stream.close(reason, 'caller');
      }, delay);
      this.pendingCloses.add(t);
    });
  }

  private end(entry: Entry, reason: string, cause: CloseCause = 'access'): void {
    if (!this.entries.delete(entry)) return;
    entry.stream.close(reason, cause);
  }
}
