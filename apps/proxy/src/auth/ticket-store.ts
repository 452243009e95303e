import { randomBytes } from 'node:crypto';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import type { SessionAttributes } from './authenticated-user';

/**
 * Login tickets (proxy-and-repository-api.md, "Ticket login"): random (192 bits, above the ≥128 the
 * spec asks), valid one minute, single use, bounded in number so a misbehaving portal cannot exhaust
 * memory. This file holds the interface and the in-memory store; redis-ticket-store.ts shares tickets
 * between proxies.
 */
export interface TicketBody {
  userDirectory: string;
  userId: string;
  attributes: SessionAttributes;
  targetId?: string;
  /** Virtual proxy the ticket was issued for; redemption on another prefix is refused. */
  prefix: string;
}

export interface TicketStore {
  /** Issues a ticket; throws EdgeError(TicketCapacity) when too many are outstanding. */
  issue(body: TicketBody): Promise<string>;
  /** The body if the ticket exists and is unexpired, consuming it; null otherwise (never throws on bad input). */
  redeem(ticket: string): Promise<TicketBody | null>;
}

export interface TicketStoreOptions {
  now?: () => number;
  ttlMs?: number;
  maxOutstanding?: number;
}

export const TICKET_TTL_MS = 60_000;
export const DEFAULT_MAX_OUTSTANDING_TICKETS = 10_000;
const TICKET_BYTES = 24;
const TICKET_PATTERN = /^[A-Za-z0-9_-]{32}$/;

export function newTicket(): string {
  return randomBytes(TICKET_BYTES).toString('base64url');
}

/** Cheap shape check before any lookup: garbage never reaches a store. */
export function isTicketShaped(ticket: string): boolean {
  return TICKET_PATTERN.test(ticket);
}

export function ticketCapacityError(): EdgeError {
  return new EdgeError(EdgeErrorCode.TicketCapacity, 'too many outstanding tickets, retry later', { retryAfterSeconds: 5 });
}

interface Entry {
  body: TicketBody;
  expiresAt: number;
}

export class MemoryTicketStore implements TicketStore {
  private readonly tickets = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly max: number;

  constructor(options: TicketStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? TICKET_TTL_MS;
    this.max = options.maxOutstanding ?? DEFAULT_MAX_OUTSTANDING_TICKETS;
  }

  async issue(body: TicketBody): Promise<string> {
    if (this.tickets.size >= this.max) this.purgeExpired();
    if (this.tickets.size >= this.max) throw ticketCapacityError();
    const ticket = newTicket();
    this.tickets.set(ticket, { body: structuredClone(body), expiresAt: this.now() + this.ttlMs });
    return ticket;
  }

  async redeem(ticket: string): Promise<TicketBody | null> {
    if (!isTicketShaped(ticket)) return null;
    // get + delete with no await in between: the event loop makes this the single winner.
    const entry = this.tickets.get(ticket);
    if (!entry) return null;
    this.tickets.delete(ticket);
    return this.now() < entry.expiresAt ? entry.body : null;
  }

  get outstanding(): number {
    return this.tickets.size;
  }

  // The TTL is constant, so insertion order is expiry order: stop at the first live ticket.
  private purgeExpired(): void {
    const now = this.now();
    for (const [ticket, entry] of this.tickets) {
      if (entry.expiresAt > now) break;
      this.tickets.delete(ticket);
    }
  }
}
