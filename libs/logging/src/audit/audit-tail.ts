import { LoggingError, LoggingErrorCode } from '../logging.error';
import { listAuditFiles } from './audit-files';
import type { AuditEntry, AuditOutcome, AuditService } from './audit-record';
import { MAX_LINE_BYTES, isCheckpoint } from './audit-record';
import { parseLine } from './audit-line';
import { linesBackward } from './backward-lines';

export interface AuditTailFilter {
  /** Exact action, or a prefix ending in `*` (`auth.*`). */
  action?: string;
  /** `DIRECTORY\userid` of the actor. */
  user?: string;
  service?: AuditService;
  outcome?: AuditOutcome;
  targetType?: string;
  targetId?: string;
  since?: Date;
  until?: Date;
  includeCheckpoints?: boolean;
}

export interface AuditTailOptions {
  dir: string;
  /** Newest matching entries to return (1…10000, default 100). */
  limit?: number;
  filter?: AuditTailFilter;
  /** Stop after reading this many lines (bounds the cost of a filter that matches little). */
  maxScan?: number;
}

export interface AuditTailResult {
  /** Matching entries, oldest first (like `tail`). */
  entries: AuditEntry[];
  scanned: number;
  /** Lines that did not parse; `tz audit verify` says why. Tail does not verify the chain. */
  malformed: number;
  /** True when the scan stopped at `maxScan` before reaching the start of the log. */
  incomplete: boolean;
}

function matches(entry: AuditEntry, f: AuditTailFilter): boolean {
  if (isCheckpoint(entry)) return f.includeCheckpoints === true && f.action === undefined && f.user === undefined && f.outcome === undefined;
  if (f.action !== undefined && !(f.action.endsWith('*') ? entry.action.startsWith(f.action.slice(0, -1)) : entry.action === f.action)) return false;
  if (f.user !== undefined && entry.actor.user !== f.user) return false;
  if (f.service !== undefined && entry.actor.service !== f.service) return false;
  if (f.outcome !== undefined && entry.outcome !== f.outcome) return false;
  if (f.targetType !== undefined && entry.target?.type !== f.targetType) return false;
  if (f.targetId !== undefined && entry.target?.id !== f.targetId) return false;
  const time = Date.parse(entry.time);
  if (f.until !== undefined && time > f.until.getTime()) return false;
  return true;
}

/** The newest audit entries matching a filter, for `tz audit tail` and `GET /qrs/audit`. */
export async function tailAuditLog(options: AuditTailOptions): Promise<AuditTailResult> {
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new LoggingError(LoggingErrorCode.InvalidOption, 'limit must be 1…10000');
  const maxScan = options.maxScan ?? 1_000_000;
  const filter = options.filter ?? {};
  const since = filter.since?.getTime();
  const files = await listAuditFiles(options.dir).catch(() => []);
  const found: AuditEntry[] = [];
  let scanned = 0;
  let malformed = 0;
  for (let i = files.length - 1; i >= 0; i--) {
    for await (const line of linesBackward(files[i]?.path ?? '', MAX_LINE_BYTES)) {
      if (scanned >= maxScan) return { entries: found.reverse(), scanned, malformed, incomplete: true };
      scanned += 1;
      const parsed = parseLine(line);
      if (!parsed.ok) {
        malformed += 1;
        continue;
      }
      // Entries are appended in time order, so everything further back is older than `since`.
      if (since !== undefined && Date.parse(parsed.entry.time) < since) return { entries: found.reverse(), scanned, malformed, incomplete: false };
      if (matches(parsed.entry, filter)) found.push(parsed.entry);
      if (found.length >= limit) return { entries: found.reverse(), scanned, malformed, incomplete: false };
    }
  }
  return { entries: found.reverse(), scanned, malformed, incomplete: false };
}
