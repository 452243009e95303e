import { buildDataModel, fullView } from '@trustzone/data-model';
import { describe, expect, it } from 'vitest';
import { QixError, QixErrorCode } from './qix.error';
import { createQixSession } from './qix-session';
import type { OpenedApp, QixAuditEvent, QixSessionDeps } from './qix-session.types';
import { salesLoadResult } from './testing/sales-fixture';

/** The session driven directly (no socket): open-time failures, bounds on waiting, closing. */
const model = buildDataModel(salesLoadResult());
const app: OpenedApp = { appId: 'sales', title: 'Sales', model, view: fullView(model) };
const user = { userDirectory: 'CORP', userId: 'ALICE' };

function deps(overrides: Partial<QixSessionDeps> = {}): QixSessionDeps & { audits: QixAuditEvent[]; internal: unknown[] } {
  const audits: QixAuditEvent[] = [];
  const internal: unknown[] = [];
  return { user, openApp: async () => app, listDocs: async () => [], audit: (e) => void audits.push(e), onInternalError: (e) => void internal.push(e), audits, internal, ...overrides };
}

const req = (id: number | string, method: string, handle = -1, params: unknown = []) => JSON.stringify({ jsonrpc: '2.0', id, method, handle, params });
const parse = (frames: string[]) => frames.map((f) => JSON.parse(f) as { id?: unknown; result?: Record<string, unknown>; error?: { code: number; message: string; parameter: string }; method?: string; params?: Record<string, unknown> });

describe('createQixSession', () => {
  it('starts with OnConnected and echoes string ids', async () => {
    const s = createQixSession(deps());
    expect(parse(s.start())).toEqual([{ jsonrpc: '2.0', method: 'OnConnected', params: { qSessionState: 'SESSION_CREATED' } }]);
    expect(parse(await s.handle(req('abc', 'QTProduct')))).toEqual([{ jsonrpc: '2.0', id: 'abc', result: { qReturn: 'Qlik Sense' } }]);
  });

  it('an openApp failure that is not a QixError is an internal error: no detail reaches the client', async () => {
    const d = deps({ openApp: async () => Promise.reject(new Error('EACCES /var/lib/trustzone/apps/secret.qvf')) });
    const s = createQixSession(d);
    const frames = await s.handle(req(1, 'OpenDoc', -1, ['sales']));
    expect(parse(frames)[0]!.error).toEqual({ code: -128, message: 'Internal error', parameter: 'Internal error' });
    expect(frames.join('')).not.toMatch(/secret|EACCES|var\/lib/);
    expect(d.internal).toHaveLength(1);
    expect(d.audits).toMatchObject([{ outcome: 'failed', code: -128 }]);
  });

  it('a denial keeps its reason for the audit and sends a fixed message', async () => {
    const d = deps({ openApp: async () => Promise.reject(new QixError(QixErrorCode.ACCESS_DENIED, 'rule "Stream X" denied you', { reason: 'rule Stream X' })) });
    const frames = await createQixSession(d).handle(req(1, 'OpenDoc', -1, ['sales']));
    expect(parse(frames)[0]!.error).toMatchObject({ code: 5, message: 'Access denied' });
    expect(frames.join('')).not.toContain('Stream X');
    expect(d.audits).toEqual([{ action: 'OpenDoc', outcome: 'denied', appId: 'sales', user, code: 5, reason: 'rule Stream X' }]);
  });

  it('a failing audit sink does not change the answer', async () => {
    const d = deps({ audit: () => Promise.reject(new Error('audit down')) });
    const frames = parse(await createQixSession(d).handle(req(1, 'OpenDoc', -1, ['sales'])));
    expect(frames[0]!.result!['qReturn']).toMatchObject({ qType: 'Doc' });
    expect(d.internal).toHaveLength(1);
  });

  it('an openApp that never answers times out with 15 and is audited as failed', async () => {
    const d = deps({ openApp: () => new Promise<OpenedApp>(() => undefined), limits: { openAppTimeoutMs: 30 } });
    const s = createQixSession(d);
    expect(parse(await s.handle(req(1, 'OpenDoc', -1, ['sales'])))[0]!.error?.code).toBe(15);
    expect(d.audits).toMatchObject([{ outcome: 'failed', code: 15 }]);
    expect(parse(await s.handle(req(2, 'GetActiveDoc')))[0]!.error?.code).toBe(1007);
  });

  it('frames queue in order behind a slow OpenDoc, and the queue is bounded', async () => {
    let release: (a: OpenedApp) => void = () => undefined;
    const s = createQixSession(deps({ openApp: () => new Promise<OpenedApp>((r) => (release = r)), limits: { maxPendingRequests: 3 } }));
    const answers = [s.handle(req(1, 'OpenDoc', -1, ['sales'])), s.handle(req(2, 'GetActiveDoc')), s.handle(req(3, 'QTProduct')), s.handle(req(4, 'QTProduct'))];
    expect(parse(await answers[3]!)[0]!.error?.code).toBe(15);
    release(app);
    const [open, active, product] = (await Promise.all(answers.slice(0, 3))).map((f) => parse(f)[0]!);
    const handle = (open!.result!['qReturn'] as { qHandle: number }).qHandle;
    expect((active!.result!['qReturn'] as { qHandle: number }).qHandle).toBe(handle);
    expect(product!.result).toEqual({ qReturn: 'Qlik Sense' });
  });

  it('a concurrent second OpenDoc is refused while the first is opening', async () => {
    let calls = 0;
    const s = createQixSession(deps({ openApp: async () => (calls++, app) }));
    const [a, b] = await Promise.all([s.handle(req(1, 'OpenDoc', -1, ['sales'])), s.handle(req(2, 'OpenDoc', -1, ['sales']))]);
    expect(parse(a)[0]!.result).toBeDefined();
    expect(parse(b)[0]!.error?.code).toBe(1002);
    expect(calls).toBe(1);
  });

  it('notifyClosing sends a fatal notification and the session answers nothing afterwards', async () => {
    const s = createQixSession(deps());
    await s.handle(req(1, 'OpenDoc', -1, ['sales']));
    const note = JSON.parse(s.notifyClosing('OnSessionTimedOut', 'Session timed out'));
    expect(note).toEqual({ jsonrpc: '2.0', method: 'OnSessionTimedOut', params: { severity: 'fatal', timestamp: expect.any(String), message: 'Session timed out' } });
    expect(Number.isNaN(Date.parse(note.params.timestamp))).toBe(false);
    expect(await s.handle(req(2, 'QTProduct'))).toEqual([]);
  });

  it('a session closed while OpenDoc waits never installs the doc', async () => {
    let release: (a: OpenedApp) => void = () => undefined;
    const s = createQixSession(deps({ openApp: () => new Promise<OpenedApp>((r) => (release = r)) }));
    const pending = s.handle(req(1, 'OpenDoc', -1, ['sales']));
    s.close();
    release(app);
    expect(await pending).toEqual([]);
    expect(await s.handle(req(2, 'GetActiveDoc'))).toEqual([]);
  });

  it('refuses limits that are not positive integers', () => {
    expect(() => createQixSession(deps({ limits: { maxHandles: 0 } }))).toThrow(RangeError);
    expect(() => createQixSession(deps({ limits: { maxFrameBytes: 1.5 } }))).toThrow(RangeError);
  });
});
