import { type DataModel, fullView, type View } from '@trustzone/data-model';
import { reduce } from '@trustzone/section-access';
import { QixError, QixErrorCode } from '../qix';

/** The user opening an app, as section access matches them (section-access.md "Which rows apply"). */
export interface AppUser {
  userDirectory: string;
  userId: string;
  /** Directory groups and session `group` attributes, for GROUP rows. */
  groups: readonly string[];
}

/**
 * The second gate of an app open: the user's view of the model under its security table. No
 * security table means the whole app; a denial is QIX error 5 (LOCERR_GENERIC_ACCESS_DENIED) whose
 * reason goes to the audit record only. One function, so the gRPC path and the QIX test server
 * cannot apply section access differently.
 */
export function sectionAccessView(model: DataModel, user: AppUser): View {
  if (model.securityTable === null) return fullView(model);
  const r = reduce(model, model.securityTable, { directory: user.userDirectory, userId: user.userId, groups: user.groups });
  if (r.kind === 'denied') throw new QixError(QixErrorCode.ACCESS_DENIED, 'Access denied', { reason: `section access: ${r.code}: ${r.reason}` });
  return r.view;
}
