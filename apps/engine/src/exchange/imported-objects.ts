import type { AppDocument } from '@trustzone/app-store';
import type { AssertedUser } from '@trustzone/contracts';
import { readStored } from '../qix/objects/stored-object';
import type { ExchangeDeps } from './exchange-deps';

/** Top-level objects of an app document (children live and die with their sheet, they have no row). */
export function topLevelObjects(doc: AppDocument | null): { id: string; type: string }[] {
  const out: { id: string; type: string }[] = [];
  for (const raw of doc?.objects ?? []) {
    const o = readStored(raw);
    if (o !== null && o.parentId === undefined) out.push({ id: o.id, type: o.type });
  }
  return out;
}

/**
 * The repository's rules decide about app objects through its App.Object rows, and an object
 * without a row is invisible to everyone (fail closed). An imported app file brings objects made on
 * another site, so each top-level one gets its row here, owned by the importing user — who owns the
 * new (unpublished) app; the objects become the app's base objects when it is published, as in
 * Qlik. On a replace, rows of the target's objects that the new file no longer has are removed, so a
 * later object with the same id does not inherit their owner; into a published target the new
 * objects arrive as its base objects (published, then approved — each a rule-checked change made as
 * the importing user, as when a sheet is published and approved in the hub). A row that cannot be written leaves
 * that object invisible (never visible without a row): logged, not fatal to the import.
 */
export async function syncImportedObjectRows(d: ExchangeDeps, appId: string, appPublished: boolean, before: readonly { id: string; type: string }[], after: readonly { id: string; type: string }[], user: AssertedUser): Promise<void> {
  const opts = { deadlineMs: d.deadlineMs, user };
  const kept = new Set(after.map((o) => o.id));
  const existed = new Set(before.map((o) => o.id));
  const warn = (what: string, id: string, e: unknown) => d.logger.warn(`import: could not ${what} the row of app object ${id}`, { appId, error: e instanceof Error ? e.message : String(e) });
  for (const o of before) {
    if (kept.has(o.id)) continue;
    await d.repository.unary('RemoveAppObject', { appId, engineObjectId: o.id, objectType: o.type, name: '' }, opts).catch((e: unknown) => warn('remove', o.id, e));
  }
  for (const o of after) {
    if (existed.has(o.id)) continue; // the target's row (owner, states) stays with the same object id
    try {
      await d.repository.unary('RegisterAppObject', { appId, engineObjectId: o.id, objectType: o.type, name: '' }, opts);
      if (!appPublished) continue;
      for (const change of ['publish', 'approve']) await d.repository.unary('ChangeAppObjectState', { id: '', appId, engineObjectId: o.id, change }, opts);
    } catch (e) {
      warn(appPublished ? 'register and approve' : 'register', o.id, e);
    }
  }
}
