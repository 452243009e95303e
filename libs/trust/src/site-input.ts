import { isIP } from 'node:net';
import { isDnsName } from './certificate-issuer';
import { TrustError, TrustErrorCode } from './trust.error';

const SITE_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;
/** Qlik's `DIRECTORY\userid`: no control characters, no second backslash. */
const ADMIN = /^[^\\\s\p{Cc}]{1,64}\\[^\\\p{Cc}]{1,128}$/u;
const MAX_HOSTS = 32;

function invalid(message: string): TrustError {
  return new TrustError(TrustErrorCode.InvalidArgument, message);
}

export function validateSiteName(name: string): string {
  if (!SITE_NAME.test(name)) throw invalid(`site name must be 1-64 characters of letters, digits, space, '.', '_' or '-': ${JSON.stringify(name.slice(0, 80))}`);
  return name;
}

export function validateAdmin(admin: string): string {
  if (!ADMIN.test(admin)) throw invalid(`admin must look like DIRECTORY\\userid: ${JSON.stringify(admin.slice(0, 80))}`);
  return admin;
}

/** Lower-cased, de-duplicated DNS names or IP addresses; anything else is refused, not dropped. */
export function normalizeHosts(hosts: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of hosts) {
    const h = raw.trim().toLowerCase();
    if (h === '') continue;
    if (isIP(h) === 0 && !isDnsName(h)) throw invalid(`not a host name or IP address: ${JSON.stringify(raw.slice(0, 80))}`);
    if (!out.includes(h)) out.push(h);
  }
  if (out.length > MAX_HOSTS) throw invalid(`at most ${MAX_HOSTS} hosts`);
  return out;
}
