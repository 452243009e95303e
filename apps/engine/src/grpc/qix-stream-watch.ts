import { ErrorCode, isServiceError, type PeerCheck } from '@trustzone/contracts';

/** One open QIX stream, as the watch re-checks it. */
export interface WatchedStream {
  /** The proxy certificate the stream was opened under, checked against the current CRL and CAs. */
  callerValid(): PeerCheck;
  /** Streams with the same key (same asserted user, same app) share one repository question per round. */
  readonly accessKey: string;
  /** The repository's answer for Read on the app, now; throws when it cannot answer. */
  userMayRead(): Promise<boolean>;
  /** Ends the stream (notification, then end); `reason` is for the log and the audit trail. */
  close(reason: string): void;
}

export interface QixStreamWatchOptions {
  intervalMs: number;
  /** How long a stream may go without a successful re-check (repository unreachable) before it is closed. */
  maxUnverifiedMs: number;
}

interface Entry {
  stream: WatchedStream;
  verifiedAt: number;
}

// A definite "no" from the repository: the user is inactive or removed (PermissionDenied), the app is
// gone (NotFound), or the assertion no longer stands (Unauthenticated).
const DEFINITE = new Set<string>([ErrorCode.PermissionDenied, ErrorCode.NotFound, ErrorCode.Unauthenticated]);

/**
 * Access is checked when a QIX stream opens, but a stream lives as long as its socket. Every
 * `intervalMs` this re-checks each open stream: the proxy certificate it was opened under (local,
 * against the CRL the engine has now) and the user's Read on the app (the repository's rules now:
 * a blocked user, a removed one, or a rule that no longer grants read all answer no). Either "no"
 * closes the stream; so does a stream the repository could not vouch for within `maxUnverifiedMs`
 * (fail closed, but not on one lost call).
 */
export class QixStreamWatch {
  private readonly entries = new Set<Entry>();
  private readonly timer: NodeJS.Timeout;
  private round: Promise<void> | null = null;

  constructor(private readonly o: QixStreamWatchOptions) {
    this.timer = setInterval(() => void this.checkAll(), o.intervalMs);
    this.timer.unref();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Watches a stream until the returned function is called (when the stream ends). */
  add(stream: WatchedStream): () => void {
    const entry: Entry = { stream, verifiedAt: Date.now() };
    this.entries.add(entry);
    return () => void this.entries.delete(entry);
  }

  /** One round over every stream; a round still running is not started twice. */
  checkAll(): Promise<void> {
    this.round ??= this.runRound().finally(() => (this.round = null));
    return this.round;
  }

  close(): void {
    clearInterval(this.timer);
    this.entries.clear();
  }

  private async runRound(): Promise<void> {
    const asked = new Map<string, Promise<boolean>>();
    const checks: Promise<void>[] = [];
    for (const entry of [...this.entries]) {
      const caller = entry.stream.callerValid();
      if (!caller.ok) {
        this.end(entry, `the caller's certificate is no longer valid (${caller.reason})`);
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
    await Promise.all(checks);
  }

  private end(entry: Entry, reason: string): void {
    if (!this.entries.delete(entry)) return;
    entry.stream.close(reason);
  }
}
