import { EngineService, ErrorCode, HealthService, ServiceError, TrustZoneClient, type EngineDefinition, type HealthDefinition, type TlsSource } from '@trustzone/contracts';
import { identityAllowList } from '@trustzone/trust';

export interface EngineMember {
  address: string;
  client: TrustZoneClient<EngineDefinition>;
  up: boolean;
}

interface Member extends EngineMember {
  health: TrustZoneClient<HealthDefinition>;
}

const MAX_STICKY = 100_000;

/**
 * The engines behind this proxy (scale-out): each has one long-lived mTLS channel and is probed
 * with Health.Check every `probeMs`; a failed probe takes it out at once, a good one puts it back.
 * New sessions go round robin over the engines that are up; a session stays on its engine
 * (QIX state lives there) until that engine goes down.
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
        m.up = (await m.health.unary('Check', {}, { deadlineMs: Math.min(1_500, this.probeMs) })).status === 'ok';
      } catch {
        m.up = false;
      }
      if (!m.up) for (const [k, v] of this.sticky) if (v === m) this.sticky.delete(k);
    }));
  }

  /** The engine for a session (sticky) or for a one-off call (round robin over engines that are up). */
  pick(stickyKey?: string): EngineMember {
    const bound = stickyKey === undefined ? undefined : this.sticky.get(stickyKey);
    if (bound?.up) return bound;
    const up = this.members.filter((m) => m.up);
    if (up.length === 0) throw new ServiceError(ErrorCode.Unavailable, 'no engine is available');
    const chosen = up[this.next++ % up.length] as Member;
    if (stickyKey !== undefined) {
      if (this.sticky.size >= MAX_STICKY) this.sticky.clear();
      this.sticky.set(stickyKey, chosen);
    }
    return chosen;
  }

  /** A call failed as unavailable: take the engine out until its next good probe. */
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

  close(): void {
    if (this.timer) clearInterval(this.timer);
    for (const m of this.members) {
      m.client.close();
      m.health.close();
    }
  }
}
