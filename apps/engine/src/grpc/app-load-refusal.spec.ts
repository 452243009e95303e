import { AppStoreError, AppStoreErrorCode } from '@trustzone/app-store';
import { describe, expect, it } from 'vitest';
import { appLoadRefusal } from './app-load-refusal';

const APP = 'c3a1b7de-0000-4000-8000-000000000001';
const failure = (code: AppStoreErrorCode) =>
  new AppStoreError(code, `app ${APP}: failed in /data/apps/${APP}.tzapp`, { appId: APP, file: `/data/apps/${APP}.tzapp`, thumbprint: 'ab'.repeat(32) });

describe('app load refusal (what a QIX client is told)', () => {
  it('names the app and the kind of failure, keeping paths and thumbprints for the audit reason', () => {
    const cases: Array<[AppStoreErrorCode, RegExp]> = [
      [AppStoreErrorCode.AuthFailed, /integrity check failed/],
      [AppStoreErrorCode.PayloadChecksum, /integrity check failed/],
      [AppStoreErrorCode.LegacyFormat, /not authenticated by this site .*tz apps authenticate/],
      [AppStoreErrorCode.HeaderChecksum, /integrity check failed/],
      [AppStoreErrorCode.Truncated, /integrity check failed/],
      [AppStoreErrorCode.UnknownKey, /decryption key is not available/],
      [AppStoreErrorCode.KeyStoreMissing, /decryption key is not available/],
      [AppStoreErrorCode.UnwrapFailed, /data key could not be unwrapped/],
    ];
    for (const [code, kind] of cases) {
      const refusal = appLoadRefusal(APP, failure(code));
      expect(refusal).toMatchObject({ code: 1003, message: 'App could not be opened' });
      expect(refusal.parameter.startsWith(`${APP}: `)).toBe(true);
      expect(refusal.parameter).toMatch(kind);
      expect(refusal.parameter).not.toMatch(/\/data|abab/);
      expect(refusal.reason).toContain('/data/apps/');
    }
  });

  it('keeps "App not found" for an app without a file, and stays generic for anything else', () => {
    expect(appLoadRefusal(APP, failure(AppStoreErrorCode.NotFound))).toMatchObject({ code: 1003, message: 'App not found', parameter: 'App not found' });
    expect(appLoadRefusal(APP, new Error('ENOMEM somewhere'))).toMatchObject({ code: 1003, parameter: `${APP}: the app could not be loaded`, reason: 'ENOMEM somewhere' });
  });
});
