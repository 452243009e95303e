import { QixHandoverWire, type AssertedUser, type CallContext, type QixFrame, type QixFrame__Output, type RepositoryDefinition, type TrustZoneClient } from '@trustzone/contracts';
import type { Logger } from '@trustzone/logging';
import type { AppLibrary } from '../apps/app-library';
import { openAppFor } from '../apps/app-opener';
import type { QixStreamWatch } from './qix-stream-watch';
import { handoverPoint, isResumeCall, QixHandovers } from './qix-handover';
import { repositoryAppSource } from './repository-app-source';
import type { AppTitles } from './app-titles';
import { qixScriptPort } from './qix-script-port';
import { qixVariablePort } from './qix-variable-port';
import { defaultObjectAccess, qixObjectPort, repositoryAppFacts } from './qix-object-port';
import type { ReloadService } from '../reload-service/reload-service';
import type { AppScriptService } from '../scripts/app-script-service';
import { createQixSession, QixError, QixErrorCode, type AppFacts, type AppObjectWatchers, type ObjectAccess, type ClosingNotification, type DocListEntry, type OpenedApp, type QixAuditEvent, type SharedSelections } from '../qix';

/** The engine side of one client websocket: frames in, frames out (the proxy relays them unchanged). */
export type QixStreamHandler = (call: QixCall, ctx: CallContext) => void;

