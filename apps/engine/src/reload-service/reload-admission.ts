import { tooManyRequests, ErrorCode, ServiceError } from '@trustzone/contracts';

export interface ReloadLimits {
  /** Reloads running at once (each is a process with its own heap). */
  concurrency: number;
  /** Reloads waiting for a slot; beyond it new ones are refused. */
  queueLength: number;
  /** Reloads one user may have running and waiting together. */
  perUser: number;
}

interface Waiter {
  user: string;
  start(): void;
  onPosition(position: number): void;
}

/** A first guess of a reload's duration, for Retry-After before any reload has finished. */
const INITIAL_ESTIMATE_MS = 10_000;
const MAX_RETRY_AFTER_S = 600;

/**
 * Admission control for reloads (issue 15, finding 4): at most `concurrency` run, at most
 * `queueLength` wait in arrival order, and one user holds at most `perUser` of both together.
 * Beyond a limit the reload is refused at once (TooManyRequests → HTTP 429) with a Retry-After
 * from the average duration of recent reloads. Waiting costs a promise, not a process, so QIX
 * sessions keep their CPU and memory however many reloads are asked for.
 */
export class ReloadAdmission {
  private running = 0;
  private readonly queue: Waiter[] = [];
  private readonly held = new Map<string, number>();
  private averageMs = INITIAL_ESTIMATE_MS;

  constructor(private readonly limits: ReloadLimits) {
    for (const [k, v] of Object.entries(limits)) {
      if (!Number.isSafeInteger(v) || v < (k === 'queueLength' ? 0 : 1)) throw new RangeError(`reload limit ${k} must be a positive integer`);
    }
  }

  get stats(): { running: number; queued: number } {
    return { running: this.running, queued: this.queue.length };
  }

  /**
   * Waits for a slot and resolves with the function that gives it back (call it exactly once, when
   * the reload is over). `onQueued` hears the position (1 = next) on entering the queue and on every
   * move. An abort while waiting leaves the queue and rejects.
   */
  async admit(user: string, onQueued: (position: number) => void, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw aborted();
    const mine = this.held.get(user) ?? 0;
    if (mine >= this.limits.perUser) {
      throw tooManyRequests(`you already have ${mine} reloads running or waiting on this engine (limit ${this.limits.perUser}); try again later`, this.retryAfter(1));
    }
    const free = this.running < this.limits.concurrency && this.queue.length === 0;
    if (!free && this.queue.length >= this.limits.queueLength) {
      throw tooManyRequests(`the engine is running ${this.running} reloads and ${this.queue.length} are waiting (limit ${this.limits.queueLength}); try again later`, this.retryAfter(this.queue.length + 1));
    }
    this.held.set(user, mine + 1);
    if (free) {
      this.running++;
      return this.releaser(user);
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.queue.indexOf(waiter);
        if (i < 0) return;
        this.queue.splice(i, 1);
        this.drop(user);
        this.announce(i);
        reject(aborted());
      };
      const waiter: Waiter = {
        user,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        onPosition: onQueued,
      };
      this.queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      onQueued(this.queue.length);
    });
    return this.releaser(user);
  }

  private releaser(user: string): () => void {
    const started = Date.now();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      // An exponential average: recent reloads say most about the next ones.
      this.averageMs = 0.7 * this.averageMs + 0.3 * (Date.now() - started);
      this.drop(user);
      const next = this.queue.shift();
      if (next === undefined) {
        this.running--;
        return;
      }
      next.start();
      this.announce(0);
    };
  }

  /** Tells every waiter from index `from` on its new position. */
  private announce(from: number): void {
    for (let i = from; i < this.queue.length; i++) {
      try {
        this.queue[i]!.onPosition(i + 1);
      } catch {
        // A listener whose stream has gone: its abort takes it out of the queue.
      }
    }
  }

  private drop(user: string): void {
    const n = (this.held.get(user) ?? 1) - 1;
    if (n <= 0) this.held.delete(user);
    else this.held.set(user, n);
  }

  /** Seconds until about `ahead` reloads have finished on the engine's slots. */
  private retryAfter(ahead: number): number {
    const s = (this.averageMs / 1000) * Math.ceil(ahead / this.limits.concurrency);
    return Math.min(MAX_RETRY_AFTER_S, Math.max(1, Math.ceil(s)));
  }
}

function aborted(): ServiceError {
  return new ServiceError(ErrorCode.Unavailable, 'the reload was cancelled while it waited');
}
