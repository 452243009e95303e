/*
 * Sessions of one engine that have an app open, by app id: when one session stores a change to the
 * app's objects, the others are told, so they can push a `change` frame for their object handles
 * (as Qlik's engine does). Other engines of the site see the change at their sessions' next call
 * (they read the app file anew); they are not pushed to.
 */
export class AppObjectWatchers {
  private readonly byApp = new Map<string, Set<() => void>>();

  /** Returns the unsubscribe. */
  watch(appId: string, notify: () => void): () => void {
    let set = this.byApp.get(appId);
    if (set === undefined) {
      set = new Set();
      this.byApp.set(appId, set);
    }
    set.add(notify);
    return () => {
      set.delete(notify);
      if (set.size === 0 && this.byApp.get(appId) === set) this.byApp.delete(appId);
    };
  }

  /** Tell every watcher of `appId` except `from`. */
  changed(appId: string, from: () => void): void {
    for (const n of this.byApp.get(appId) ?? []) if (n !== from) n();
  }
}
