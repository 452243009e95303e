import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createCa } from './certificate-authority';
import { createCrl } from './crl-builder';
import { recordOf, type IssuedRecord, type IssuedRegistry } from './issued-registry';
import { generateRsaKeyPair } from './key-pair';
import { SERVICE_NAMES } from './service-identity';
import { issueClientFacingCertificate, issueIntegrationCertificate, issueServiceCertificate, CLI_INTEGRATION_NAME } from './site-certificates';
import { ensureDir, writeFileAtomic } from './site-files';
import { normalizeHosts, validateAdmin, validateSiteName } from './site-input';
import { CERT_FILE_MODE, KEY_FILE_MODE, SITE_DIRS, sitePaths, type SitePaths } from './site-layout';
import { writeSiteManifest, type SiteManifest } from './site-manifest';
import { TrustError, TrustErrorCode } from './trust.error';

export interface InitSiteOptions {
  dataDir: string;
  siteName: string;
  hosts: readonly string[];
  admin: string;
  force?: boolean;
  serviceValidityDays?: number;
}

export interface InitializedSite {
  manifest: SiteManifest;
  paths: SitePaths;
  issued: IssuedRecord[];
}

interface PendingFile {
  /** Path relative to the data dir: `certs/<name>.pem`, `private/<name>/<name>_key.pem`. */
  name: string;
  data: string;
  mode: number;
}

/**
 * Creates a site: CAs, service/CLI/client-facing certs, empty CRL, registry, empty data dirs, then
 * site.json last (its presence marks a complete site). Without `force` an existing site is refused
 * before anything is touched. With `force` the certs directory is replaced in one rename; db/,
 * apps/, keys/ and audit/ are kept (they hold data, not trust) for the init hooks to decide on.
 */
export async function initSite(options: InitSiteOptions): Promise<InitializedSite> {
  const siteName = validateSiteName(options.siteName);
  const hosts = normalizeHosts(options.hosts);
  const admin = validateAdmin(options.admin);
  const paths = sitePaths(options.dataDir);
  if (!options.force && siteExists(paths)) {
    throw new TrustError(TrustErrorCode.SiteExists, `${paths.dataDir}: a site already exists; use --force to recreate it (this replaces every certificate)`, paths.siteJson);
  }

  const manifest: SiteManifest = { version: 1, siteId: randomUUID(), siteName, createdAt: new Date().toISOString(), hosts, admin };
  // All seven keys at once: node generates them in the libuv pool, which is what keeps init < 2 s.
  const [rootKeys, cfCaKeys, cfKeys, cliKeys, ...serviceKeys] = await Promise.all(Array.from({ length: 4 + SERVICE_NAMES.length }, () => generateRsaKeyPair()));
  const root = await createCa({ commonName: `${siteName}-CA`, keyPair: rootKeys! });
  const cfCa = await createCa({ commonName: `${siteName}-client-facing-CA`, keyPair: cfCaKeys! });
  const days = options.serviceValidityDays === undefined ? {} : { validityDays: options.serviceValidityDays };
  const services = await Promise.all(SERVICE_NAMES.map((s, i) => issueServiceCertificate(root, manifest, s, { ...days, keyPair: serviceKeys[i]! })));
  const cli = await issueIntegrationCertificate(root, manifest, CLI_INTEGRATION_NAME, { keyPair: cliKeys! });
  const cf = await issueClientFacingCertificate(cfCa, manifest, { keyPair: cfKeys! });

  const issued: IssuedRecord[] = [
    recordOf('root', 'ca', 'root', root),
    recordOf('client-facing-ca', 'ca', 'client-facing-ca', cfCa),
    recordOf('client-facing', 'client-facing', 'client-facing-ca', cf),
    ...services.map((c, i) => recordOf(SERVICE_NAMES[i]!, 'service', 'root', c, c.identity)),
    recordOf(CLI_INTEGRATION_NAME, 'integration', 'root', cli, cli.identity),
  ];
  const files: PendingFile[] = [
    ...pair('root', root),
    ...pair('client-facing-ca', cfCa),
    ...pair('client-facing', cf),
    ...services.flatMap((c, i) => pair(SERVICE_NAMES[i]!, c)),
    ...pair('cli', cli),
    { name: 'certs/crl.pem', data: createCrl(root, [], { crlNumber: 1 }), mode: CERT_FILE_MODE },
    { name: 'certs/issued.json', data: `${JSON.stringify({ version: 1, crlNumber: 1, certificates: issued } satisfies IssuedRegistry, null, 2)}\n`, mode: CERT_FILE_MODE },
  ];

  mkdirSync(paths.dataDir, { recursive: true, mode: 0o750 });
  replaceTrustDirs(paths, files);
  for (const [dir, mode] of Object.entries(SITE_DIRS)) if (dir !== 'certs' && dir !== 'private') ensureDir(join(paths.dataDir, dir), mode);
  writeSiteManifest(paths.siteJson, manifest);
  return { manifest, paths, issued };
}

function pair(name: string, c: { certPem: string; keyPem: string }): PendingFile[] {
  return [
    { name: `certs/${name}.pem`, data: c.certPem, mode: CERT_FILE_MODE },
    { name: `private/${name}/${name}_key.pem`, data: c.keyPem, mode: KEY_FILE_MODE },
  ];
}

function siteExists(paths: SitePaths): boolean {
  if (existsSync(paths.siteJson)) return true;
  try {
    return readdirSync(paths.certs).length > 0;
  } catch {
    return false;
  }
}

/**
 * Stages the new certs/ and private/ dirs beside the old ones and swaps each in with renames, so
 * no mix of old and new files is ever visible within one of them. Keys a site kept in certs/
 * before the private/ split go with the old certs/ dir.
 */
function replaceTrustDirs(paths: SitePaths, files: PendingFile[]): void {
  const tag = randomBytes(6).toString('hex');
  const dirs = [{ live: paths.certs, mode: SITE_DIRS.certs, prefix: 'certs/' }, { live: paths.private, mode: SITE_DIRS.private, prefix: 'private/' }];
  const staged = dirs.map((d) => ({ ...d, staging: `${d.live}.new-${tag}` }));
  try {
    for (const d of staged) {
      ensureDir(d.staging, d.mode);
      for (const f of files.filter((x) => x.name.startsWith(d.prefix))) {
        const target = join(d.staging, f.name.slice(d.prefix.length));
        ensureDir(dirname(target), d.mode);
        writeFileAtomic(target, f.data, f.mode);
      }
    }
    for (const d of staged) {
      const old = `${d.live}.old-${tag}`;
      const hadOld = existsSync(d.live);
      if (hadOld) renameSync(d.live, old);
      renameSync(d.staging, d.live);
      if (hadOld) rmSync(old, { recursive: true, force: true });
    }
  } catch (e) {
    for (const d of staged) rmSync(d.staging, { recursive: true, force: true });
    throw e;
  }
}
