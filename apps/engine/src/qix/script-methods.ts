import { DocContext } from './doc-context';
import { docOf } from './doc-methods';
import { invalid, type MethodArgs } from './method-args';
import type { CallContext, MethodTable, SessionCore } from './method-table';
import { QixError, QixErrorCode } from './qix.error';
import type { ScriptReloadResult, ScriptPort } from './qix-session.types';

/*
 * Script and reload over QIX (Doc.GetScript/SetScript/DoReload/DoReloadEx, Global.GetProgress).
 * The session only relays: the port (apps/engine/src/grpc/qix-script-port.ts) asks the
 * repository's rules (Update on the app, audited) and refuses a user section access reduces, for
 * every one of these methods; the script itself lives in the app file. Deliberate differences from
 * Qlik: a reload is saved when it succeeds (DoSave is not needed; what a client then sees is the new
 * data reduced anew for its user), and frames of one session are answered in order, so a GetProgress
 * sent during a DoReload on the same socket is answered after it.
 */

/** Persistent progress of the session's reloads, handed out once per GetProgress (as Qlik does). */
interface Progress {
  requestId: number | string | null;
  started: boolean;
  finished: boolean;
  startedAt: number;
  millis: number;
  lines: string[];
  sent: number;
  errors: { qErrorString: string; qLineEnd: string; qLine: string; qErrorDataCode: number; qMessage: { qMessageCode: number; qMessageParameters: string[] } }[];
}

const progressBySession = new WeakMap<SessionCore, Progress>();

function port(core: SessionCore): ScriptPort {
  const p = core.deps.scripts;
  // A session built without the port (the QIX test server) has no script to offer.
  if (p === undefined) throw new QixError(QixErrorCode.ACCESS_DENIED, 'Access denied', { reason: 'no script access in this session' });
  return p;
}

async function reload(ctx: CallContext, requestId: number | string | null): Promise<ScriptReloadResult> {
  const doc = docOf(ctx);
  const core = ctx.core;
  const progress: Progress = { requestId, started: true, finished: false, startedAt: Date.now(), millis: 0, lines: [], sent: 0, errors: [] };
  progressBySession.set(core, progress);
  let result: ScriptReloadResult;
  try {
    result = await port(core).reload(doc.app.appId, (line) => {
      if (progress.lines.length < 10_000) progress.lines.push(line.slice(0, 2000));
    });
  } finally {
    progress.finished = true;
    progress.millis = Date.now() - progress.startedAt;
  }
  if (!result.succeeded && result.error) {
    progress.errors.push({
      qErrorString: result.error.message, qLineEnd: '', qLine: result.error.statement, qErrorDataCode: 0,
      qMessage: { qMessageCode: 0, qMessageParameters: [result.error.message] },
    });
  }
  if (result.succeeded) await reopen(ctx, doc);
  return result;
}

/**
 * The reloaded app, opened again for this user: authorized and reduced anew (the new security
 * table decides). Every handle is invalidated; should the user no longer be allowed in, the doc is
 * closed and later calls answer "App invalid".
 */
async function reopen(ctx: CallContext, doc: DocContext): Promise<void> {
  const core = ctx.core;
  for (const h of core.handles.selectionDependents()) ctx.change.add(h);
  ctx.change.add(doc.handle);
  try {
    const app = await core.deps.openApp(doc.app.appId);
    const next = new DocContext(app, doc.handle);
    // Session objects and field handles survive a reload (as in Qlik); generated qIds go on after theirs.
    let generated = 0;
    for (const [k, v] of doc.objectHandles) {
      next.objectHandles.set(k, v);
      generated = Math.max(generated, Number(/^session-object-(\d+)$/.exec(k)?.[1] ?? 0));
    }
    for (let i = 0; i < generated; i++) next.nextObjectId();
    for (const [k, v] of doc.fieldHandles) next.fieldHandles.set(k, v);
    for (const [k, v] of doc.variableHandles) next.variableHandles.set(k, v);
    next.setStoredVariables(doc.storedVariables);
    if (core.doc === doc) core.doc = next;
  } catch {
    if (core.doc === doc) {
      core.doc = null;
      core.handles.clear();
    }
  }
}

function reloadParams(args: MethodArgs, from: 'positional' | 'object'): void {
  let mode = 0;
  let partial = false;
  let debug = false;
  if (from === 'positional') {
    mode = args.integer(0, 0);
    partial = args.boolean(1, false);
    debug = args.boolean(2, false);
  } else if (args.has(0)) {
    const p = args.object(0);
    mode = p['qMode'] === undefined ? 0 : Number(p['qMode']);
    partial = p['qPartial'] === true;
    debug = p['qDebug'] === true;
    if (p['qSkipStore'] === true) throw invalid('qSkipStore', 'qSkipStore is not supported');
    if (p['qRowLimit'] !== undefined && p['qRowLimit'] !== 0) throw invalid('qRowLimit', 'qRowLimit is not supported');
  }
  // Error mode 0 only: a reload stops at its first error and keeps the previous data (fail closed).
  if (mode !== 0) throw invalid('qMode', 'only qMode 0 (stop at the first error) is supported');
  if (partial) throw invalid('qPartial', 'partial reloads are not supported');
  if (debug) throw invalid('qDebug', 'debug reloads are not supported');
}

export const SCRIPT_DOC_METHODS: MethodTable = {
  GetScript: {
    params: [],
    out: ['qScript'],
    run: (ctx) => port(ctx.core).getScript(docOf(ctx).app.appId),
  },
  SetScript: {
    params: ['qScript'],
    out: 'void',
    run: async (ctx, args) => {
      const script = args.string(0, 4 * 1024 * 1024);
      await port(ctx.core).setScript(docOf(ctx).app.appId, script);
    },
  },
  DoReload: {
    params: ['qMode', 'qPartial', 'qDebug'],
    out: 'qReturn',
    run: async (ctx, args) => {
      reloadParams(args, 'positional');
      return (await reload(ctx, null)).succeeded;
    },
  },
  DoReloadEx: {
    params: ['qParams'],
    out: ['qResult'],
    run: async (ctx, args) => {
      reloadParams(args, 'object');
      const r = await reload(ctx, null);
      return { qSuccess: r.succeeded, qScriptLogFile: '', qEndedWithMemoryConstraint: false };
    },
  },
};

export const SCRIPT_GLOBAL_METHODS: MethodTable = {
  GetProgress: {
    params: ['qRequestId'],
    out: ['qProgressData'],
    run: ({ core }, args) => {
      args.integer(0, 0);
      const p = progressBySession.get(core);
      const fresh = p ? p.lines.slice(p.sent) : [];
      if (p) p.sent = p.lines.length;
      return {
        qStarted: p?.started ?? false,
        qFinished: p?.finished ?? false,
        qCompleted: 0,
        qTotal: 0,
        qKB: 0,
        qMillisecs: p ? (p.finished ? p.millis : Date.now() - p.startedAt) : 0,
        qUserInteractionWanted: false,
        qPersistentProgress: fresh.join('\n'),
        qTransientProgress: '',
        qErrorData: p?.errors ?? [],
        qPersistentProgressMessages: fresh.map((line) => ({ qMessageCode: 0, qMessageParameters: [line] })),
      };
    },
  },
};
