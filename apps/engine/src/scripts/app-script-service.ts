import { AppStoreError, AppStoreErrorCode, assertScriptSize, isUntrustworthyFile } from '@trustzone/app-store';
import { ErrorCode, ServiceError, type AssertedUser, type RepositoryDefinition, type TrustZoneClient } from '@trustzone/contracts';
import type { Logger } from '@trustzone/logging';
import type { AppLibrary } from '../apps/app-library';
import { seesWholeApp } from './script-access';

export type ScriptVia = 'qrs' | 'qix';

export interface AppScriptServiceDeps {
  library: AppLibrary;
  repository: TrustZoneClient<RepositoryDefinition>;
  logger: Logger;
  deadlineMs: number;
}

/** Session attributes named "group" are the user's groups for GROUP rows of section access. */
export function groupsOf(user: AssertedUser): string[] {
  return Object.entries(user.attributes).filter(([k]) => k.toLowerCase() === 'group').flatMap(([, v]) => v);
}

/** The same refusal for "no rule allows it" and "section access reduces you": neither says more. */
const refused = () => new ServiceError(ErrorCode.PermissionDenied, 'the load script of this app is not available to this user');

/**
 * The load script of an app, which lives in the app file (encrypted with it). Two gates, in order:
 * the repository's rules (Update on the app; asked over mTLS, audited there), then section access
 * (a user the app's security table reduces is refused: the script holds that table and the inline
 * rows). One service for `/qrs/app/{id}/script` and for QIX GetScript/SetScript/DoReload, so they
 * cannot decide differently.
 */
export class AppScriptService {
  constructor(private readonly d: AppScriptServiceDeps) {}

  /** Both gates for `user`; throws PermissionDenied (audited) or the repository's refusal. */
  async authorize(appId: string, user: AssertedUser, via: ScriptVia, write: boolean, scriptBytes = 0): Promise<void> {
    await this.d.repository.unary('AuthorizeAppScript', { appId, write, scriptBytes, via }, { deadlineMs: this.d.deadlineMs, user });
    await this.requireWholeApp(appId, user, write ? 'app.script.write' : 'app.script.read', via, write);
  }

  /**
   * Changing the app's persisted variables: the same two gates as a script write (the repository's
   * Update on the app, via AuthorizeAppScript with no script bytes; then section access leaves the
   * user the whole app). A reduced user's variable would be evaluated by every other user, and its
   * name could shadow one the owner's expressions rely on.
   */
  async authorizeVariableWrite(appId: string, user: AssertedUser): Promise<void> {
    await this.d.repository.unary('AuthorizeAppScript', { appId, write: true, scriptBytes: 0, via: 'qix' }, { deadlineMs: this.d.deadlineMs, user });
    await this.requireWholeApp(appId, user, 'app.variable.write', 'qix');
  }

  /** Audits a stored variable change (the file changed; nothing else records it). */
  async recordVariableWrite(appId: string, user: AssertedUser, details: Record<string, unknown>): Promise<void> {
    await this.d.repository
      .unary('RecordAudit', { action: 'app.variable.write', outcome: 'success', user: '', targetType: 'App', targetId: appId, reason: '', detailsJson: JSON.stringify({ via: 'qix', ...details }) }, { deadlineMs: this.d.deadlineMs, user })
      .catch((e: unknown) => this.d.logger.warn('could not audit a variable change', { appId, error: e instanceof Error ? e.message : String(e) }));
  }

  /** The section-access gate alone (a reload is rule-checked by the repository's PrepareReload). */
  async requireWholeApp(appId: string, user: AssertedUser, action: string, via: ScriptVia, replacing = false): Promise<void> {
    const model = await this.d.library.open(appId).catch((e: unknown) => {
      if (e instanceof AppStoreError && e.code === AppStoreErrorCode.NotFound) return null; // no file: no security table
      // A changed or forged file protects nothing anyone can open; a new script replaces it whole
      // (the rules allowed the write). Reading from it stays refused: its bytes are not the app's.
      if (replacing && isUntrustworthyFile(e)) {
        this.d.logger.warn('a new script replaces an app file that failed its checks', { appId, error: e instanceof Error ? e.message : String(e) });
        return null;
      }
      throw e;
    });
    if (model !== null && !seesWholeApp(model, { userDirectory: user.userDirectory, userId: user.userId, groups: groupsOf(user) })) {
      await this.d.repository
        .unary('RecordAudit', { action, outcome: 'denied', user: '', targetType: 'App', targetId: appId, reason: 'section access reduces this user', detailsJson: JSON.stringify({ via }) }, { deadlineMs: this.d.deadlineMs, user })
        .catch((e: unknown) => this.d.logger.warn('could not audit a refused script access', { appId, error: e instanceof Error ? e.message : String(e) }));
      throw refused();
    }
  }

  async read(appId: string, user: AssertedUser, via: ScriptVia): Promise<string> {
    await this.authorize(appId, user, via, false);
    return this.d.library.script(appId);
  }

  /** Stores the script in the app file; answers the app's QRS JSON (modifiedDate moved, audited). */
  async write(appId: string, user: AssertedUser, script: string, via: ScriptVia): Promise<string> {
    const bytes = Buffer.byteLength(script, 'utf8');
    try {
      assertScriptSize(script);
    } catch (e) {
      throw new ServiceError(ErrorCode.PayloadTooLarge, e instanceof Error ? e.message : 'script too large', { field: 'script' });
    }
    await this.authorize(appId, user, via, true, bytes);
    await this.d.library.setScript(appId, script);
    return (await this.d.repository.unary('RecordAppScript', { appId, write: true, scriptBytes: bytes, via }, { deadlineMs: this.d.deadlineMs, user })).json;
  }
}
