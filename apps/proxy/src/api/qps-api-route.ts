import type { ServerResponse } from 'node:http';
import { ErrorCode, ServiceError } from '@trustzone/contracts';
import { parseTicketRequest } from '../auth/ticket-request.schema';
import type { ProxyDeps } from '../client/proxy-deps';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { sendJson } from '../edge/http-send';
import { readJsonBody } from '../edge/json-body.middleware';
import type { Exchange } from '../pipeline/exchange';
import { reportLogin } from '../auth/report-login';
import { isSessionIdShaped } from '../session/session-id';
import { sessionPolicyFor } from '../session/session-store';
import type { Session } from '../session/session.types';

const attributesOut = (a: Record<string, string[]>) => Object.entries(a).flatMap(([k, vs]) => vs.map((v) => ({ [k]: v })));
const sessionOut = (s: Session) => ({ SessionId: s.id, UserDirectory: s.userDirectory, UserId: s.userId, Attributes: attributesOut(s.attributes) });
const NO_STORE = { 'Cache-Control': 'no-store' };

/** `/qps/[prefix/]ticket|session|user…` for an integration (the pipeline picked the virtual proxy). */
export async function qpsApiRoute(x: Exchange<ServerResponse>, deps: ProxyDeps, integration: string): Promise<void> {
  const vp = x.vp;
  if (!vp) throw new Error('the pipeline let /qps through without a virtual proxy');
  const { req, transport: res } = x;
  const [op, a, b] = x.segs;
  const portal = `integration:${integration}`;

  if (op === 'ticket' && x.segs.length === 1 && req.method === 'POST') {
    const t = parseTicketRequest(await readJsonBody(req, res, { maxBytes: deps.maxBodyBytes }));
    // The TargetId the portal got from the authentication-module redirect: where the user was going
    // (single use; unknown, used or expired is refused before a ticket exists).
    const targetUri = t.targetId === undefined ? null : deps.loginTargets.take(vp.prefix, t.targetId);
    if (t.targetId !== undefined && targetUri === null) throw new EdgeError(EdgeErrorCode.InvalidRequest, 'body.TargetId: unknown, already used or expired', { field: 'body.TargetId' });
    const ticket = await deps.tickets.issue({ ...t, prefix: vp.prefix });
    await deps.audit.record({ action: 'ticket.issue', outcome: 'success', user: `${t.userDirectory}\\${t.userId}`, details: { by: portal, virtualProxy: vp.prefix } });
    // Qlik's answer: the same fields, the Ticket, and TargetUri (null without a TargetId).
    sendJson(res, 201, { UserDirectory: t.userDirectory, UserId: t.userId, Attributes: attributesOut(t.attributes), Ticket: ticket, TargetUri: targetUri, ...(t.targetId ? { TargetId: t.targetId } : {}) }, NO_STORE);
    return;
  }
  if (op === 'session' && x.segs.length === 1 && req.method === 'POST') {
    const body = (await readJsonBody(req, res, { maxBytes: deps.maxBodyBytes })) as { SessionId?: unknown } | undefined;
    // Same fields as a ticket request plus SessionId (the ticket schema is strict about extra keys).
    const { SessionId: _sid, ...ticketFields } = body ?? {};
    const t = parseTicketRequest(ticketFields);
    const id = typeof body?.SessionId === 'string' ? body.SessionId : '';
    if (!isSessionIdShaped(id)) throw new EdgeError(EdgeErrorCode.InvalidRequest, 'SessionId must be a random id of at least 128 bits (base64url, 22+ characters)', { field: 'body.SessionId' });
    const created = await deps.sessions.create({ prefix: vp.prefix, user: { userDirectory: t.userDirectory, userId: t.userId, attributes: t.attributes, anonymous: false }, id }, sessionPolicyFor(vp));
    if (created.kind === 'refused') throw new EdgeError(EdgeErrorCode.SessionLimitReached, 'session refused', { internalDetail: created.reason });
    await reportLogin(deps, created.session, 'session', x.ip);
    await deps.audit.record({ action: 'session.start', outcome: 'success', user: `${t.userDirectory}\\${t.userId}`, details: { via: 'session-api', by: portal, virtualProxy: vp.prefix } });
    sendJson(res, 201, sessionOut(created.session), NO_STORE);
    return;
  }
  if (op === 'session' && x.segs.length === 2 && a) {
    const s = await deps.sessions.get(a);
    if (!s || s.prefix !== vp.prefix) throw new ServiceError(ErrorCode.NotFound, 'no such session');
    if (req.method === 'GET') {
      sendJson(res, 200, sessionOut(s), NO_STORE);
      return;
    }
    if (req.method === 'DELETE') {
      await deps.sessions.delete(a, 'logout');
      await deps.audit.record({ action: 'session.end', outcome: 'success', user: `${s.userDirectory}\\${s.userId}`, reason: 'logout', details: { by: portal } });
      sendJson(res, 200, sessionOut(s), NO_STORE);
      return;
    }
  }
  if (op === 'user' && x.segs.length === 3 && a && b) {
    if (req.method === 'GET') {
      sendJson(res, 200, (await deps.sessions.listByUser(vp.prefix, a, b)).map(sessionOut), NO_STORE);
      return;
    }
    if (req.method === 'DELETE') {
      // Qlik answers the list of the proxy sessions that were ended (their open QIX sockets get
      // OnSessionLoggedOut and close: ws/qix-relay.ts listens for session ends).
      const ending = await deps.sessions.listByUser(vp.prefix, a, b);
      const n = await deps.sessions.deleteUser(vp.prefix, a, b);
      await deps.audit.record({ action: 'session.end', outcome: 'success', user: `${a}\\${b}`, reason: 'logout-everywhere', details: { by: portal, sessions: n } });
      sendJson(res, 200, ending.map(sessionOut), NO_STORE);
      return;
    }
  }
  throw new ServiceError(ErrorCode.NotFound, 'not found');
}
