/** How long an app's title is reused by this engine's opens (a rename is seen within it). */
export const TITLE_TTL_MS = 5000;
const MAX_TITLES = 1024;

/**
 * App titles this engine read from the repository, shared by its sessions. Asked for only after
 * the repository's Authorize allowed the opening user to read the app (so a title goes only to a
 * user who may read that app): a thousand users reconnecting after a certificate rotation then cost
 * the repository one GetEntity per app instead of one each. Opens that miss while a read is in
 * flight join it.
 */
export class AppTitles {
  private readonly titles = new Map<string, { at: number; title: Promise<string> }>();

  constructor(private readonly ttlMs = TITLE_TTL_MS, private readonly now: () => number = Date.now) {}

  get(appId: string, read: () => Promise<string>): Promise<string> {
    const hit = this.titles.get(appId);
    if (hit !== undefined && this.now() - hit.at < this.ttlMs) return hit.title;
    const title = read();
    const entry = { at: this.now(), title };
    this.titles.delete(appId);
    this.titles.set(appId, entry);
    if (this.titles.size > MAX_TITLES) this.titles.delete(this.titles.keys().next().value as string);
    // A failed read is not kept: the next open asks again.
    title.catch(() => {
      if (this.titles.get(appId) === entry) this.titles.delete(appId);
    });
    return title;
  }
}
