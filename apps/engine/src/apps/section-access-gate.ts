import { type DataModel, fullView, type View } from '@trustzone/data-model';
import { reduce } from '@trustzone/section-access';
import { QixError, QixErrorCode } from '../qix';
import { ReductionCache } from './reduction-cache';

/** The user opening an app, as section access matches them (section-access.md "Which rows apply"). */
export interface AppUser {
  userDirectory: string;
  userId: string;
  /** Directory groups and session `group` attributes, for GROUP rows. */
  groups: readonly string[];
}

/** The engine's reductions: one per app version and exact identity, shared by that identity's sessions (reduction-cache.ts). */
export const SHARED_REDUCTIONS = new ReductionCache();

/**
 * The second gate of an app open: the user's view of the model under its security table. No
 * security table means the whole app; a denial is QIX error 5 (LOCERR_GENERIC_ACCESS_DENIED) whose
 * reason goes to the audit record only. One function, so the gRPC path and the QIX test server
 * cannot apply section access differently.
 */
export function sectionAccessView(model: DataModel, user: AppUser, reductions: ReductionCache = SHARED_REDUCTIONS): View {
  const securityTable = model.securityTable;
  if (securityTable === null) return fullView(model);
  const who = { directory: user.userDirectory, userId: user.userId, groups: user.groups };
  const r = reductions.get(model, who, () => reduce(model, securityTable, who));
  if (r.kind === 'denied') throw new QixError(QixErrorCode.ACCESS_DENIED, 'Access denied', { reason: `section access: ${r.code}: ${r.reason}` });
  return r.view;
}

/** Who a section-access preview is for: a user with their groups, or a member of one group. */
export type PreviewSubject =
  | { kind: 'user'; userDirectory: string; userId: string; groups: readonly string[] }
  | { kind: 'group'; group: string };

export interface SectionAccessPreview {
  /** false: the app has no section access; everyone the rules let in sees every row. */
  securityTable: boolean;
  decision: 'granted' | 'denied';
  /** When denied: the same code and reason a real session's audit record carries (never a data value). */
  denied?: { code: string; reason: string };
  /** An ADMIN row applies (every row, OMIT still applies). */
  admin: boolean;
  /** Rows of the security table that apply to the subject. */
  matchedRows: number;
  /** Fields the subject's OMIT hides. */
  hiddenFields: string[];
  /** Per table of the data model: its rows and the rows the subject keeps (0 when denied). */
  tables: { name: string; rows: number; keptRows: number }[];
}

// A group preview is a member of that one group whose own USERID no row names: only a USERID cell
// holding a NUL character could name this identity, while `*` and empty USERID cells still apply
// (as they would to any member of the group).
const GROUP_MEMBER_DIRECTORY = '\u0000PREVIEW';
const GROUP_MEMBER_ID = '\u0000GROUP-MEMBER';

/**
 * What a user (or a group's member) would see of an app, computed by `reduce` exactly as
 * `sectionAccessView` does for a real session, summarised as counts and field names: no data value
 * leaves the engine (the console's preview shows sizes, not contents).
 */
export function sectionAccessPreview(model: DataModel, subject: PreviewSubject): SectionAccessPreview {
  const tables = (kept: (t: number) => number) => model.tables.map((t, i) => ({ name: t.name, rows: t.rowCount, keptRows: kept(i) }));
  if (model.securityTable === null) return { securityTable: false, decision: 'granted', admin: false, matchedRows: 0, hiddenFields: [], tables: tables((i) => model.tables[i]!.rowCount) };
  const user = subject.kind === 'user'
    ? { directory: subject.userDirectory, userId: subject.userId, groups: subject.groups }
    : { directory: GROUP_MEMBER_DIRECTORY, userId: GROUP_MEMBER_ID, groups: [subject.group] };
  const r = reduce(model, model.securityTable, user);
  if (r.kind === 'denied') return { securityTable: true, decision: 'denied', denied: { code: r.code, reason: r.reason }, admin: false, matchedRows: 0, hiddenFields: [], tables: tables(() => 0) };
  return { securityTable: true, decision: 'granted', admin: r.admin, matchedRows: r.matchedRows, hiddenFields: [...r.omitted].sort(), tables: tables((i) => r.view.rowCount(i)) };
}
