import type { AssertedUser } from '@trustzone/contracts';
import type { Upstreams } from '../upstreams';
import { guidParam, queryParam } from './qrs-query';
import type { QrsCall } from './qrs-route-table';

export type TaskCall = Extract<QrsCall, { op: 'create-reload-task' | 'task-start' | 'task-start-by-name' | 'scriptlog-link' | 'export' }> | { op: 'replace'; id: string };

export interface TaskRequest {
  call: TaskCall;
  query: URLSearchParams;
  body: unknown;
  user: AssertedUser;
}

/**
 * The task, export and replace calls of the `/qrs` surface (the route table names them): one
 * repository RPC each, plus the engine's data copy for a replace. Statuses as Qlik answers them:
 * 201 for a created task and an export link, 204 for an asynchronous start.
 */
export async function executeTaskCall(up: Upstreams, r: TaskRequest, deadlineMs: number): Promise<{ status: number; json: string }> {
  const opts = { deadlineMs, user: r.user };
  const c = r.call;
  switch (c.op) {
    case 'create-reload-task':
      return { status: 201, json: (await up.repository.unary('CreateReloadTask', { json: JSON.stringify(r.body ?? null) }, opts)).json };
    case 'task-start':
    case 'task-start-by-name': {
      const req = c.op === 'task-start' ? { taskId: c.id, name: '', synchronous: c.synchronous } : { taskId: '', name: queryParam(r.query, 'name', true), synchronous: c.synchronous };
      // A synchronous start may wait for a scheduler to pick the run up.
      const res = await up.repository.unary('StartTask', req, { ...opts, deadlineMs: Math.max(deadlineMs, 60_000) });
      return c.synchronous ? { status: 200, json: res.json } : { status: 204, json: '' };
    }
    case 'scriptlog-link':
      return { status: 200, json: (await up.repository.unary('ScriptLogLink', { taskId: c.id, fileReferenceId: guidParam(r.query, 'fileReferenceId') }, opts)).json };
    case 'export':
      return { status: 201, json: (await up.repository.unary('ExportApp', { appId: c.id, token: c.token, skipData: queryParam(r.query, 'skipData').toLowerCase() === 'true' }, opts)).json };
    case 'replace': {
      const target = guidParam(r.query, 'app');
      const json = (await up.repository.unary('ReplaceApp', { sourceAppId: c.id, targetAppId: target }, opts)).json;
      await up.engines.pick().client.unary('CopyAppData', { fromAppId: c.id, toAppId: target }, opts);
      return { status: 200, json };
    }
  }
}
