import { EventEmitter } from 'node:events';
import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename } from 'node:path';
import { verifyPeerCertificate, type PeerVerification, type PeerVerifyOptions } from './peer-verifier';
import { type CertificateInput } from './peer-certificate';
import { loadTlsMaterial, materialFiles, type LoadMaterialOptions, type TlsMaterial } from './tls-material';
import { clientTlsOptions, serverTlsOptions, type ClientTlsSettings, type ServerTlsSettings } from './tls-options';
import { TrustError, TrustErrorCode } from './trust.error';

/** ≤ 1 s so a revoke reaches every listener within the 5 s the zone promises, even without fs.watch. */
const MAX_POLL_MS = 1000;
const SETTLE_MS = 50;
/** A cert and key renamed in one after the other may be seen half-swapped; look again before crying wolf. */
const RETRIES = 3;
const RETRY_MS = 200;

export interface TrustStoreOptions extends LoadMaterialOptions {
  /** Stat poll interval, clamped to 20..1000 ms. */
  pollMs?: number;
  /** fs.watch on top of the poll (default true); off for file systems where it misreports (NFS). */
  watch?: boolean;
}

export interface TrustStoreEvents {
  change: [material: TlsMaterial];
  /** A bad new set was refused; the previous one stays in use. */
  error: [error: TrustError];
  /** A CA appeared in the bundle that no trusted CA endorsed: it is left out (the rest still loads). */
  'anchor-refused': [error: TrustError];
}

/**
 * Holds one process's TLS material and keeps it current: watches the cert, key, CA and CRL files
 * (fs.watch on the directory, which survives atomic renames, plus a stat poll as fallback),
 * validates a new set completely before swapping it in, and keeps the old set when the new one is
 * bad. Listeners of 'change' re-key their servers (see bindServerToTrustStore).
 *
 * What it trusts only ever moves forward from what it started with: the CAs it loaded at start
 * are pinned, and a CA added to the bundle later is trusted only when a trusted CA endorses it
 * (anchor-pinning.ts); a CRL numbered below the one already loaded from its CA is refused. Whoever
 * can write the files can still stop updates, but can neither mint identities nor un-revoke.
 * Both are pinned for the life of the process: a restart trusts the files as they are then.
 */
export class TrustStore extends EventEmitter<TrustStoreEvents> {
  private material: TlsMaterial;
  private signature: string;
  private failedSignature: string | undefined;
  private readonly watcher: FSWatcher | undefined;
  private readonly poller: NodeJS.Timeout;
  private pending: NodeJS.Timeout | undefined;
  /** One reload at a time; a change seen meanwhile triggers one more pass afterwards. */
  private running: Promise<boolean> | undefined;
  private rerun = false;
  private closed = false;
  private readonly files: string[];
  /** Fingerprints of the CAs trusted now (pinned for the next reload). */
  private pinned: Set<string>;
  /** Highest CRL number ever loaded per CA fingerprint. */
  private readonly crlFloor = new Map<string, bigint>();
  private refusedAnchors = '';
  /**
   * A trust-zone store (it has a CRL). The client-facing certificate's CA is the operator's public
   * or corporate CA, replaced by writing files (operations.md): not pinned.
   */
  private readonly zone: boolean;

  constructor(private readonly options: TrustStoreOptions) {
    super();
    const f = materialFiles(options);
    this.zone = f.crl !== null;
    this.files = [f.cert, f.key, f.ca, ...(f.crl ? [f.crl] : []), ...(f.endorsements ? [f.endorsements] : [])];
    this.signature = this.stat();
    this.material = loadTlsMaterial(options);
    this.pinned = new Set(this.material.trustedCas.map((c) => c.fingerprint256));
    this.raiseFloor(this.material);
    // fs.watch covers the certs folder; a key in private/<name>/ is seen by the stat poll.
    const names = new Set(this.files.map((p) => basename(p)));
    this.watcher = options.watch === false ? undefined : this.tryWatch((name) => names.has(name));
    const pollMs = Math.min(Math.max(options.pollMs ?? MAX_POLL_MS, 20), MAX_POLL_MS);
    this.poller = setInterval(() => this.poll(), pollMs).unref();
  }

  current(): TlsMaterial {
    return this.material;
  }

  revokedSerials(): ReadonlySet<string> {
    return this.material.revokedSerials;
  }

  /** Per-call peer check against the current CAs and CRL, for this process's own site. */
  verifyPeer(cert: CertificateInput, extra: Pick<PeerVerifyOptions, 'allowed' | 'purpose' | 'now'> = {}): PeerVerification {
    const m = this.material;
    if (!m.identity) return { ok: false, code: TrustErrorCode.IdentityMissing, reason: 'this trust store has no site identity' };
    return verifyPeerCertificate(cert, { trustedCas: m.trustedCas, revokedSerials: m.revokedSerials, siteId: m.identity.siteId, ...extra });
  }

