import type { Logger } from '@trustzone/logging';
import type { Upstreams } from '../upstreams';
import { parseVirtualProxyConfig, type VirtualProxyConfig } from './virtual-proxy-config.schema';

const REFRESH_MS = 5_000;

/**
 * The virtual proxies the repository stores, kept current: loaded at start and refreshed every few
 * seconds. A config that fails validation is skipped (and logged) rather than taking the others down;
 * two with one prefix are ambiguous, so the second is skipped; when the repository is unreachable the
 * last good set stays in force. A JWT virtual proxy without jwtIssuer or jwtAudience (stored before
 * both were required) loads, refuses every login, and is logged once.
 */
export class VirtualProxyRegistry {
  private configs: VirtualProxyConfig[] = [];
  private timer: NodeJS.Timeout | undefined;
  private incompleteJwt = new Set<string>();

  constructor(
    private readonly upstreams: Upstreams,
    private readonly logger: Logger,
    private readonly deadlineMs: number,
  ) {}

  all(): readonly VirtualProxyConfig[] {
    return this.configs;
  }

  async refresh(): Promise<void> {
    const res = await this.upstreams.repository.unary('ListVirtualProxies', {}, { deadlineMs: this.deadlineMs });
    const raw = JSON.parse(res.json) as unknown[];
    const next: VirtualProxyConfig[] = [];
    for (const entry of raw) {
      try {
        const c = parseVirtualProxyConfig(entry);
        if (next.some((x) => x.prefix === c.prefix)) throw new Error(`duplicate prefix '${c.prefix}'`);
        next.push(c);
      } catch (e) {
        this.logger.warn('virtual proxy config skipped', { id: (entry as { id?: unknown })?.id, error: e instanceof Error ? e.message : String(e) });
      }
    }
    this.configs = next;
    this.warnIncompleteJwt(next);
  }

  private warnIncompleteJwt(configs: readonly VirtualProxyConfig[]): void {
    const now = new Set<string>();
    for (const c of configs) {
      if (c.authenticationMethod !== 'jwt' || (c.jwtIssuer && c.jwtAudience)) continue;
      now.add(c.prefix);
      if (!this.incompleteJwt.has(c.prefix)) {
        const missing = [c.jwtIssuer ? [] : ['jwtIssuer'], c.jwtAudience ? [] : ['jwtAudience']].flat();
        this.logger.warn('JWT virtual proxy refuses every login until it is configured', { prefix: c.prefix, missing });
      }
    }
    this.incompleteJwt = now;
  }

  /** First load must succeed within `waitMs` (the repository may still be starting). */
  async start(waitMs = 30_000): Promise<void> {
    const end = Date.now() + waitMs;
    for (;;) {
      try {
        await this.refresh();
        break;
      } catch (e) {
        if (Date.now() > end) throw new Error(`could not load virtual proxies from the repository: ${e instanceof Error ? e.message : String(e)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    this.timer = setInterval(() => {
      this.refresh().catch((e: unknown) => this.logger.warn('virtual proxy refresh failed; keeping the last set', { error: e instanceof Error ? e.message : String(e) }));
    }, REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
