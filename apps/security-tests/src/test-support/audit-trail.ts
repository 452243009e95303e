import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:https';
import { tailAuditLog, type AuditEntry, type AuditRecord } from '@trustzone/logging';
import type { HttpResult, RunningSite } from '@trustzone/site-harness';
import { sitePaths } from '@trustzone/trust';

/** Bytes of every file of the site's audit trail (records, checkpoints, archived signers). */
export function auditBytes(site: RunningSite): number {
  const dir = sitePaths(site.dataDir).audit;
  return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).reduce((n, e) => n + statSync(join(dir, e.name)).size, 0);
}

/** The audit records (checkpoints left out), oldest first, optionally of one action. */
export async function auditRecords(site: RunningSite, action?: string): Promise<AuditRecord[]> {
  const r = await tailAuditLog({ dir: sitePaths(site.dataDir).audit, limit: 10_000, ...(action ? { filter: { action } } : {}) });
  return r.entries.filter((e: AuditEntry): e is AuditRecord => 'actor' in e);
}

/** How many events a record stands for: an aggregated record's `details.count`, else 1. */
export function eventsIn(r: AuditRecord): number {
  const count = (r.details as { count?: unknown } | undefined)?.count;
  return typeof count === 'number' ? count : 1;
}

export function detailsOf(r: AuditRecord): Record<string, unknown> {
  return (r.details ?? {}) as Record<string, unknown>;
}

/**
 * One HTTPS request to the client-facing port from a chosen local address (e.g. 127.0.0.2, which is
 * loopback on Linux but not 127.0.0.1): the proxy sees that address as the client's.
 */
export function requestFrom(site: RunningSite, localAddress: string, path: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', servername: 'localhost', port: site.ports.proxy, path, localAddress, ca: site.clientFacingCa, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
