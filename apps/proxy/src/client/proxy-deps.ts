import type { Logger } from '@trustzone/logging';
import type { ProxyAudit } from '../audit/proxy-audit';
import type { TicketStore } from '../auth/ticket-store';
import type { TokenBucketLimiter } from '../edge/token-bucket-limiter';
import type { SessionStore } from '../session/session-store';
import type { Upstreams } from '../upstreams';
import type { VirtualProxyRegistry } from '../virtual-proxy/virtual-proxy-registry';

/** Everything the proxy's request handling needs, built once in create-proxy.ts. */
export interface ProxyDeps {
  upstreams: Upstreams;
  registry: VirtualProxyRegistry;
  sessions: SessionStore;
  tickets: TicketStore;
  ipLimiter: TokenBucketLimiter;
  userLimiter: TokenBucketLimiter;
  audit: ProxyAudit;
  logger: Logger;
  deadlineMs: number;
  maxBodyBytes: number;
  /** Observations for /metrics (request counts and latency, session starts). */
  observe: ProxyObserver;
  /** 'memory', or whether the shared (Redis) session store answers. */
  sessionStoreHealth: () => Promise<'ok' | 'memory' | 'unavailable'>;
  /** Deadline for a reload streamed through the proxy (reloads may run for minutes). */
  reloadDeadlineMs: number;
}

export interface ProxyObserver {
  request(listener: 'client' | 'api', status: number, durationMs: number): void;
  sessionStarted(via: string): void;
}
