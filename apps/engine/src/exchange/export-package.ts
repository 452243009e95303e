import { createPrivateKey, sign } from 'node:crypto';
import { AppStoreError, AppStoreErrorCode, decodeAppDocument, encodeAppDocument, encodeAppPackage, type WrappingKey } from '@trustzone/app-store';
import { ErrorCode, ServiceError, type AssertedUser } from '@trustzone/contracts';
import type { ExchangeDeps } from './exchange-deps';
import { readExchangePartners } from './exchange-partners';

/**
 * Builds the export file of one app for the user whose download link the repository accepts (it uses
 * the link up and checks Read and Export again). The data comes from the app store after every
 * at-rest check passed; it leaves encrypted whenever this site encrypts apps — for this site's active
 * key and each partner's encryption certificate — and signed by this engine either way.
 *
 * The package body carries the app document (data model and load script, as in the app file): the
 * script only when the repository said the user may read it, the model only without skipData.
 */
/** Base objects only: created while the app was unpublished, or published (see qix/objects/stored-object.ts). */
function exportedObjects(objects: Record<string, unknown>[]): Record<string, unknown>[] {
  return objects.filter((o) => o['base'] === true || o['published'] === true);
}

export async function buildExport(d: ExchangeDeps, appId: string, ticket: string, user: AssertedUser): Promise<Buffer> {
  const m = await d.repository.unary('ClaimAppExport', { ticket, appId }, { deadlineMs: d.deadlineMs, user });
  let data: Buffer | null = null;
  let encryptedAtRest = false;
  try {
    encryptedAtRest = (await d.store.inspect(appId)).mode === 'encrypted';
    const doc = decodeAppDocument((await d.store.load(appId)).payload);
    // Variables travel with the app (as in a Qlik export); they are app content, not data or script.
    // So do the app's base objects (sheets, stories, master items); users' private objects and
    // bookmarks are theirs on this site and stay here (Qlik exports an app's base objects too).
    const kept = { model: m.skipData ? null : doc.model, script: m.includeScript ? doc.script : '', variables: doc.variables ?? [], objects: exportedObjects(doc.objects ?? []) };
    if (kept.model !== null || kept.script !== '' || kept.variables.length > 0 || kept.objects.length > 0) data = encodeAppDocument(kept);
  } catch (e) {
    if (!(e instanceof AppStoreError && e.code === AppStoreErrorCode.NotFound)) throw e;
  }
  const status = d.keyStore.encryptionStatus();
  const recipients: WrappingKey[] = [];
  if (status.enabled) {
    recipients.push(d.keyStore.wrappingKey(status.thumbprint));
    for (const p of readExchangePartners(d.exchangeDir)) if (p.recipient) recipients.push(p.recipient);
  }
  if (encryptedAtRest && recipients.length === 0) throw new ServiceError(ErrorCode.FailedPrecondition, 'the app is encrypted at rest but this site has no active encryption key to encrypt the export with; an encrypted app never leaves unencrypted');
  const site = d.site();
  const signer = d.signer();
  const key = createPrivateKey(signer.keyPem);
  return encodeAppPackage(
    // The manifest's script field is for packages made before the app document; the script is in `data` now.
    { name: m.name, description: m.description, script: '', exportedBy: m.exportedBy },
    data,
    {
      exportedAt: new Date(),
      source: { siteId: site.siteId, siteName: site.siteName, appId },
      recipients,
      signer: { certificate: signer.certPem, sign: (bytes) => sign('sha256', bytes, key) },
    },
  );
}
