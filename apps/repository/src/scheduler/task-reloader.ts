/** What running one attempt of a task on an engine came to (the scheduler decides what follows). */
export type ReloadAttempt =
  | { kind: 'succeeded' }
  | { kind: 'failed'; message: string }
  /** The engine's reload queue was full (429): offer the run again later; not a failed attempt. */
  | { kind: 'busy'; retryAfterMs?: number };

export interface ReloadRequestForTask {
  appId: string;
  /** The execution result id: PrepareReload checks that the scheduler really started this run. */
  executionId: string;
  timeoutMs: number;
  /** A line of the script log (progress, errors). */
  log(line: string): void;
  signal: AbortSignal;
}

/** Runs one reload for a task (the engine adapter in production). */
export type TaskReloader = (r: ReloadRequestForTask) => Promise<ReloadAttempt>;
