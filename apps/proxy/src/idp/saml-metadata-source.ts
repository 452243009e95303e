import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { MAX_METADATA_CHARS, parseIdpMetadata } from './saml-metadata';

/**
 * `samlMetadataIDP` may name where the IdP publishes its metadata instead of holding the document
 * (trustzone's extension: Qlik's field takes the uploaded document only). The proxy fetches it:
 * https only (http to a loopback IdP, for tests), no redirects, at most MAX_METADATA_CHARS, within
 * `timeoutMs`; a document is kept only once it parses as IdP metadata (parseIdpMetadata), and is
 * fetched again after `refreshMs` (the IdP's rotated signing certificate arrives that way). Fails
 * closed: when the document cannot be had — first fetch or a refresh — logins through that virtual
 * proxy are refused with the reason until a fetch succeeds (tried again at most every `retryMs`),
 * never served from a copy older than `refreshMs`.
 */
export interface MetadataSourceOptions {
  refreshMs?: number;
  retryMs?: number;
  timeoutMs?: number;
  /** Extra CA certificates (PEM) trusted for the metadata URL, on top of Node's (tests; operators use NODE_EXTRA_CA_CERTS). */
  ca?: string;
  now?: () => number;
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);
const MAX_URLS = 256;

/** True when the setting is a URL rather than a document. */
export const isMetadataUrl = (setting: string) => /^https?:\/\//i.test(setting.trimStart());

/** Why a metadata URL is not acceptable, or null. */
export function metadataUrlProblem(text: string): string | null {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return 'is not a URL';
  }
  if (text.length > 2048) return 'URL is longer than 2048 characters';
  if (u.username !== '' || u.password !== '' || u.hash !== '') return 'URL must not carry credentials or a fragment';
  if (u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname))) return null;
  return 'URL must be https (http only to a loopback IdP)';
}

/** The metadata a setting names cannot be had now (the message says why, for logs). */
export class MetadataUnavailableError extends Error {
  override readonly name = 'MetadataUnavailableError';
}

interface Entry {
  at: number;
  xml?: string;
  error?: string;
  pending?: Promise<string>;
}

export class IdpMetadataSource {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly o: MetadataSourceOptions = {}) {}

  /** The metadata document a setting stands for: the setting itself, or what its URL serves now. Rejects with the reason. */
  async document(setting: string): Promise<string> {
    if (!isMetadataUrl(setting)) return setting;
    const url = setting.trim();
    const now = (this.o.now ?? Date.now)();
    const e = this.entries.get(url);
    if (e?.pending) return e.pending;
    if (e?.xml !== undefined && now - e.at < (this.o.refreshMs ?? 3_600_000)) return e.xml;
    if (e?.error !== undefined && now - e.at < (this.o.retryMs ?? 30_000)) throw new MetadataUnavailableError(e.error);
    if (!e && this.entries.size >= MAX_URLS) this.entries.clear();
    const pending = this.fetch(url);
    this.entries.set(url, { at: now, pending });
    try {
      const xml = await pending;
      this.entries.set(url, { at: (this.o.now ?? Date.now)(), xml });
      return xml;
    } catch (err) {
      const error = `samlMetadataIDP: the metadata at ${url} could not be read: ${err instanceof Error ? err.message : String(err)}`;
      this.entries.set(url, { at: (this.o.now ?? Date.now)(), error });
      throw new MetadataUnavailableError(error);
    }
  }

  private fetch(url: string): Promise<string> {
    const problem = metadataUrlProblem(url);
    if (problem) return Promise.reject(new Error(problem));
    const u = new URL(url);
    const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<string>((resolve, reject) => {
      const req = send(u, { method: 'GET', headers: { Accept: 'application/samlmetadata+xml, application/xml, text/xml' }, timeout: this.o.timeoutMs ?? 10_000, ...(this.o.ca && u.protocol === 'https:' ? { ca: this.o.ca } : {}) }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`HTTP ${res.statusCode ?? 0}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_METADATA_CHARS) req.destroy(new Error(`larger than ${MAX_METADATA_CHARS} bytes`));
          else chunks.push(c);
        });
        res.on('end', () => {
          const xml = Buffer.concat(chunks).toString('utf8');
          const parsed = parseIdpMetadata(xml);
          if (typeof parsed === 'string') reject(new Error(`the document ${parsed}`));
          else resolve(xml);
        });
        res.on('error', reject);
      });
      // A whole-call deadline (the socket timeout alone lets an IdP trickle bytes for ever).
      const deadline = setTimeout(() => req.destroy(new Error(`no complete answer within ${this.o.timeoutMs ?? 10_000} ms`)), this.o.timeoutMs ?? 10_000);
      req.on('close', () => clearTimeout(deadline));
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.o.timeoutMs ?? 10_000} ms`)));
      req.on('error', reject);
      req.end();
    });
  }
}
