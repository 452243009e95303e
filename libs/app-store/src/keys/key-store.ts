import { EventEmitter } from 'node:events';
import type { FSWatcher } from 'node:fs';
import { watch } from 'node:fs';
import { chmod, mkdir, rm } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { AppStoreError, AppStoreErrorCode } from '../app-store.error';
import type { WrappingKey } from '../format/app-file-codec';
import { fsyncDir } from '@trustzone/config';
import { writeFileAtomic } from '../store/atomic-file';
import type { KeyInfo } from './key-material';
import { keyInfo, loadKeyPair } from './key-material';
import type { KeyStoreSnapshot } from './key-store-files';
import { CERT_FILE_MODE, KEY_DIR_MODE, KEY_FILE_MODE, activeFile, certFile, keyFile, readKeyStore } from './key-store-files';

export interface KeyStoreOptions {
  /** Watch the folder and reload on change (default true). */
  watch?: boolean;
  /** Also re-read the folder this often, for changes a watcher misses (default 2000 ms). */
  pollMs?: number;
}

export type EncryptionStatus =
  | { enabled: true; thumbprint: string }
  | { enabled: false; reason: 'no-active-key' | 'active-key-missing' | 'key-store-missing' };

export interface KeyStoreEvents {
  change: [keys: KeyInfo[]];
  /** A reload found a bad file; the previous keys stay in use. */
  'reload-failed': [error: AppStoreError];
}

/**
 * The engine's encryption keys (trust-zone.md "Data encryption"): several key pairs so files written
 * under an old key stay readable after rotation, and one active key for new files. The folder is
 * watched, so `tz keys add` takes effect in a running engine without restart.
 */
export class KeyStore extends EventEmitter<KeyStoreEvents> {
  private watcher: FSWatcher | null = null;
  private poller: NodeJS.Timeout | null = null;
  private debounce: NodeJS.Timeout | null = null;

  private constructor(
    readonly dir: string,
    private state: KeyStoreSnapshot,
  ) {
    super();
  }

  /** Opens (creating 0700 if absent) and loads the key store; an unsafe or invalid key file is refused. */
  static async open(dir: string, options: KeyStoreOptions = {}): Promise<KeyStore> {
    let snapshot = await readKeyStore(dir);
    if (snapshot.missing) {
      await mkdir(dir, { recursive: true, mode: KEY_DIR_MODE });
      await chmod(dir, KEY_DIR_MODE);
      snapshot = await readKeyStore(dir);
    }
    const store = new KeyStore(dir, snapshot);
    if (options.watch ?? true) store.startWatching(options.pollMs ?? 2000);
    return store;
  }

  listKeys(): KeyInfo[] {
    return [...this.state.keys.values()].map((k) => keyInfo(k, k.thumbprint === this.state.activeThumbprint)).sort((a, b) => a.thumbprint.localeCompare(b.thumbprint));
  }

  encryptionStatus(): EncryptionStatus {
    if (this.state.missing) return { enabled: false, reason: 'key-store-missing' };
    const active = this.state.activeThumbprint;
    if (active === undefined) return { enabled: false, reason: 'no-active-key' };
    return this.state.keys.has(active) ? { enabled: true, thumbprint: active } : { enabled: false, reason: 'active-key-missing' };
  }

  /** The key to wrap a new file's data key under, by thumbprint (the active key when omitted). */
  wrappingKey(thumbprint?: string): WrappingKey {
    const wanted = thumbprint ?? this.state.activeThumbprint;
    const entry = wanted === undefined ? undefined : this.state.keys.get(wanted);
    if (entry === undefined) throw new AppStoreError(AppStoreErrorCode.KeyNotFound, `key ${wanted ?? '(none)'} is not in the key store ${this.dir}`, { thumbprint: wanted ?? '' });
    return { thumbprint: entry.thumbprint, publicKey: entry.publicKey };
  }

  /** The private key for a file's thumbprint, or an error naming the app and what is missing. */
  privateKeyFor(thumbprint: string, appId: string): KeyObject {
    if (this.state.missing) {
      throw new AppStoreError(AppStoreErrorCode.KeyStoreMissing, `app ${appId}: the key store ${this.dir} does not exist`, { appId, region: 'key-slot', thumbprint });
    }
    const entry = this.state.keys.get(thumbprint);
    if (entry === undefined) {
      throw new AppStoreError(AppStoreErrorCode.UnknownKey, `app ${appId}: encrypted under key ${thumbprint}, which is not in the key store ${this.dir}`, { appId, region: 'key-slot', thumbprint });
    }
    return entry.privateKey;
  }

