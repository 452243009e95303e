import { fork, type ChildProcess, type Serializable } from 'node:child_process';
import { setPriority } from 'node:os';
import { dirname, isAbsolute } from 'node:path';

export interface SandboxGrants {
  /** Absolute paths (files or directories) the process may read besides its own entry file. */
  readPaths: readonly string[];
}

export interface SandboxLimits {
  /** Wall-clock limit; the process is SIGKILLed when it is reached. */
  timeoutMs: number;
  /** V8 old-space limit (--max-old-space-size). */
  maxOldSpaceMb: number;
  /** Bytes of stderr kept (head and tail each); the rest is dropped. */
  maxStderrBytes?: number;
  /** Scheduling priority (nice, 0–19) set on the process right after it starts. */
  nice?: number;
}

export type SandboxExit =
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'timeout' }
  | { kind: 'memory' }
  | { kind: 'aborted' }
  | { kind: 'spawn-failed'; message: string };

export interface SandboxedProcess {
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** SIGKILL now (idempotent). */
  kill(): void;
  readonly exit: Promise<SandboxExit>;
  /** Captured stderr (bounded) — for the engine log only, never for clients. */
  stderr(): string;
}

// Node 20 splits --allow-fs-read values at commas and treats '*' as a wildcard, so such paths
// would widen the grant; refuse them instead of trying to escape them.
const UNSAFE_GRANT = /[,*\n\r\0]/;

/**
 * The node flags for a sandboxed process: the permission model with read access only to the entry
 * file and the granted paths (no --allow-fs-write, --allow-child-process, --allow-worker), no
 * addons, no code generation from strings, and a heap limit.
 */
export function sandboxExecArgv(entryFile: string, grants: SandboxGrants, limits: SandboxLimits): string[] {
  const paths = [entryFile, ...grants.readPaths];
  for (const p of paths) {
    if (!isAbsolute(p) || UNSAFE_GRANT.test(p)) throw new Error(`refusing sandbox read grant ${JSON.stringify(p)}: must be absolute, without , * or control characters`);
  }
  if (!Number.isSafeInteger(limits.maxOldSpaceMb) || limits.maxOldSpaceMb < 8) throw new Error('maxOldSpaceMb must be an integer >= 8');
  return [
    '--experimental-permission',
    ...paths.map((p) => `--allow-fs-read=${p}`),
    `--max-old-space-size=${limits.maxOldSpaceMb}`,
    '--no-addons',
    '--disallow-code-generation-from-strings',
    '--disable-warning=ExperimentalWarning',
    '--unhandled-rejections=strict',
  ];
}

const OUT_OF_MEMORY = /heap out of memory|Reached heap limit|Fatal process out of memory|Fatal JavaScript invalid size error|Allocation failed/i;

/**
 * Starts `entryFile` in a sandboxed child: permission model flags, an empty environment (nothing
 * secret is inherited; NODE_OPTIONS cannot inject --require), stdin/stdout closed, stderr captured
 * and bounded, IPC with the 'advanced' serialization. The returned `exit` resolves exactly once.
 */
export function spawnSandboxed(entryFile: string, grants: SandboxGrants, limits: SandboxLimits, signal?: AbortSignal): SandboxedProcess {
  const execArgv = sandboxExecArgv(entryFile, grants, limits);
  if (!Number.isSafeInteger(limits.timeoutMs) || limits.timeoutMs <= 0) throw new Error('timeoutMs must be a positive integer');
  const stderr = new BoundedText(limits.maxStderrBytes ?? 16 * 1024);
  let reason: 'timeout' | 'aborted' | null = null;
  let child: ChildProcess;
  let settle: (exit: SandboxExit) => void = () => undefined;
  const exit = new Promise<SandboxExit>((res) => (settle = res));
  try {
    child = fork(entryFile, [], {
      execArgv,
      env: {},
      cwd: dirname(entryFile),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
  } catch (e) {
    settle({ kind: 'spawn-failed', message: e instanceof Error ? e.message : 'fork failed' });
    return { pid: undefined, send: () => undefined, onMessage: () => undefined, kill: () => undefined, exit, stderr: () => '' };
  }
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  if (limits.nice !== undefined && child.pid !== undefined) {
    try {
      setPriority(child.pid, limits.nice);
    } catch {
      // Best effort: where the priority cannot be lowered the reload runs at the engine's.
    }
  }
  const timer = setTimeout(() => {
    reason ??= 'timeout';
    kill();
  }, limits.timeoutMs);
  const onAbort = (): void => {
    reason ??= 'aborted';
    kill();
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  child.on('error', (e) => {
    // 'error' covers spawn failures and failed sends; only a spawn failure ends the process.
    if (child.pid === undefined) finish({ kind: 'spawn-failed', message: e.message });
  });
  child.on('close', (code, sig) => {
    if (reason) finish({ kind: reason });
    else if (OUT_OF_MEMORY.test(stderr.text())) finish({ kind: 'memory' });
    else finish({ kind: 'exited', code, signal: sig });
  });
  function finish(result: SandboxExit): void {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    settle(result);
  }
  return {
    pid: child.pid,
    send: (message) => {
      if (child.connected) child.send(message as Serializable, (err) => err && kill());
    },
    onMessage: (listener) => child.on('message', (m: unknown) => listener(m)),
    kill,
    exit,
    stderr: () => stderr.text(),
  };
}

/** Keeps the first and the last `limit` characters of a stream. */
class BoundedText {
  private head = '';
  private tail = '';
  private dropped = false;

  constructor(private readonly limit: number) {}

  push(s: string): void {
    if (this.head.length < this.limit) {
      const take = this.limit - this.head.length;
      this.head += s.slice(0, take);
      s = s.slice(take);
    }
    if (s === '') return;
    this.tail += s;
    if (this.tail.length > this.limit) {
      this.tail = this.tail.slice(-this.limit);
      this.dropped = true;
    }
  }

  text(): string {
    return this.dropped ? `${this.head}\n…\n${this.tail}` : this.head + this.tail;
  }
}
