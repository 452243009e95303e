import { isAppPackage } from '@trustzone/app-store';

export type UploadKind = 'trustzone' | 'qlik' | 'unknown';

/**
 * What an upload is, from its first bytes and its name. trustzone reads only its own export
 * format (magic "TZAX"). Qlik's .qvf is proprietary and undocumented, so it is recognised by what a
 * client tells about it (a name or file name ending in .qvf/.qvw) and otherwise falls under
 * "unknown"; both are refused with a message that says why (docs/operations.md).
 */
export function classifyUpload(first: Uint8Array, name: string): UploadKind {
  if (isAppPackage(first)) return 'trustzone';
  if (/\.(qvf|qvw)$/i.test(name.trim())) return 'qlik';
  return 'unknown';
}

export function uploadRefusal(kind: Exclude<UploadKind, 'trustzone'>): string {
  return kind === 'qlik'
    ? 'Qlik Sense .qvf files are not supported: the format is proprietary. Export the app from a trustzone site (POST /qrs/app/{id}/export/{token}) and upload that file'
    : 'not a trustzone app export (a Qlik .qvf or any other file is not supported): upload a file exported from a trustzone site (POST /qrs/app/{id}/export/{token})';
}
