// Test-only helper: node:crypto cannot build X.509 certificates, so tests use node-forge here;
// library code reads certificates with node:crypto's X509Certificate only.
import forge from 'node-forge';
import { generateKeyPairSync, randomBytes } from 'node:crypto';

export interface TestCertificate {
  certPem: string;
  keyPem: string;
}

export function createTestCertificate(options: { commonName?: string; bits?: number; notAfter?: Date } = {}): TestCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: options.bits ?? 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 365 * 24 * 3600_000);
  const subject = [{ name: 'commonName', value: options.commonName ?? 'test' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKey };
}
