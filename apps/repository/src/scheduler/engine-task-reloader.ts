import { ErrorCode, EngineService, ServiceError, TrustZoneClient, type EngineDefinition, type TlsSource } from '@trustzone/contracts';
import { identityAllowList } from '@trustzone/trust';
import { SCHEDULER_USER } from './scheduler-identity';
import type { ReloadAttempt, TaskReloader } from './task-reloader';

/**
 * Task reloads through the engines' own reload path (the engine asks this repository for the plan,
 * runs the sandbox, stores the result): round robin over the configured engines. An engine whose
 * reload queue is full answers RESOURCE_EXHAUSTED (HTTP 429 at the proxy): that is "try later",
 * never a failed attempt.
 */
export function engineTaskReloader(addresses: readonly string[], tls: TlsSource): { reload: TaskReloader; close(): void } {
  const clients = addresses.map((address) => new TrustZoneClient<EngineDefinition>(EngineService, { address, tls, expect: identityAllowList(['engine']) }));
  let next = 0;
  const reload: TaskReloader = async (r) => {
    const client = clients[next++ % clients.length] as TrustZoneClient<EngineDefinition>;
    try {
      for await (const ev of client.serverStream('Reload', { appId: r.appId, taskExecutionId: r.executionId }, { deadlineMs: r.timeoutMs, user: SCHEDULER_USER, signal: r.signal })) {
        if (ev.progress) r.log(`${ev.progress.name} << ${ev.progress.rows} rows fetched`);
        const queued = (ev as { queued?: { position?: number } }).queued;
        if (queued) r.log(`waiting in the engine's reload queue (position ${queued.position ?? '?'})`);
        if (!ev.done) continue;
        if (ev.done.succeeded) {
          for (const t of ev.done.tables) r.log(`table ${t.name}: ${t.rows} rows`);
          return { kind: 'succeeded' };
        }
        const e = ev.done.error;
        const where = e && e.line > 0 ? ` (line ${e.line}, column ${e.column})` : '';
        return { kind: 'failed', message: `${e?.message ?? 'the reload failed'}${where}` };
      }
      return { kind: 'failed', message: 'the engine ended the reload without a result' };
    } catch (e) {
      return outcomeOf(e, r.timeoutMs);
    }
  };
  return { reload, close: () => clients.forEach((c) => c.close()) };
}

function outcomeOf(e: unknown, timeoutMs: number): ReloadAttempt {
  if (e instanceof ServiceError) {
    if (e.code === ErrorCode.ResourceExhausted) {
      const seconds = Number(e.detail?.['retryAfterSeconds']);
      return { kind: 'busy', ...(Number.isFinite(seconds) && seconds > 0 ? { retryAfterMs: seconds * 1000 } : {}) };
    }
    if (e.code === ErrorCode.DeadlineExceeded) return { kind: 'failed', message: `the run took longer than the task's session timeout (${Math.round(timeoutMs / 60_000)} min) and was stopped` };
    return { kind: 'failed', message: `${e.code}: ${e.publicMessage}` };
  }
  return { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
}
