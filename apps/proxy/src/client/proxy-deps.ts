import type { Logger } from '@trustzone/logging';
import type { TrustStore } from '@trustzone/trust';
import type { AuditAggregator } from '../audit/audit-aggregator';
import type { AuditSink } from '../audit/proxy-audit';
import type { LoginTargetStore } from '../auth/login-target-store';
import type { TicketStore } from '../auth/ticket-store';
import type { TokenBucketLimiter } from '../edge/token-bucket-limiter';
import type { IdpRuntime } from '../idp/idp-runtime';
import type { DoorName } from '../pipeline/exchange';
import type { StepName } from '../pipeline/step';
import type { AnonymousSessionCap } from '../session/anonymous-session-cap';
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
  /** Records written one by one, durable before the answer (logins, logouts, tickets). */
  audit: AuditSink;
  /** Events anyone can cause (refusals, failed logins, anonymous starts): counted, one record per group and interval. */
  aggregate: AuditAggregator;
  anonymousCap: AnonymousSessionCap;
  /** The site trust store that verifies integration certificates on the API port. */
  integrationTrust: TrustStore;
  logger: Logger;
  deadlineMs: number;
  maxBodyBytes: number;
  /** Observations for /metrics (request counts and latency, session starts). */
  observe: ProxyObserver;
  /** 'memory', or whether the shared (Redis) session store answers. */
  sessionStoreHealth: () => Promise<'ok' | 'memory' | 'unavailable'>;
  /** Deadline for a reload streamed through the proxy (reloads may run for minutes). */
  reloadDeadlineMs: number;
  /** Identity-provider (OIDC) logins in flight, provider clients and logout hints. */
  idp: IdpRuntime;
  /** Where browsers sent to a login portal were going (the authentication-module redirect). */
  loginTargets: LoginTargetStore;
  /** The proxy API port as bound (the portal's proxyRestUri names it); set when the listener is up. */
  apiPort: { current: number };
}

export interface ProxyObserver {
  request(listener: 'client' | 'api', status: number, durationMs: number): void;
  sessionStarted(via: string): void;
  /** Each pipeline step as it starts (tests check that every door runs the same steps). */
  step?(door: DoorName, step: StepName): void;
}
