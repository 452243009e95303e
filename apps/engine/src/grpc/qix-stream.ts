import type { AssertedUser, CallContext, QixFrame, QixFrame__Output, RepositoryDefinition, TrustZoneClient } from '@trustzone/contracts';
import type { Logger } from '@trustzone/logging';
import type { AppLibrary } from '../apps/app-library';
import { openAppFor } from '../apps/app-opener';
import type { QixStreamWatch } from './qix-stream-watch';
import { repositoryAppSource } from './repository-app-source';
import { qixScriptPort } from './qix-script-port';
import { qixVariablePort } from './qix-variable-port';
import type { ReloadService } from '../reload-service/reload-service';
import type { AppScriptService } from '../scripts/app-script-service';
import { createQixSession, QixError, QixErrorCode, type ClosingNotification, type DocListEntry, type OpenedApp, type QixAuditEvent, type SharedSelections } from '../qix';

/** The engine side of one client websocket: frames in, frames out (the proxy relays them unchanged). */
export type QixStreamHandler = (call: QixCall, ctx: CallContext) => void;

interface QixCall {
  metadata: CallContext['metadata'];
  write(frame: QixFrame): boolean;
  end(): void;
  on(event: 'data', listener: (frame: QixFrame__Output) => void): unknown;
  on(event: 'end' | 'cancelled' | 'error', listener: () => void): unknown;
}

