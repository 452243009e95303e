import { AppPackageError, AppPackageErrorCode, decodeAppDocument, openAppPackage, parseAppPackage, type AppDocument } from '@trustzone/app-store';
import { ErrorCode, ServiceError, type AssertedUser } from '@trustzone/contracts';
import { decodeDataModel, type DataModel } from '@trustzone/data-model';
import { validateSecurityTable } from '@trustzone/section-access';
import type { ExchangeDeps } from './exchange-deps';
import { readExchangePartners } from './exchange-partners';
import { syncImportedObjectRows, topLevelObjects } from './imported-objects';
import { readStored } from '../qix/objects/stored-object';
import { verifyPackageSigner } from './package-trust';
import { classifyUpload, uploadRefusal } from './upload-classifier';

export interface ImportStartIn {
  name: string;
  targetAppId: string;
}

/** A refusal the uploader can act on: 400 with the reason's code in the detail. */
function refused(code: string, message: string): ServiceError {
  return new ServiceError(ErrorCode.InvalidArgument, message, { field: 'body', detail: { reason: code } });
}

/**
 * An upload, in order: recognise the format (a .qvf is refused by name); check the structure; verify
 * the signature and that a trusted site's engine made it; decrypt with this site's key and check the
 * content checksum; decode and validate the data model (a section-access table must be sound). Only
 * then does the repository get asked (dry run: the rights and the id), the data is stored under this
 * site's current key (the at-rest format re-wraps it), and the app is committed. Every refusal is
 * audited through the repository.
 */
export async function importPackage(d: ExchangeDeps, start: ImportStartIn, file: Buffer, user: AssertedUser): Promise<string> {
  const opts = { deadlineMs: d.deadlineMs, user };
  let content: ReturnType<typeof openAppPackage>;
  let model: DataModel | null = null;
  let doc: AppDocument = { model: null, script: '' };
  let source: { siteId: string; siteName: string; appId: string; exportedAt: string; trustedAs: string };
  try {
    const kind = classifyUpload(file.subarray(0, 16), start.name);
    if (kind !== 'trustzone') throw refused(kind === 'qlik' ? 'QVF_NOT_SUPPORTED' : AppPackageErrorCode.NotAPackage, uploadRefusal(kind));
    const parsed = parseAppPackage(file);
    const site = d.site();
    const partners = readExchangePartners(d.exchangeDir);
    const signer = verifyPackageSigner(parsed, { cas: site.cas, siteId: site.siteId }, partners);
    content = openAppPackage(parsed, (thumbprint) => {
      try {
        return d.keyStore.privateKeyFor(thumbprint, 'import');
      } catch {
        return undefined;
      }
    });
    if (content.data) {
      try {
        doc = decodeAppDocument(content.data);
        if (doc.model !== null) model = decodeDataModel(doc.model);
        if (model?.securityTable) validateSecurityTable(model, model.securityTable);
      } catch (e) {
        throw new AppPackageError(AppPackageErrorCode.Malformed, `the app data does not decode to a valid data model: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    // A package made before the app document carried the script in its (encrypted) manifest.
    if (doc.script === '' && content.manifest.script !== '') doc = { ...doc, script: content.manifest.script };
    source = { ...parsed.header.source, exportedAt: parsed.header.exportedAt, trustedAs: signer.trustedAs };
  } catch (e) {
    const err = e instanceof AppPackageError ? refused(e.code, e.message) : e;
    if (err instanceof ServiceError && err.code === ErrorCode.InvalidArgument) await audit(d, user, 'denied', err.message, start);
    throw err;
  }
  const name = start.name.trim() || content.manifest.name;
  const dry = JSON.parse((await d.repository.unary('RegisterAppImport', { name, manifestJson: '', targetAppId: start.targetAppId, dryRun: true, appId: '' }, opts)).json) as { appId: string };
  let before: { id: string; type: string }[] = [];
  if (doc.model !== null || doc.script !== '' || (doc.variables?.length ?? 0) > 0 || (doc.objects?.length ?? 0) > 0) {
    // The objects become the importing user's, unpublished base objects (their rows say the same,
    // imported-objects.ts): an owner or a published flag written on another site is never taken over.
    const owner = `${user.userDirectory}\\${user.userId}`;
    const imported = { ...doc, objects: doc.objects?.map((raw) => (readStored(raw) === null ? raw : { ...raw, ownerId: owner, published: false, approved: false, base: true })) };
    await d.library.updateDocument(dry.appId, (current) => {
      before = topLevelObjects(current);
      return imported;
    });
  } else if (start.targetAppId) {
    d.library.forget(dry.appId);
    await d.store.remove(dry.appId);
  }
  const manifestJson = JSON.stringify({ description: content.manifest.description, source: { ...source, exportedBy: content.manifest.exportedBy } });
  let registered: string;
  try {
    registered = (await d.repository.unary('RegisterAppImport', { name, manifestJson, targetAppId: start.targetAppId, dryRun: false, appId: dry.appId }, opts)).json;
  } catch (e) {
    // A new app's data without its entity is unreachable; do not leave it behind.
    if (!start.targetAppId) {
      d.library.forget(dry.appId);
      await d.store.remove(dry.appId).catch(() => undefined);
    }
    throw e;
  }
  const published = (JSON.parse(registered) as { published?: unknown }).published === true;
  await syncImportedObjectRows(d, dry.appId, published, start.targetAppId ? before : [], topLevelObjects(doc), user);
  return registered;
}

async function audit(d: ExchangeDeps, user: AssertedUser, outcome: 'denied', reason: string, start: ImportStartIn): Promise<void> {
  await d.repository
    .unary('RecordAudit', { action: 'app.import', outcome, user: '', targetType: start.targetAppId ? 'App' : '', targetId: start.targetAppId, reason: reason.slice(0, 2000), detailsJson: JSON.stringify({ name: start.name.slice(0, 256) }) }, { deadlineMs: d.deadlineMs, user })
    .catch((e: unknown) => d.logger.warn('could not audit a refused import', { error: e instanceof Error ? e.message : String(e) }));
}
