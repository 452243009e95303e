import { spawn, type ChildProcess } from 'node:child_process';
import { runAsync, type CommandResult } from './host-command';

export interface Confinement {
  /** `ip netns exec <ns>` */
  netns: string[];
  uid: number;
  gid: number;
  /** Volumes bound into the service's view of its file system, in mount order (parents first). */
  binds: readonly { host: string; view: string; readOnly: boolean }[];
  /** Folders hidden behind an empty tmpfs (the shared volumes/ folder: only the view remains). */
  hide: readonly string[];
  noCoreDumps: boolean;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The command line that runs `argv` as a container would: in the network namespace (which `ip netns
 * exec` also gives a private mount namespace, so these mounts stay local), with its volumes bound
 * into its view (read-only ones remounted read-only, as compose's `read_only`), everything else of
 * the shared volumes hidden, core dumps off, then as the service user with no capabilities
 * (bounding and inheritable sets emptied: cap_drop ALL) and no_new_privs (no-new-privileges). Each
 * step `exec`s, so the pid of the spawned process is the service's own pid.
 */
export function confinedCommand(c: Confinement, argv: readonly string[]): [string, string[]] {
  const script = [
    'set -e',
    ...c.binds.flatMap((b) => [`mkdir -p ${quote(b.view)}`, `mount --bind ${quote(b.host)} ${quote(b.view)}`, ...(b.readOnly ? [`mount -o remount,bind,ro ${quote(b.view)}`] : [])]),
    ...c.hide.map((h) => `mount -t tmpfs -o size=16k,mode=0755 lab-hidden ${quote(h)}`),
    ...(c.noCoreDumps ? ['ulimit -c 0'] : []),
    `exec setpriv --reuid=${c.uid} --regid=${c.gid} --clear-groups --no-new-privs --bounding-set=-all --inh-caps=-all "$@"`,
  ].join('\n');
  const [cmd = 'ip', ...rest] = c.netns;
  return [cmd, [...rest, 'sh', '-c', script, 'sh', ...argv]];
}

/** Runs a command to completion inside the confinement (healthchecks, `docker compose exec`). */
export function runConfined(c: Confinement, argv: readonly string[], options: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs: number }): Promise<CommandResult> {
  const [cmd, args] = confinedCommand(c, argv);
  return runAsync(cmd, args, options);
}

const TAIL_LINES = 60;

/** A long-running service process with the tail of its output kept for failure messages. */
export class ServiceProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  private readonly tail: string[] = [];

  constructor(readonly name: string, c: Confinement, argv: readonly string[], options: { env: NodeJS.ProcessEnv; cwd: string }) {
    const [cmd, args] = confinedCommand(c, argv);
    this.child = spawn(cmd, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.setEncoding('utf8').on('data', (chunk: string) => {
        this.tail.push(...chunk.split('\n').filter(Boolean).map((l) => l.slice(0, 400)));
        this.tail.splice(0, Math.max(0, this.tail.length - TAIL_LINES));
      });
    }
    this.exited = new Promise((resolve) => {
      this.child.on('error', () => resolve(null));
      this.child.on('exit', (code) => resolve(code));
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  output(lines = 15): string {
    return this.tail.slice(-lines).join('\n');
  }

  /** `signal`, then SIGKILL after `graceMs` (compose's stop_grace_period). */
  async stop(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
