import { userInfo } from 'node:os';
import { ErrorCode, RepositoryService, ServiceError, TrustZoneClient, trustZoneTls, type RepositoryDefinition } from '@trustzone/contracts';
import { openSiteAuditLog } from '@trustzone/logging';
import { identityAllowList, loadTlsMaterial, openTrustStore, sitePaths } from '@trustzone/trust';
import { type CommandContext } from './command';

export interface OperatorEvent {
  action: string;
  outcome: 'success' | 'failure';
  target?: { type: string; id: string };
  reason?: string;
  details?: Record<string, unknown>;
}

/**
 * Certificate and key operations go to the site's audit trail (trust-zone.md lists them). A running
 * repository owns the log, so the event goes there over mTLS as the `tz-cli` identity; when no
 * repository answers, the CLI appends to the log itself (the log's lock keeps the two from ever
 * writing at once). The OS account that ran the command rides in the details.
 */
export async function recordOperatorEvent(ctx: CommandContext, dataDir: string, e: OperatorEvent): Promise<void> {
  await recordOperatorEvents(ctx, dataDir, [e]);
}

export async function recordOperatorEvents(ctx: CommandContext, dataDir: string, events: readonly OperatorEvent[]): Promise<void> {
  const osUser = safeOsUser();
  const paths = sitePaths(dataDir);
  const address = ctx.env['TZ_REPOSITORY_ADDRESS'] ?? `localhost:${ctx.env['TZ_REPOSITORY_PORT'] ?? '4242'}`;
  const store = openTrustStore({ certsDir: paths.certs, name: 'cli', watch: false });
  const client = new TrustZoneClient<RepositoryDefinition>(RepositoryService, { address, tls: trustZoneTls(store), expect: identityAllowList(['repository']) });
  let sent = 0;
  try {
    for (const e of events) {
      await client.unary('RecordAudit', {
        action: e.action, outcome: e.outcome, user: '', targetType: e.target?.type ?? '', targetId: e.target?.id ?? '',
        reason: e.reason ?? '', detailsJson: JSON.stringify({ ...e.details, osUser }),
      }, { deadlineMs: 3_000 });
      sent++;
    }
    return;
  } catch (err) {
    if (!(err instanceof ServiceError) || (err.code !== ErrorCode.Unavailable && err.code !== ErrorCode.DeadlineExceeded)) throw err;
  } finally {
    client.close();
    store.close();
  }
  const material = loadTlsMaterial({ certsDir: paths.certs, name: 'repository' });
  const log = await openSiteAuditLog(paths, { keyPem: material.keyPem, certPem: material.certPem });
  try {
    for (const e of events.slice(sent)) {
      await log.append({ actor: { service: 'cli' }, action: e.action, outcome: e.outcome, ...(e.target ? { target: e.target } : {}), ...(e.reason ? { reason: e.reason } : {}), details: { ...e.details, osUser } });
    }
  } finally {
    await log.close();
  }
}

function safeOsUser(): string {
  try {
    return userInfo().username.slice(0, 64);
  } catch {
    return 'unknown';
  }
}
