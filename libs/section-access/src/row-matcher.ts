import type { LoadedTable } from '@trustzone/data-model';
import { cellText, type SecurityTableInfo } from './security-table';

/** The user as the proxy authenticated them. */
export interface SectionAccessUser {
  directory: string;
  userId: string;
  groups: readonly string[];
}

export interface NormalizedIdentity {
  /** `DIRECTORY\USERID`, upper-cased as the access section's values are. */
  userId: string;
  groups: ReadonlySet<string>;
}

/** Upper-cased identity, or null when the caller passed no usable identity. */
export function normalizeUser(user: SectionAccessUser): NormalizedIdentity | null {
  if (user === null || typeof user !== 'object') return null;
  const { directory, userId, groups } = user;
  if (typeof directory !== 'string' || typeof userId !== 'string' || directory.trim() === '' || userId.trim() === '') return null;
  const list = Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string' && g.trim() !== '') : [];
  return {
    userId: `${directory.trim()}\\${userId.trim()}`.toUpperCase(),
    groups: new Set(list.map((g) => g.trim().toUpperCase())),
  };
}

/**
 * Rows that apply to the user: every identity column present in the row matches (`*` or empty
 * means any user). ACCESS alone does not identify anyone, so a table without USERID and GROUP
 * columns applies every row to everyone — as the reference defines it.
 */
export function matchingRows(table: LoadedTable, info: SecurityTableInfo, who: NormalizedIdentity): number[] {
  const rows: number[] = [];
  for (let r = 0; r < info.rowCount; r++) {
    if (info.userId !== null && !matches(cellText(table.columns[info.userId]![r]), (v) => v === who.userId)) continue;
    if (info.group !== null && !matches(cellText(table.columns[info.group]![r]), (v) => who.groups.has(v))) continue;
    rows.push(r);
  }
  return rows;
}

function matches(value: string, test: (v: string) => boolean): boolean {
  return value === '' || value === '*' || test(value);
}
