import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { revokeCert } from './cert-revocation';
import { rotateServiceCert } from './cert-rotation';
import { identityAllowList } from './service-identity';
import { loadTlsMaterial } from './tls-material';
import { clientTlsOptions } from './tls-options';
import { openTrustStore, type TrustStore } from './trust-store';
import { bindServerToTrustStore, verifyTlsSocketPeer } from './trust-store-server';
import { TrustError, TrustErrorCode } from './trust.error';
import { cloneTempSite, type TempSite } from './test-support/temp-site';
import { clientCertVerifyError, probe, startProbeServer, type ProbeServer, type ProbeResult } from './test-support/tls-probe';
import { normalizeSerial } from './pem';
import { createCa } from './certificate-authority';
import { issueCertificate } from './certificate-issuer';
import { writeFileAtomic } from './site-files';

let site: TempSite;
let store: TrustStore;
let server: ProbeServer;

beforeEach(async () => {
  site = await cloneTempSite();
  store = openTrustStore({ certsDir: site.paths.certs, name: 'repository' });
  server = await startProbeServer(store.serverTlsOptions({ requireClientCert: true }), (s) => verifyTlsSocketPeer(s, store));
  bindServerToTrustStore(server.server, store, { requireClientCert: true });
});

afterEach(async () => {
  await server.close();
  store.close();
  site.cleanup();
});

function asProxy() {
  return clientTlsOptions(loadTlsMaterial({ certsDir: site.paths.certs, name: 'proxy' }), { expect: identityAllowList(['repository']) });
}

