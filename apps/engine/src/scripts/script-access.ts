import type { DataModel } from '@trustzone/data-model';
import { reduce } from '@trustzone/section-access';

/** The user as section access matches them (directory, id, GROUP values). */
export interface ScriptUser {
  userDirectory: string;
  userId: string;
  groups: readonly string[];
}

/**
 * Whether section access leaves this user the whole app: no security table, or an ADMIN row that
 * omits no field. The load script holds the security table itself (often inline) and every inline
 * data row, and a reload rewrites both: a user whose view is reduced must get neither, whatever
 * the repository's rules say (the rules cannot see inside the app).
 */
export function seesWholeApp(model: DataModel, user: ScriptUser): boolean {
  if (model.securityTable === null) return true;
  const r = reduce(model, model.securityTable, { directory: user.userDirectory, userId: user.userId, groups: user.groups });
  return r.kind === 'granted' && r.admin && r.omitted.length === 0;
}
