import { isRecord } from './method-args';
import type { MethodTable, SessionCore } from './method-table';
import { OPEN_DOC_PARAMS, type ObjectRef, openDoc } from './open-doc';
import { QixError, QixErrorCode } from './qix.error';
import type { DocListEntry } from './qix-session.types';

/** The schema version whose names and parameter orders this engine answers (enigma.js ships it). */
export const QIX_SCHEMA_VERSION = '12.2027.0';

/**
 * Global (handle -1). QTProduct answers "Qlik Sense" because clients branch on it to pick the
 * Sense dialect of the protocol, which is the one we speak.
 */
export const GLOBAL_METHODS: MethodTable = {
  EngineVersion: { params: [], out: ['qVersion'], run: () => ({ qComponentVersion: QIX_SCHEMA_VERSION }) },
  ProductVersion: { params: [], out: 'qReturn', run: () => QIX_SCHEMA_VERSION },
  QTProduct: { params: [], out: 'qReturn', run: () => 'Qlik Sense' },
  IsDesktopMode: { params: [], out: 'qReturn', run: () => false },
  GetAuthenticatedUser: {
    params: [],
    out: 'qReturn',
    run: ({ core }) => `UserDirectory=${core.deps.user.userDirectory}; UserId=${core.deps.user.userId}`,
  },
  GetActiveDoc: { params: [], out: 'qReturn', run: ({ core }) => activeDoc(core) },
  GetDocList: { params: [], out: ['qDocList'], run: ({ core }) => docList(core) },
  OpenDoc: { params: OPEN_DOC_PARAMS, out: 'qReturn', run: ({ core }, args) => openDoc(core, args) },
};

function activeDoc(core: SessionCore): ObjectRef {
  if (core.doc === null) throw new QixError(QixErrorCode.APP_INVALID, 'App invalid');
  return { qType: 'Doc', qHandle: core.doc.handle, qGenericId: core.doc.app.appId };
}

/** Only what the repository lists for the user, re-shaped so nothing beyond these keys is relayed. */
async function docList(core: SessionCore): Promise<unknown[]> {
  const docs: DocListEntry[] = await core.deps.listDocs();
  return docs.slice(0, core.limits.maxDocList).map((d) => ({
    qDocName: d.qDocName,
    qDocId: d.qDocId,
    qTitle: d.qTitle,
    qMeta: isRecord(d.qMeta) ? d.qMeta : {},
    qConnectedUsers: 0,
    qFileTime: 0,
    qFileSize: 0,
    qLastReloadTime: '',
    qReadOnly: false,
    qThumbnail: { qUrl: '' },
  }));
}
