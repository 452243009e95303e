import { AppStoreError, AppStoreErrorCode } from './app-store.error';

/**
 * App ids become file names, so they are an allow-list: letters, digits, `-` and `_`, 1–128 chars
 * (Qlik app ids are GUIDs). Nothing else can reach the file system: no `/`, no `..`, no NUL.
 */
const APP_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function assertAppId(appId: string): void {
  if (typeof appId !== 'string' || !APP_ID.test(appId)) {
    throw new AppStoreError(AppStoreErrorCode.InvalidAppId, 'app id must be 1–128 letters, digits, "-" or "_"');
  }
}

export const APP_FILE_SUFFIX = '.tzapp';
export const appFileName = (appId: string): string => `${appId}${APP_FILE_SUFFIX}`;

export function appIdFromFileName(name: string): string | undefined {
  if (!name.endsWith(APP_FILE_SUFFIX)) return undefined;
  const id = name.slice(0, -APP_FILE_SUFFIX.length);
  return APP_ID.test(id) ? id : undefined;
}
