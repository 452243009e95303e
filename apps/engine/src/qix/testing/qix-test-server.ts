import { buildDataModel, type DataModel, type LoadResult } from '@trustzone/data-model';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { type AppSource, openAppFor } from '../../apps/app-opener';
import { QixError, QixErrorCode } from '../qix.error';
import { createQixSession } from '../qix-session';
import type { ObjectPort, QixAuditEvent, QixSessionDeps, QixUser, VariablePort } from '../qix-session.types';
import { localObjectAccess } from '../objects/object-access';
import { AppObjectWatchers } from '../objects/object-watchers';

/** Facts about an app as the test decides them (the real ones come from the repository). */
export interface TestAppFacts {
  published: boolean;
  ownerId: string;
  /** `DIR\id` of users the "repository" lets update the app (case-insensitive). */
  updaters: readonly string[];
}

function memoryObjects(store: Map<string, Record<string, unknown>[]>, facts: (appId: string) => TestAppFacts): ObjectPort {
  return {
    list: async (appId) => {
      if (!store.has(appId)) store.set(appId, []);
      return store.get(appId)!;
    },
    update: async (appId, change) => {
      // Serialised like the app file's lock, and through JSON like the file.
      const next = JSON.parse(JSON.stringify(change(structuredClone(store.get(appId) ?? [])))) as Record<string, unknown>[];
      store.set(appId, next);
      return next;
    },
    appPublished: async (appId) => facts(appId).published,
  };
}

function memoryVariables(store: Map<string, Record<string, unknown>[]>): VariablePort {
  return {
    list: async (appId) => {
      if (!store.has(appId)) store.set(appId, []);
      return store.get(appId)!;
    },
    update: async (appId, change) => {
      const next = change(structuredClone(store.get(appId) ?? []));
      store.set(appId, next);
      return next;
    },
  };
}

/** Header carrying `DIR\user` to the test server (stands in for the proxy's authenticated user). */
export const TEST_USER_HEADER = 'x-test-user';
/** Optional header with the user's groups, comma-separated (the proxy's session `group` attributes). */
export const TEST_GROUPS_HEADER = 'x-test-groups';

export interface TestApp {
  appId: string;
  title: string;
  load: LoadResult;
}

export interface QixTestServer {
  url(appId: string): string;
  /** Every frame the server sent, per connection, in order (for leak scans). */
  readonly sent: string[][];
  readonly audits: QixAuditEvent[];
  readonly internalErrors: unknown[];
  close(): Promise<void>;
}

/**
 * Test-only host: a plain websocket server where each connection gets its own QIX session whose
 * `openApp` is the engine's own app-open code (apps/app-opener.ts) over apps held in memory: every
 * app is readable, and section access applies exactly as on the real path.
 */
export async function startQixTestServer(
  apps: readonly TestApp[],
  /**
   * `variables`: persisted variables per app, held in memory and writable by every test user (the
   * real port's rule and section-access gates are tested on the real path, apps/security-tests).
   */
  options: {
    limits?: QixSessionDeps['limits'];
    variables?: Map<string, Record<string, unknown>[]>;
    /** Persisted objects per app, in memory, under the engine's local ObjectAccess with these facts. */
    objects?: { store: Map<string, Record<string, unknown>[]>; facts: (appId: string) => TestAppFacts };
  } = {},
): Promise<QixTestServer> {
  const models = new Map<string, { app: TestApp; model: DataModel }>(apps.map((a) => [a.appId, { app: a, model: buildDataModel(a.load) }]));
  const sent: string[][] = [];
  const audits: QixAuditEvent[] = [];
  const internalErrors: unknown[] = [];
  const watchers = new AppObjectWatchers();
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 4 * 1024 * 1024 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));

  const source: AppSource = {
    authorize: async (appId) => {
      const entry = models.get(appId);
      if (entry === undefined) throw new QixError(QixErrorCode.APP_NOT_FOUND, 'App not found', { reason: `no app ${appId}` });
      return { allowed: true, title: entry.app.title, groups: [] };
    },
    load: async (appId) => models.get(appId)!.model,
  };

  // The repository answers a user's groups with its authorization; here the test header stands in.
  const withGroups = (s: AppSource, groups: string[]): AppSource => ({
    ...s,
    authorize: async (appId) => {
      const a = await s.authorize(appId);
      return a.allowed ? { ...a, groups } : a;
    },
  });

  wss.on('connection', (ws: WebSocket, req) => {
    const header = req.headers[TEST_USER_HEADER];
    const [dir, id] = (typeof header === 'string' ? header : '').split('\\');
    const user: QixUser = { userDirectory: dir ?? '', userId: id ?? '' };
    const groupsHeader = req.headers[TEST_GROUPS_HEADER];
    const groups = (typeof groupsHeader === 'string' ? groupsHeader : '').split(',').map((g) => g.trim()).filter((g) => g !== '');
    const frames: string[] = [];
    sent.push(frames);
    const send = (f: string) => {
      frames.push(f);
      ws.send(f);
    };
    const session = createQixSession({
      user,
      openApp: (appId) => openAppFor(withGroups(source, groups), appId, user),
      listDocs: async () => apps.map((a) => ({ qDocId: a.appId, qDocName: a.appId, qTitle: a.title })),
      audit: (e) => {
        audits.push(e);
      },
      onInternalError: (e) => internalErrors.push(e),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(options.variables === undefined ? {} : { variables: memoryVariables(options.variables) }),
      ...(options.objects === undefined
        ? {}
        : {
            objects: memoryObjects(options.objects.store, options.objects.facts),
            objectWatch: (appId: string) => {
              const notify = () => {
                const frame = session.objectsNotice();
                if (frame !== null) send(frame);
              };
              const release = watchers.watch(appId, notify);
              return { changed: () => watchers.changed(appId, notify), release };
            },
            objectAccess: localObjectAccess(async (ctx) => {
              const f = options.objects!.facts(ctx.appId);
              return { published: f.published, ownerId: f.ownerId, mayUpdate: async () => f.updaters.some((u) => u.toUpperCase() === ctx.userId.toUpperCase()) };
            }),
          }),
    });
    session.start().forEach(send);
    ws.on('message', (data, isBinary) => {
      // A binary frame is not JSON-RPC text: hand the session something it will refuse as such.
      const text = isBinary ? '\u0000' : rawText(data);
      void session.handle(text).then((out) => out.forEach(send));
    });
    ws.on('close', () => session.close());
  });

  const { port } = wss.address() as AddressInfo;
  return {
    url: (appId) => `ws://127.0.0.1:${port}/app/${encodeURIComponent(appId)}`,
    sent,
    audits,
    internalErrors,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

function rawText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
