import type { TlsSource } from '@trustzone/contracts';
import type { Logger } from '@trustzone/logging';

/**
 * When this proxy's own certificate changes (a rotation; not a new CRL or CA bundle), every QIX
 * session it relays is moved to a stream opened under the new certificate — spread over `spreadMs`
 * so a thousand sessions do not open a thousand streams in one tick. The engine closes streams of a
 * retired certificate once the grace period ends; moved sessions no longer have one.
 */
export function handoverOnRotation(
  tls: Pick<TlsSource, 'current' | 'onChange'>,
  live: Iterable<{ handover(): void }>,
  deps: { logger: Logger },
  spreadMs: number,
): () => void {
  let cert = tls.current().cert;
  const timers = new Set<NodeJS.Timeout>();
  const unsubscribe = tls.onChange(() => {
    const now = tls.current().cert;
    if (now === cert) return;
    cert = now;
    const sessions = [...live];
    if (sessions.length === 0) return;
    deps.logger.info('proxy certificate changed: moving QIX sessions to streams under the new one', { sessions: sessions.length, spreadMs });
    sessions.forEach((s, k) => {
      const t = setTimeout(() => {
        timers.delete(t);
        s.handover();
      }, Math.floor((k * spreadMs) / sessions.length));
      timers.add(t);
    });
  });
  return () => {
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    timers.clear();
  };
}