export interface QixCall {
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
  /** App titles shared by this engine's opens (read once per app and TTL, after Authorize allowed the user). */
  appTitles?: AppTitles;
  /** Re-checks every open stream's proxy certificate and the user's access while it lives. */
  watch: QixStreamWatch;
  /** Selections shared by the sockets of one Qlik identity (`/app/<id>/identity/<name>`). */
  identities: SharedSelections;
  /** Script and reload over QIX (GetScript, SetScript, DoReload, DoReloadEx). */
  scripts?: { service: AppScriptService; reloads: ReloadService };
  /**
   * Who may do what with the app's persisted objects, for one session's user (hub context), given
   * the app's facts from the repository. create-engine picks the implementation; absent, the
   * engine's local one (Qlik's default semantics).
   */
  objectAccess?: (user: AssertedUser, facts: (appId: string) => Promise<AppFacts>) => ObjectAccess;
  /** Sessions of this engine by app: one session's object change is pushed to the others as `change`. */
  objectWatchers?: AppObjectWatchers;
  /** Rows for objects the app file held before App.Object rows existed (existing-object-rows.ts). */
  existingRows?: (appId: string) => Promise<void>;
  /** Open sessions a proxy may move to a new stream (its certificate rotated); one per engine. */
  handovers?: QixHandovers;
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
  const handovers = d.handovers ?? new QixHandovers();
  return (first, ctx) => {
    // A proxy moving one of its sessions to a stream opened under its new certificate: this stream
    // joins that session (or is refused) and starts none of its own.
    if (isResumeCall(first.metadata)) return handovers.resume(first, ctx, d.logger);
    const user = ctx.user!;
    const hub: AssertedUser = { ...user, context: 'hub' };
    // '' when the socket URL names no app (/app/, /app/engineData): OpenDoc may then open any app
    // the user may read, the repository deciding as for every other OpenDoc.
    const urlApp = String(first.metadata.get('x-tz-app-id')[0] ?? '');
    const identity = urlApp === '' ? null : identityOf(first.metadata);
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

    const facts = repositoryAppFacts(d, hub);
    // The data connections this user may read: the repository lists them under its rules.
    const connections = {
      list: async () => {
        const res = await d.repository.unary('ListEntities', { type: 'dataconnection', filter: '', orderby: 'name asc', full: true, countOnly: false, privileges: false }, opts);
        return (JSON.parse(res.json) as { id: string; name: string; type?: string; connectionString?: string; modifiedDate?: string }[]).map((c) => ({ id: c.id, name: c.name, type: c.type ?? 'folder', connectionString: c.connectionString ?? '', modifiedDate: c.modifiedDate ?? '' }));
      },
    };
    const session = createQixSession({
      user: { userDirectory: user.userDirectory, userId: user.userId },
      openApp,
      listDocs,
      audit,
      ...(selectionCell ? { selectionCell } : {}),
      onInternalError: (e, where) => d.logger.error('qix internal error', { where, error: e instanceof Error ? e.message : String(e) }),
      objects: qixObjectPort(d.library, facts, d.existingRows),
      connections,
      ...(d.objectWatchers ? { objectWatch: (appId: string) => {
        const watchers = d.objectWatchers!;
        // Another session changed the app's objects: mark this socket's object handles stale, in order with its answers.
        const notify = () => {
          chain = chain.then(() => {
            const frame = closed ? null : session.objectsNotice();
            if (frame !== null) send([frame]);
          });
        };
        const release = watchers.watch(appId, notify);
        return { changed: () => watchers.changed(appId, notify), release };
      } } : {}),
      objectAccess: (d.objectAccess ?? ((_user, f) => defaultObjectAccess(f)))(hub, facts),
      ...(d.scripts ? { scripts: qixScriptPort(d.scripts.service, d.scripts.reloads, hub), variables: qixVariablePort(d.library, d.scripts.service, hub) } : {}),
    });

    let chain = Promise.resolve();
    let closed = false;
    /** The stream this session answers on: the first one, or the one a proxy handed it over to. */
    let call: QixCall = first;
    let caller: CallContext = ctx;
    const send = (frames: string[]) => {
      for (const text of frames) if (!closed) call.write({ text, closeReason: '' });
    };
    let unwatch: () => void = () => undefined;
    let unlist: () => void = () => undefined;
    const finish = () => {
      if (closed) return;
      closed = true;
      unwatch();
      unlist();
      session.close();
      call.end();
    };
    const handover = handoverPoint({
      callerName: ctx.callerName, user, appId: urlApp,
      // Queued behind every frame already read from the old stream, so every answer it owes is
      // written to it before it ends; the new stream gets the acknowledgement, then everything after.
      switchTo: (next, nextCtx) => {
        chain = chain.then(() => {
          if (closed) return next.end();
          const old = call;
          call = next;
          caller = nextCtx;
          listen(next);
          old.end();
          next.write({ text: '', closeReason: QixHandoverWire.resumed });
        });
      },
    });
    unwatch = d.watch.add({
      // The certificate of the stream the session answers on now: after a handover, the new one.
      callerValid: () => caller.recheckCaller(),
      // The app the socket is for: the URL's, or (no app in the URL) the one OpenDoc opened, if any.
      get accessKey() {
        return JSON.stringify([opened, hub]);
      },
      userMayRead: async () => opened === '' || (await d.repository.unary('Authorize', { resourceType: 'App', resourceId: opened, action: 'read' }, opts)).allowed,
      close: (reason, cause) => {
        if (closed) return;
        // Immediately, not behind a pending request: the session stops answering at once. The
        // notification tells the client what to do: the proxy's certificate ending (a rotation's
        // retirement, or a revocation) says nothing against the user, whose proxy session is intact,
        // so it is the proxy→engine link failing (reconnect), not a logout (log in again).
        send([cause === 'caller'
          ? session.notifyClosing('OnEngineWebsocketFailed', "The proxy's connection to the engine ended (its certificate is no longer valid); reconnect")
          : session.notifyClosing('OnSessionLoggedOut', 'Access to the app was revoked')]);
        finish();
        // A caller close is logged once per re-check round by the watch (a rotation closes every
        // stream); an access revocation concerns this user and app, so it is logged here.
        if (cause === 'access') d.logger.warn('qix stream closed: access revoked', { appId: opened, reason });
        d.repository.unary('RecordAudit', {
          action: 'app.session.revoked', outcome: 'denied', user: `${user.userDirectory}\\${user.userId}`, targetType: 'App', targetId: opened, reason, detailsJson: '',
        }, { deadlineMs: d.deadlineMs }).catch((e: unknown) => d.logger.warn('audit of a revoked qix stream failed', { error: e instanceof Error ? e.message : String(e) }));
      },
    });
    unlist = handovers.list(first.metadata, handover);
    send(session.start());
    const listen = (c: QixCall) => {
      c.on('data', (frame) => {
        // Frames are answered in order; enigma.js matches responses by id anyway.
        chain = chain.then(async () => {
          if (closed) return;
          if (frame.closeReason === QixHandoverWire.handover) return handover.markerSeen(c === call);
          handover.frameSeen();
          if (frame.closeReason) {
            const kind = (CLOSING.has(frame.closeReason) ? frame.closeReason : 'OnSessionLoggedOut') as ClosingNotification;
            send([session.notifyClosing(kind, kind === 'OnSessionTimedOut' ? 'The session timed out' : 'The session ended')]);
            finish();
            return;
          }
          send(await session.handle(frame.text));
        });
      });
      // Only the stream the session answers on ends it: the old one ends as part of a handover.
      const ended = () => {
        if (c === call) finish();
      };
      c.on('end', ended);
      c.on('cancelled', ended);
      c.on('error', ended);
    };
    listen(first);
  };
}
