import type { Request, Response } from 'express';
import { ErrorCode, ServiceError, type PeerIdentity } from '@trustzone/contracts';
import { parseTicketRequest } from '../auth/ticket-request.schema';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { readJsonBody } from '../edge/json-body.middleware';
import { isSessionIdShaped } from '../session/session-id';
import { sessionPolicyFor } from '../session/session-store';
import type { Session } from '../session/session.types';
import type { ProxyDeps } from '../client/proxy-deps';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';

const OPS = new Set(['ticket', 'session', 'user']);

/** `/qps/[prefix/]ticket|session|user…`: the optional prefix names the virtual proxy. */
function pickVirtualProxy(deps: ProxyDeps, segs: string[]): { vp: VirtualProxyConfig; rest: string[] } {
  const all = deps.registry.all();
  const first = segs[0] ?? '';
  const named = !OPS.has(first) || (segs.length > 1 && OPS.has(segs[1] ?? '') && all.some((c) => c.prefix === first && first !== ''));
  const prefix = named ? first : '';
  const vp = all.find((c) => c.prefix === prefix);
  if (!vp) throw new ServiceError(ErrorCode.NotFound, 'no such virtual proxy');
  return { vp, rest: named ? segs.slice(1) : segs };
}

const attributesOut = (a: Record<string, string[]>) => Object.entries(a).flatMap(([k, vs]) => vs.map((v) => ({ [k]: v })));
const sessionOut = (s: Session) => ({ SessionId: s.id, UserDirectory: s.userDirectory, UserId: s.userId, Attributes: attributesOut(s.attributes) });

export async function qpsApiRoute(req: Request, res: Response, deps: ProxyDeps, segs: string[], peer: PeerIdentity): Promise<void> {
  const { vp, rest } = pickVirtualProxy(deps, segs);
  const [op, a, b] = rest;
  const portal = peer.kind === 'integration' ? `integration:${peer.name}` : 'unknown';
  res.set('Cache-Control', 'no-store');

  if (op === 'ticket' && rest.length === 1 && req.method === 'POST') {
    const t = parseTicketRequest(await readJsonBody(req, res, { maxBytes: deps.maxBodyBytes }));
    const ticket = await deps.tickets.issue({ ...t, prefix: vp.prefix });
    await deps.audit.record({ action: 'ticket.issue', outcome: 'success', user: `${t.userDirectory}\\${t.userId}`, details: { by: portal, virtualProxy: vp.prefix } });
    res.status(201).json({ UserDirectory: t.userDirectory, UserId: t.userId, Attributes: attributesOut(t.attributes), Ticket: ticket, ...(t.targetId ? { TargetId: t.targetId } : {}) });
    return;
  }
  if (op === 'session' && rest.length === 1 && req.method === 'POST') {
    const body = (await readJsonBody(req, res, { maxBytes: deps.maxBodyBytes })) as { SessionId?: unknown } | undefined;
    // Same fields as a ticket request plus SessionId (the ticket schema is strict about extra keys).
    const { SessionId: _sid, ...ticketFields } = body ?? {};
    const t = parseTicketRequest(ticketFields);
    const id = typeof body?.SessionId === 'string' ? body.SessionId : '';
    if (!isSessionIdShaped(id)) throw new EdgeError(EdgeErrorCode.InvalidRequest, 'SessionId must be a random id of at least 128 bits (base64url, 22+ characters)', { field: 'body.SessionId' });
    const created = await deps.sessions.create({ prefix: vp.prefix, user: { userDirectory: t.userDirectory, userId: t.userId, attributes: t.attributes, anonymous: false }, id }, sessionPolicyFor(vp));
    if (created.kind === 'refused') throw new EdgeError(EdgeErrorCode.SessionLimitReached, 'session refused', { internalDetail: created.reason });
    await deps.audit.record({ action: 'session.start', outcome: 'success', user: `${t.userDirectory}\\${t.userId}`, details: { via: 'session-api', by: portal, virtualProxy: vp.prefix } });
    res.status(201).json(sessionOut(created.session));
    return;
  }
  if (op === 'session' && rest.length === 2 && a) {
    const s = await deps.sessions.get(a);
    if (!s || s.prefix !== vp.prefix) throw new ServiceError(ErrorCode.NotFound, 'no such session');
    if (req.method === 'GET') {
      res.json(sessionOut(s));
      return;
    }
    if (req.method === 'DELETE') {
      await deps.sessions.delete(a, 'logout');
      await deps.audit.record({ action: 'session.end', outcome: 'success', user: `${s.userDirectory}\\${s.userId}`, reason: 'logout', details: { by: portal } });
      res.json(sessionOut(s));
      return;
    }
  }
  if (op === 'user' && rest.length === 3 && a && b) {
    if (req.method === 'GET') {
      res.json((await deps.sessions.listByUser(vp.prefix, a, b)).map(sessionOut));
      return;
    }
    if (req.method === 'DELETE') {
      const n = await deps.sessions.deleteUser(vp.prefix, a, b);
      await deps.audit.record({ action: 'session.end', outcome: 'success', user: `${a}\\${b}`, reason: 'logout-everywhere', details: { by: portal, sessions: n } });
      res.json({ ended: n });
      return;
    }
  }
  throw new ServiceError(ErrorCode.NotFound, 'not found');
}