  serverTlsOptions(settings: ServerTlsSettings): ReturnType<typeof serverTlsOptions> {
    return serverTlsOptions(this.material, settings);
  }

  /** Client options whose server check always reads the latest CRL of this store. */
  clientTlsOptions(settings: ClientTlsSettings): ReturnType<typeof clientTlsOptions> {
    return clientTlsOptions(this.material, { revokedSerials: () => this.material.revokedSerials, ...settings });
  }

  /** Checks the files now; resolves true when a new set was swapped in. */
  async reload(): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const signature = this.stat();
      try {
        const next = loadTlsMaterial({ ...this.options, ...(this.zone ? { pinnedAnchors: this.pinned, crlFloor: this.crlFloor } : {}) });
        this.signature = signature;
        this.failedSignature = undefined;
        this.reportRefusedAnchors(next);
        this.pinned = new Set(next.trustedCas.map((c) => c.fingerprint256));
        this.raiseFloor(next);
        if (sameMaterial(next, this.material)) return false;
        this.material = next;
        this.emit('change', next);
        return true;
      } catch (e) {
        if (attempt < RETRIES && !this.closed) {
          await new Promise((r) => setTimeout(r, RETRY_MS).unref());
          continue;
        }
        this.failedSignature = signature;
        this.report(e);
        return false;
      }
    }
  }

  close(): void {
    this.closed = true;
    this.watcher?.close();
    clearInterval(this.poller);
    if (this.pending) clearTimeout(this.pending);
  }

  private raiseFloor(m: TlsMaterial): void {
    for (const [issuer, number] of m.crlNumbers) {
      const seen = this.crlFloor.get(issuer);
      if (seen === undefined || number > seen) this.crlFloor.set(issuer, number);
    }
  }

  /** Once per distinct set of refused CAs, so a rogue CA left in place is not reported every second. */
  private reportRefusedAnchors(m: TlsMaterial): void {
    const key = m.untrustedCas.map((c) => c.fingerprint256).sort().join(',');
    if (key === this.refusedAnchors) return;
    this.refusedAnchors = key;
    for (const ca of m.untrustedCas) {
      const err = new TrustError(
        TrustErrorCode.AnchorNotEndorsed,
        `${materialFiles(this.options).ca}: CA '${ca.subject.replace(/\n/g, ', ')}' (SHA-256 ${ca.fingerprint256}) is not endorsed by a trusted CA (tz certs rotate-ca writes the endorsement); it is NOT trusted`,
        materialFiles(this.options).ca,
      );
      if (this.listenerCount('anchor-refused') > 0) this.emit('anchor-refused', err);
      else process.emitWarning(err.message);
    }
  }

  private tryWatch(relevant: (name: string) => boolean): FSWatcher | undefined {
    try {
      const w = watch(this.options.certsDir, { persistent: false }, (_event, name) => {
        if (name === null || relevant(name.toString())) this.schedule();
      });
      w.on('error', () => w.close()); // directory replaced or gone: the poll carries on alone
      return w;
    } catch {
      return undefined;
    }
  }

  private poll(): void {
    const s = this.stat();
    if (s !== this.signature && s !== this.failedSignature) this.schedule();
  }

  private schedule(): void {
    if (this.closed || this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.serialReload();
    }, SETTLE_MS).unref();
  }

  private async serialReload(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return;
    }
    do {
      this.rerun = false;
      this.running = this.reload();
      await this.running;
      this.running = undefined;
    } while (this.rerun && !this.closed);
  }

  private stat(): string {
    return this.files
      .map((f) => {
        try {
          const st = statSync(f);
          return `${st.ino}:${st.size}:${st.mtimeMs}:${st.mode}`;
        } catch {
          return 'missing';
        }
      })
      .join('|');
  }

  private report(e: unknown): void {
    const err = e instanceof TrustError ? e : new TrustError(TrustErrorCode.PemInvalid, `${this.options.certsDir}: reload failed`);
    // An 'error' event without a listener would throw and kill a healthy service; warn instead.
    if (this.listenerCount('error') > 0) this.emit('error', err);
    else process.emitWarning(`trust store kept previous material: ${err.message}`);
  }
}

function sameMaterial(a: TlsMaterial, b: TlsMaterial): boolean {
  return a.certPem === b.certPem && a.keyPem === b.keyPem && a.caPem === b.caPem && a.crlPem === b.crlPem;
}

/** Loads (throwing a TrustError naming the file on bad material) and starts watching. */
export function openTrustStore(options: TrustStoreOptions): TrustStore {
  return new TrustStore(options);
}
