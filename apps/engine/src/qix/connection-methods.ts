import { docOf } from './doc-methods';
import type { CallContext, MethodTable } from './method-table';
import { QixError, QixErrorCode } from './qix.error';
import type { ConnectionPort, DataConnectionInfo } from './qix-session.types';

/*
 * Doc.GetConnections / Doc.GetConnection: the data connections this user may read, as the
 * repository's rules list them (ListEntities in hub context). trustzone's connections are folders of
 * the engine's data volume and hold no credentials; no user name or password field is ever answered
 * (Qlik's qUserName/qPassword stay absent).
 */

function port(ctx: CallContext): ConnectionPort {
  const p = ctx.core.deps.connections;
  if (p === undefined) throw new QixError(QixErrorCode.ACCESS_DENIED, 'Access denied', { reason: 'no connection list in this session' });
  return p;
}

function toQix(c: DataConnectionInfo): Record<string, unknown> {
  return { qId: c.id, qName: c.name, qConnectionString: c.connectionString, qType: c.type, qModifiedDate: c.modifiedDate, qMeta: {}, qLogOn: 'LOG_ON_SERVICE_USER' };
}

export const CONNECTION_DOC_METHODS: MethodTable = {
  GetConnections: {
    params: [],
    out: ['qConnections'],
    run: async (ctx) => {
      docOf(ctx);
      return (await port(ctx).list()).map(toQix);
    },
  },
  GetConnection: {
    params: ['qConnectionId'],
    out: ['qConnection'],
    run: async (ctx, args) => {
      docOf(ctx);
      const id = args.string(0, 256);
      // Not readable and not there answer alike.
      const hit = (await port(ctx).list()).find((c) => c.id === id);
      if (hit === undefined) throw new QixError(QixErrorCode.NOT_FOUND, 'Connection not found', { parameter: 'qConnectionId' });
      return toQix(hit);
    },
  },
};
