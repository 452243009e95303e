import type { DataModel } from '@trustzone/data-model';
import { QixError, QixErrorCode, type OpenedApp } from '../qix';
import { type AppUser, sectionAccessView } from './section-access-gate';

/** Where an app comes from: the repository's decision and the app file (or, in tests, memory). */
export interface AppSource {
  /**
   * The repository rules' answer for Read on the app, with its title and the user's groups when
   * allowed: the repository owns the one definition of a user's groups (attributes of type Group),
   * so GROUP rows of section access match exactly the groups `user.group` rules see.
   */
  authorize(appId: string): Promise<{ allowed: true; title: string; groups: readonly string[] } | { allowed: false; reason: string }>;
  /** The decoded model; throws a QixError when the file is missing or refused. */
  load(appId: string): Promise<DataModel>;
}

/**
 * Opening an app for one user, in the order that keeps data behind both gates: the repository's
 * rules first (before any byte of the file is read), then the file, then section access.
 */
export async function openAppFor(source: AppSource, appId: string, user: Omit<AppUser, 'groups'>): Promise<OpenedApp & { groups: readonly string[] }> {
  const auth = await source.authorize(appId);
  if (!auth.allowed) throw new QixError(QixErrorCode.ACCESS_DENIED, 'Access denied', { reason: `repository rules: ${auth.reason}` });
  const model = await source.load(appId);
  return { appId, title: auth.title, model, view: sectionAccessView(model, { userDirectory: user.userDirectory, userId: user.userId, groups: auth.groups }), groups: auth.groups };
}
