import { EngineService, ErrorCode, HealthService, ServiceError, TrustZoneClient, type EngineDefinition, type HealthDefinition, type TlsSource } from '@trustzone/contracts';
import { identityAllowList } from '@trustzone/trust';

export interface EngineMember {
  address: string;
  client: TrustZoneClient<EngineDefinition>;
  up: boolean;
}

interface Member extends EngineMember {
  health: TrustZoneClient<HealthDefinition>;
  /** Probes in a row that did not answer in time (reset by any answer). */
  slowProbes: number;
}

/** What a Health.Check answers (the fields the console's site status shows). */
export interface HealthAnswer {
  status: string;
  version: string;
  certificateSerial: string;
  certificateNotAfter: string;
  checks: Record<string, string>;
}

const MAX_STICKY = 100_000;
/**
 * Probes in a row that must time out before a slow engine is taken out. One late answer is what a
 * busy engine on a loaded machine gives (event-loop lag, GC): taking it out for that refused new
 * sessions to an engine that was serving fine (issue 21's soak). Three in a row (~6 s) is an
 * engine that is hung, not busy.
 */
export const SLOW_PROBES_TO_MARK_DOWN = 3;

/**
 * The engines behind this proxy (scale-out): each has one long-lived mTLS channel and is probed
 * with Health.Check every `probeMs`. An engine is taken out at once when it cannot be reached
 * (connection refused or lost: UNAVAILABLE, i.e. killed or stopped) or answers that it is not ok,
 * and only after SLOW_PROBES_TO_MARK_DOWN probes in a row time out when it is merely slow; a good
 * probe puts it back. New sessions go round robin over the engines that are up; a session stays
 * on its engine (QIX state lives there) until that engine goes down. When no engine is marked up,
 * a caller still gets one to try (the callers bound their calls by deadlines): refusing outright
 * would turn a wrong "down" verdict into an outage, and a really dead engine fails the call fast.
 */
export class EnginePool {
  private readonly members: Member[];
  private readonly sticky = new Map<string, Member>();
  private next = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(addresses: readonly string[], tls: TlsSource, private readonly probeMs = 2_000) {
    if (addresses.length === 0) throw new Error('at least one engine address is required');
    const expect = identityAllowList(['engine']);
    this.members = addresses.map((address) => ({
      address,
      client: new TrustZoneClient<EngineDefinition>(EngineService, { address, tls, expect }),
      health: new TrustZoneClient<HealthDefinition>(HealthService, { address, tls, expect }),
      up: true,
      slowProbes: 0,
    }));
  }

  start(): void {
    void this.probe();
    this.timer = setInterval(() => void this.probe(), this.probeMs);
    this.timer.unref();
  }

  async probe(): Promise<void> {
    await Promise.all(this.members.map(async (m) => {
      try {
        const ok = (await m.health.unary('Check', {}, { deadlineMs: Math.min(1_500, this.probeMs) })).status === 'ok';
        m.slowProbes = 0;
        m.up = ok;
      } catch (e) {
        const slow = e instanceof ServiceError && e.code === ErrorCode.DeadlineExceeded;
        m.slowProbes = slow ? m.slowProbes + 1 : 0;
        if (!slow || m.slowProbes >= SLOW_PROBES_TO_MARK_DOWN) m.up = false;
      }
      if (!m.up) for (const [k, v] of this.sticky) if (v === m) this.sticky.delete(k);
    }));
  }

  /**
   * The engine for a session (sticky) or for a one-off call (round robin over engines that are up;
   * over all of them when none is up, see the class comment).
   */
  pick(stickyKey?: string): EngineMember {
    const up = this.members.filter((m) => m.up);
    const bound = stickyKey === undefined ? undefined : this.sticky.get(stickyKey);
    if (bound && (bound.up || up.length === 0)) return bound;
    const candidates = up.length > 0 ? up : this.members;
    const chosen = candidates[this.next++ % candidates.length];
    if (!chosen) throw new ServiceError(ErrorCode.Unavailable, 'no engine is available');
    if (stickyKey !== undefined) {
      if (this.sticky.size >= MAX_STICKY) this.sticky.clear();
      this.sticky.set(stickyKey, chosen);
    }
    return chosen;
  }

  /** How many engines the pool has (up or not). */
  size(): number {
    return this.members.length;
  }

  /** Whether any engine is marked up (a pick when none is, is a try on a suspect engine). */
  anyUp(): boolean {
    return this.members.some((m) => m.up);
  }

  /** A call could not reach the engine (UNAVAILABLE): take it out until its next good probe. */
  markDown(member: EngineMember): void {
    const m = this.members.find((x) => x === member);
    if (m) m.up = false;
  }

  release(stickyKey: string): void {
    this.sticky.delete(stickyKey);
  }

  status(): Record<string, 'ok' | 'unavailable'> {
    return Object.fromEntries(this.members.map((m) => [m.address, m.up ? 'ok' : 'unavailable']));
  }

  /** One Health.Check per engine now, with what each answers (the console's site status); marks nothing. */
  checkEach(deadlineMs: number): Promise<{ address: string; up: boolean; health?: HealthAnswer; error?: string }[]> {
    return Promise.all(this.members.map(async (m) => {
      try {
        const h = await m.health.unary('Check', {}, { deadlineMs });
        return { address: m.address, up: m.up, health: { status: h.status, version: h.version, certificateSerial: h.certificateSerial, certificateNotAfter: h.certificateNotAfter, checks: h.checks } };
      } catch (e) {
        return { address: m.address, up: m.up, error: e instanceof ServiceError ? e.code : 'UNAVAILABLE' };
      }
    }));
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    for (const m of this.members) {
      m.client.close();
      m.health.close();
    }
  }
}
