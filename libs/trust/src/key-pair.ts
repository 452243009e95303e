import { createPrivateKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generate = promisify(generateKeyPair);

export interface KeyPair {
  privateKey: KeyObject;
  /** PKCS#8 PEM, only to be written to a 0600 file; never logged. */
  keyPem: string;
  publicKeyPem: string;
}

/**
 * RSA 2048 from node:crypto: it runs in libuv's thread pool, so several keys are generated in
 * parallel (node-forge's pure-JS keygen takes seconds each). RSA rather than P-256 because
 * node-forge can only build RSA-keyed certificates.
 */
export async function generateRsaKeyPair(modulusLength = 2048): Promise<KeyPair> {
  const { publicKey, privateKey } = await generate('rsa', {
    modulusLength,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKey: createPrivateKey(privateKey), keyPem: privateKey, publicKeyPem: publicKey };
}