export interface QixStreamDeps {
  library: AppLibrary;
  repository: TrustZoneClient<RepositoryDefinition>;
  logger: Logger;
  deadlineMs: number;
  /** Re-checks every open stream's proxy certificate and the user's access while it lives. */
  watch: QixStreamWatch;
  /** Selections shared by the sockets of one Qlik identity (`/app/<id>/identity/<name>`). */
  identities: SharedSelections;
  /** Script and reload over QIX (GetScript, SetScript, DoReload, DoReloadEx). */
  scripts?: { service: AppScriptService; reloads: ReloadService };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CLOSING = new Set<string>(['OnSessionTimedOut', 'OnSessionLoggedOut', 'OnEngineWebsocketFailed']);
const IDENTITY = /^[A-Za-z0-9_.~-]{1,64}$/;
const MAX_IDENTITY_TTL_SECONDS = 3600;

/** The identity the proxy read from the socket URL (it validated the form; checked again here). */
function identityOf(metadata: QixCall['metadata']): { name: string; ttlSeconds: number } | null {
  const name = String(metadata.get('x-tz-qix-identity')[0] ?? '');
  if (!IDENTITY.test(name)) return null;
  const ttl = Number(metadata.get('x-tz-qix-identity-ttl')[0] ?? '0');
  return { name, ttlSeconds: Number.isInteger(ttl) && ttl >= 0 ? Math.min(ttl, MAX_IDENTITY_TTL_SECONDS) : 0 };
}

export function qixStreamHandler(d: QixStreamDeps): QixStreamHandler {
  return (call, ctx) => {
    const user = ctx.user!;
    const hub: AssertedUser = { ...user, context: 'hub' };
    // '' when the socket URL names no app (/app/, /app/engineData): OpenDoc may then open any app
    // the user may read, the repository deciding as for every other OpenDoc.
    const urlApp = String(call.metadata.get('x-tz-app-id')[0] ?? '');
    const identity = urlApp === '' ? null : identityOf(call.metadata);
    const opts = { deadlineMs: d.deadlineMs, user: hub };
    let opened = urlApp;

    const source = repositoryAppSource(d, hub);
    /** The groups the repository answered with the open (section access reduced by them). */
    let groups: readonly string[] = [];
    const openApp = async (appId: string): Promise<OpenedApp> => {
      if ((urlApp !== '' && appId !== urlApp) || !GUID.test(appId)) throw new QixError(QixErrorCode.APP_NOT_FOUND, 'App not found', { reason: 'OpenDoc of an app other than the socket URL names' });
      // Groups for GROUP rows come with the repository's authorization (the user's stored Group
      // attributes, login ones included), not from the session: one definition for rules and SA.
      const app = await openAppFor(source, appId, { userDirectory: user.userDirectory, userId: user.userId });
      groups = app.groups;
      opened = appId;
      return app;
    };
    // Everything section access reduces by is in the key: another user, or other groups, never
    // share a cell (and so never see or steer each other's selections).
    // A peer's selection marks this socket's objects stale: pushed in order with this socket's answers.
    const peerChanged = () => {
      chain = chain.then(() => {
        const frame = closed ? null : session.staleNotice();
        if (frame !== null) send([frame]);
      });
    };
    const selectionCell = identity
      ? (app: OpenedApp) => d.identities.acquire(JSON.stringify([user.userDirectory.toLowerCase(), user.userId.toLowerCase(), [...groups].map((g) => g.toLowerCase()).sort(), app.appId, identity.name]), identity.ttlSeconds, peerChanged)
      : undefined;

    const listDocs = async (): Promise<DocListEntry[]> => {
      const res = await d.repository.unary('ListEntities', { type: 'app', filter: '', orderby: 'name asc', full: false, countOnly: false, privileges: false }, opts);
      return (JSON.parse(res.json) as { id: string; name: string }[]).map((a) => ({ qDocId: a.id, qDocName: a.id, qTitle: a.name }));
    };

    const audit = async (e: QixAuditEvent): Promise<void> => {
      const outcome = e.outcome === 'granted' ? 'success' : e.outcome === 'denied' ? 'denied' : 'failure';
      await d.repository.unary('RecordAudit', {
        action: 'app.open', outcome, user: `${e.user.userDirectory}\\${e.user.userId}`, targetType: 'App', targetId: e.appId,
        reason: e.reason ?? '', detailsJson: JSON.stringify({ code: e.code ?? null }),
      }, { deadlineMs: d.deadlineMs });
    };

    const session = createQixSession({
      user: { userDirectory: user.userDirectory, userId: user.userId },
      openApp,
      listDocs,
      audit,
      ...(selectionCell ? { selectionCell } : {}),
      onInternalError: (e, where) => d.logger.error('qix internal error', { where, error: e instanceof Error ? e.message : String(e) }),
      ...(d.scripts ? { scripts: qixScriptPort(d.scripts.service, d.scripts.reloads, hub), variables: qixVariablePort(d.library, d.scripts.service, hub) } : {}),
    });

    let chain = Promise.resolve();
    let closed = false;
    const send = (frames: string[]) => {
      for (const text of frames) if (!closed) call.write({ text, closeReason: '' });
    };
    let unwatch: () => void = () => undefined;
    const finish = () => {
      if (closed) return;
      closed = true;
      unwatch();
      session.close();
      call.end();
    };
    unwatch = d.watch.add({
      callerValid: () => ctx.recheckCaller(),
      // The app the socket is for: the URL's, or (no app in the URL) the one OpenDoc opened, if any.
      get accessKey() {
        return JSON.stringify([opened, hub]);
      },
      userMayRead: async () => opened === '' || (await d.repository.unary('Authorize', { resourceType: 'App', resourceId: opened, action: 'read' }, opts)).allowed,
      close: (reason) => {
        if (closed) return;
        // Immediately, not behind a pending request: the session stops answering at once.
        send([session.notifyClosing('OnSessionLoggedOut', 'Access to the app was revoked')]);
        finish();
        d.logger.warn('qix stream closed: access revoked', { appId: opened, reason });
        d.repository.unary('RecordAudit', {
          action: 'app.session.revoked', outcome: 'denied', user: `${user.userDirectory}\\${user.userId}`, targetType: 'App', targetId: opened, reason, detailsJson: '',
        }, { deadlineMs: d.deadlineMs }).catch((e: unknown) => d.logger.warn('audit of a revoked qix stream failed', { error: e instanceof Error ? e.message : String(e) }));
      },
    });
    send(session.start());
    call.on('data', (frame) => {
      // Frames are answered in order; enigma.js matches responses by id anyway.
      chain = chain.then(async () => {
        if (closed) return;
        if (frame.closeReason) {
          const kind = (CLOSING.has(frame.closeReason) ? frame.closeReason : 'OnSessionLoggedOut') as ClosingNotification;
          send([session.notifyClosing(kind, kind === 'OnSessionTimedOut' ? 'The session timed out' : 'The session ended')]);
          finish();
          return;
        }
        send(await session.handle(frame.text));
      });
    });
    call.on('end', finish);
    call.on('cancelled', finish);
    call.on('error', finish);
  };
}
