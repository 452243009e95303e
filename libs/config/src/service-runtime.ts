/**
 * The shape every service's main.ts follows (architecture.md: tiny main): start → report ready to a
 * supervisor (IPC, when there is one) → on SIGTERM/SIGINT drain with a deadline → exit. Any startup
 * failure is one structured line on stderr and exit code 1; no stack trace reaches the operator's
 * terminal unless TZ_DEBUG is set.
 */
export interface RunningService {
  port: number;
  stop(deadlineMs: number): Promise<void>;
}

export interface RuntimeLog {
  (level: 'info' | 'error', message: string, fields?: Record<string, unknown>): void;
}

export async function runService(name: string, start: () => Promise<RunningService>, log: RuntimeLog = stderrLog(name)): Promise<void> {
  let running: RunningService;
  try {
    running = await start();
  } catch (e) {
    failStartup(name, e);
    return;
  }
  log('info', `${name} listening`, { port: running.port });
  process.send?.({ type: 'ready', service: name, port: running.port });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('info', `${name} stopping`, { signal });
    const hard = setTimeout(() => process.exit(1), 15_000);
    hard.unref();
    running.stop(10_000).then(
      () => process.exit(0),
      (e: unknown) => {
        log('error', `${name} stop failed`, { error: e instanceof Error ? e.message : String(e) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('disconnect', () => stop('supervisor-gone'));
}

export function failStartup(name: string, e: unknown): never {
  const message = e instanceof Error ? e.message : String(e);
  const line: Record<string, unknown> = { time: new Date().toISOString(), level: 'error', service: name, message: `startup failed: ${message}` };
  if (process.env['TZ_DEBUG'] && e instanceof Error) line['stack'] = e.stack;
  process.stderr.write(JSON.stringify(line) + '\n');
  process.exit(1);
}

function stderrLog(service: string): RuntimeLog {
  return (level, message, fields) => process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level, service, message, ...fields }) + '\n');
}