  /** Adds a key pair (validated; key written 0600). It becomes the active key unless `inactive`. */
  async addKey(certPem: string, keyPem: string, options: { inactive?: boolean; now?: Date } = {}): Promise<KeyInfo> {
    const entry = loadKeyPair(certPem, keyPem);
    if (!options.inactive && new Date(entry.cert.validTo).getTime() < (options.now ?? new Date()).getTime()) {
      throw new AppStoreError(AppStoreErrorCode.KeyExpired, `key ${entry.thumbprint}: the certificate expired on ${entry.cert.validTo}; add it with inactive to read old files`, { thumbprint: entry.thumbprint });
    }
    await this.ensureDir();
    const pkcs8 = entry.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    await writeFileAtomic(keyFile(this.dir, entry.thumbprint), [Buffer.from(pkcs8)], KEY_FILE_MODE);
    await writeFileAtomic(certFile(this.dir, entry.thumbprint), [Buffer.from(entry.cert.toString())], CERT_FILE_MODE);
    if (!options.inactive) await writeFileAtomic(activeFile(this.dir), [Buffer.from(`${entry.thumbprint}\n`)], KEY_FILE_MODE);
    await this.reload();
    const info = this.listKeys().find((k) => k.thumbprint === entry.thumbprint);
    if (info === undefined) throw new AppStoreError(AppStoreErrorCode.KeyNotFound, `key ${entry.thumbprint} did not load after being added`, { thumbprint: entry.thumbprint });
    return info;
  }

  /** Makes an existing key the active one, or turns encryption of new files off with null. */
  async setActiveKey(thumbprint: string | null): Promise<void> {
    if (thumbprint === null) await rm(activeFile(this.dir), { force: true });
    else {
      this.wrappingKey(thumbprint);
      await writeFileAtomic(activeFile(this.dir), [Buffer.from(`${thumbprint}\n`)], KEY_FILE_MODE);
    }
    await fsyncDir(this.dir);
    await this.reload();
  }

  /**
   * Deletes a key pair. The active key is only removed with `force` (new files then go out
   * checksummed-only). Rekey the apps first: files still under this key become unreadable.
   */
  async removeKey(thumbprint: string, options: { force?: boolean } = {}): Promise<void> {
    if (!this.state.keys.has(thumbprint)) throw new AppStoreError(AppStoreErrorCode.KeyNotFound, `key ${thumbprint} is not in the key store ${this.dir}`, { thumbprint });
    if (this.state.activeThumbprint === thumbprint) {
      if (!options.force) throw new AppStoreError(AppStoreErrorCode.KeyActive, `key ${thumbprint} is the active key; activate another key first`, { thumbprint });
      await rm(activeFile(this.dir), { force: true });
    }
    await rm(keyFile(this.dir, thumbprint), { force: true });
    await rm(certFile(this.dir, thumbprint), { force: true });
    await fsyncDir(this.dir);
    await this.reload();
  }

  /**
   * Re-reads the folder. A folder that vanished drops every key (reads then fail naming the missing
   * key store; writes are refused rather than silently going out unencrypted). A bad file keeps the
   * previous keys and is reported through 'reload-failed' (and thrown to a direct caller).
   */
  async reload(): Promise<void> {
    let next: KeyStoreSnapshot;
    try {
      next = await readKeyStore(this.dir);
    } catch (error) {
      const failure = error instanceof AppStoreError ? error : new AppStoreError(AppStoreErrorCode.KeyInvalid, `key store ${this.dir} cannot be read`);
      this.emit('reload-failed', failure);
      throw failure;
    }
    if (next.missing && this.watcher) {
      // The watched inode is gone; the poll re-attaches once the folder exists again.
      this.watcher.close();
      this.watcher = null;
    }
    if (next.signature === this.state.signature) return;
    this.state = next;
    this.emit('change', this.listKeys());
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.poller) clearInterval(this.poller);
    if (this.debounce) clearTimeout(this.debounce);
  }

  private async ensureDir(): Promise<void> {
    if (!this.state.missing) return;
    await mkdir(this.dir, { recursive: true, mode: KEY_DIR_MODE });
    await chmod(this.dir, KEY_DIR_MODE);
  }

  private startWatching(pollMs: number): void {
    const soon = (): void => {
      if (this.debounce) clearTimeout(this.debounce);
      this.debounce = setTimeout(() => this.reload().catch(() => undefined), 50);
      this.debounce.unref();
    };
    const attach = (): void => {
      if (this.watcher || this.state.missing) return;
      try {
        this.watcher = watch(this.dir, { persistent: false }, soon);
        this.watcher.on('error', () => {
          this.watcher?.close();
          this.watcher = null;
        });
      } catch {
        this.watcher = null;
      }
    };
    attach();
    // The poll covers what inotify cannot: the folder deleted and recreated, or network file systems.
    this.poller = setInterval(() => {
      this.reload().catch(() => undefined).finally(attach);
    }, pollMs);
    this.poller.unref();
  }
}

export const openKeyStore = (dir: string, options?: KeyStoreOptions): Promise<KeyStore> => KeyStore.open(dir, options);