/** Probes every 100 ms until `done` holds; returns the elapsed time. */
async function until(done: (r: ProbeResult) => boolean, options: ReturnType<typeof asProxy>, limitMs = 8000): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < limitMs) {
    if (done(await probe(server.port, options))) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not reached within ${limitMs} ms`);
}

function nextError(s: TrustStore): Promise<TrustError> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no error event')), 5000);
    s.once('error', (e) => {
      clearTimeout(t);
      resolve(e);
    });
  });
}

describe('TrustStore on a running listener', () => {
  it('enforces a revoke on new connections within 5 s, without restarting the server', async () => {
    const client = asProxy();
    expect((await probe(server.port, client)).accepted).toBe(true);
    const proxySerial = normalizeSerial(new X509Certificate(readFileSync(site.paths.cert('proxy'))).serialNumber);
    const { revoked } = await revokeCert(site.paths.dataDir, 'proxy', { includeCurrent: true });
    expect(revoked.map((r) => r.serial)).toEqual([proxySerial]);
    const elapsed = await until((r) => !r.accepted, client);
    expect(elapsed).toBeLessThan(5000);
    expect(store.revokedSerials().has(proxySerial)).toBe(true);
    // refused by OpenSSL itself (the CRL in the swapped context), not only by verifyPeer
    expect(await clientCertVerifyError(store.serverTlsOptions({ requireClientCert: true }), client)).toBe('CERT_REVOKED');
    expect(store.verifyPeer(readFileSync(site.paths.cert('proxy'), 'utf8'))).toMatchObject({ ok: false, code: TrustErrorCode.PeerRevoked });
  });

  it('presents the rotated certificate on the next connections', async () => {
    const before = await probe(server.port, asProxy());
    const rotated = await rotateServiceCert(site.paths.dataDir, 'repository');
    expect(before.accepted && normalizeSerial(before.serverSerial)).toBe(rotated.previousSerial);
    expect(rotated.serial).not.toBe(rotated.previousSerial);
    const elapsed = await until((r) => r.accepted && normalizeSerial(r.serverSerial) === rotated.serial, asProxy());
    expect(elapsed).toBeLessThan(5000);
    expect(store.current().serial).toBe(rotated.serial);
  });

  it('keeps the old material and reports an error when the new certificate is malformed', async () => {
    const serial = store.current().serial;
    const error = nextError(store);
    writeFileSync(site.paths.cert('repository'), '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n');
    const e = await error;
    expect(e.code).toBe(TrustErrorCode.PemInvalid);
    expect(e.message).toContain(site.paths.cert('repository'));
    expect(store.current().serial).toBe(serial);
    const r = await probe(server.port, asProxy());
    expect(r.accepted && normalizeSerial(r.serverSerial)).toBe(serial);
  });

  it('keeps the old material when the new certificate does not match the key', async () => {
    const serial = store.current().serial;
    const error = nextError(store);
    writeFileSync(site.paths.cert('repository'), readFileSync(site.paths.cert('engine')));
    expect((await error).code).toBe(TrustErrorCode.KeyMismatch);
    expect(store.current().serial).toBe(serial);
  });

  // Regression (npm run chaos, "clock skew of a service certificate"): a certificate issued on a host
  // whose clock ran two hours ahead was swapped in, and every call of the service then stalled on TLS
  // handshakes its peers refused, with no log line naming the certificate.
  it('keeps the old material and names the certificate when the new one is not valid yet (issuer clock ahead)', async () => {
    const serial = store.current().serial;
    const error = nextError(store);
    const ahead = new Date(Date.now() + 2 * 3600_000);
    const skewed = await issueCertificate({ ca: site.root, commonName: 'repository', identity: { kind: 'service', siteId: site.manifest.siteId, service: 'repository' }, dnsNames: ['localhost'], usage: ['serverAuth', 'clientAuth'], notBefore: ahead, validityDays: 30 });
    writeFileAtomic(site.paths.key('repository'), skewed.keyPem, 0o600);
    writeFileAtomic(site.paths.cert('repository'), skewed.certPem, 0o644);
    const e = await error;
    expect(e.code).toBe(TrustErrorCode.PeerNotYetValid);
    expect(e.message).toContain(site.paths.cert('repository'));
    expect(e.message).toContain(`is not valid before ${new Date(Math.floor(ahead.getTime() / 1000) * 1000).toISOString()}`);
    expect(store.current().serial).toBe(serial);
    const r = await probe(server.port, asProxy());
    expect(r.accepted && normalizeSerial(r.serverSerial)).toBe(serial);
  });

  it('keeps the old material when the key file becomes readable by others', async () => {
    const error = nextError(store);
    chmodSync(site.paths.key('repository'), 0o644);
    const e = await error;
    expect(e.code).toBe(TrustErrorCode.KeyFileUnsafe);
    expect(e.message).toContain(site.paths.key('repository'));
  });
});

describe('TrustStore without fs.watch', () => {
  it('still sees a revoke through the stat poll alone', async () => {
    const polled = openTrustStore({ certsDir: site.paths.certs, name: 'engine', watch: false, pollMs: 1000 });
    try {
      const changed = new Promise<number>((resolve) => polled.once('change', () => resolve(Date.now())));
      const { revoked } = await revokeCert(site.paths.dataDir, 'proxy', { includeCurrent: true });
      const start = Date.now();
      expect((await changed) - start).toBeLessThan(2500);
      expect(polled.revokedSerials().has(revoked[0]!.serial)).toBe(true);
    } finally {
      polled.close();
    }
  });
});

describe('loading key material', () => {
  it('refuses a key file with mode 0644 and names the file and the expected mode', () => {
    chmodSync(site.paths.key('engine'), 0o644);
    let caught: unknown;
    try {
      openTrustStore({ certsDir: site.paths.certs, name: 'engine' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TrustError);
    expect((caught as TrustError).code).toBe(TrustErrorCode.KeyFileUnsafe);
    expect((caught as TrustError).message).toContain(site.paths.key('engine'));
    expect((caught as TrustError).message).toContain('0600');
  });

  it('names the missing file', () => {
    expect(() => loadTlsMaterial({ certsDir: site.paths.certs, name: 'nosuch' })).toThrow(site.paths.key('nosuch'));
  });
});

describe('the client-facing TrustStore', () => {
  it('takes an operator certificate from another CA without restart (its CA is not pinned)', async () => {
    const cf = openTrustStore({ certsDir: site.paths.certs, name: 'client-facing', pollMs: 100 });
    try {
      const corporate = await createCa({ commonName: 'Corporate Issuing CA' });
      const issued = await issueCertificate({ ca: corporate, commonName: 'tz.test', dnsNames: ['tz.test'], usage: ['serverAuth'] });
      const changed = new Promise<void>((r) => cf.once('change', () => r()));
      writeFileAtomic(site.paths.cert('client-facing-ca'), corporate.certPem, 0o644);
      writeFileAtomic(site.paths.key('client-facing'), issued.keyPem, 0o600);
      writeFileAtomic(site.paths.cert('client-facing'), issued.certPem, 0o644);
      await changed;
      await new Promise((r) => setTimeout(r, 500)); // the key and certificate may arrive in two reloads
      expect(cf.current().serial).toBe(issued.serial);
      expect(cf.current().untrustedCas).toEqual([]);
    } finally {
      cf.close();
    }
  });
});
