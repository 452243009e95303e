import { z } from 'zod';
import { isSiteId } from './service-identity';
import { readSmallFile, writeFileAtomic } from './site-files';
import { TrustError, TrustErrorCode } from './trust.error';

/** `<data>/site.json`: written last by init, so its presence marks a complete site. */
export const siteManifestSchema = z.object({
  version: z.literal(1),
  siteId: z.string().refine(isSiteId, 'siteId must be a lowercase UUID'),
  siteName: z.string().min(1).max(64),
  createdAt: z.iso.datetime(),
  hosts: z.array(z.string().min(1).max(253)).max(32),
  admin: z.string().min(3).max(200),
});

export type SiteManifest = z.infer<typeof siteManifestSchema>;

export function readSiteManifest(path: string): SiteManifest {
  let text: string;
  try {
    text = readSmallFile(path, 'site manifest');
  } catch (e) {
    if (e instanceof TrustError && e.code === TrustErrorCode.FileMissing) {
      throw new TrustError(TrustErrorCode.SiteMissing, `${path}: no site here (site.json missing); run 'tz init' first`, path);
    }
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new TrustError(TrustErrorCode.SiteInvalid, `${path}: not valid JSON`, path);
  }
  const parsed = siteManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TrustError(TrustErrorCode.SiteInvalid, `${path}: ${issue ? `${issue.path.join('.') || 'root'}: ${issue.message}` : 'invalid'}`, path);
  }
  return parsed.data;
}

export function writeSiteManifest(path: string, manifest: SiteManifest): void {
  writeFileAtomic(path, `${JSON.stringify(manifest, null, 2)}\n`, 0o644);
}
