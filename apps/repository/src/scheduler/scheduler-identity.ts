import type { AssertedUser } from '@trustzone/contracts';

/**
 * Who runs scheduled reloads: Qlik's scheduler service account, `INTERNAL\sa_scheduler`. The
 * repository asserts it to the engine together with the run's execution id; PrepareReload then
 * accepts it only for a run the scheduler has actually started (tasks/scheduled-reload-plan.ts), and
 * the script still gets only the data connections the app owner may read. Like every INTERNAL\sa_*
 * account it is a root administrator by the shipped ServiceAccount rule, which only an integration
 * certificate on the proxy API port (or the repository itself) can use; a reload plan asked as the
 * scheduler without a run is refused (app-actions/reload-plan.ts).
 */
export const SCHEDULER_USER: AssertedUser = Object.freeze({
  userDirectory: 'INTERNAL',
  userId: 'sa_scheduler',
  context: 'management',
  attributes: {},
  anonymous: false,
  ip: '',
  secure: true,
}) as AssertedUser;

export const SCHEDULER_USER_NAME = 'INTERNAL\\sa_scheduler';

export function isSchedulerUser(u: Pick<AssertedUser, 'userDirectory' | 'userId'> | null | undefined): boolean {
  return !!u && u.userDirectory.toLowerCase() === 'internal' && u.userId.toLowerCase() === 'sa_scheduler';
}
