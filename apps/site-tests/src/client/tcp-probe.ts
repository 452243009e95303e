import { connect } from 'node:net';

export type ProbeOutcome = 'connected' | 'refused' | 'unreachable' | 'timeout' | 'unresolved' | 'error';

export interface ProbeResult {
  target: string;
  outcome: ProbeOutcome;
  detail: string;
}

/** Tries to open one TCP connection (and closes it at once); never throws. */
export function probe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const target = `${host}:${port}`;
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (outcome: ProbeOutcome, detail: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ target, outcome, detail });
    };
    const timer = setTimeout(() => done('timeout', `no answer in ${timeoutMs} ms`), timeoutMs);
    socket.once('connect', () => done('connected', `from ${socket.localAddress ?? '?'}`));
    socket.once('error', (e: NodeJS.ErrnoException) => {
      const outcome: ProbeOutcome = e.code === 'ECONNREFUSED' ? 'refused' : e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH' ? 'unreachable' : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' ? 'unresolved' : 'error';
      done(outcome, e.code ?? e.message);
    });
  });
}
