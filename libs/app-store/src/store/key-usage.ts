import { readdir } from 'node:fs/promises';
import { appIdFromFileName } from '../app-id';
import { AppStoreError } from '../app-store.error';
import { readAppHeader } from './app-store';

export interface KeyUsage {
  /** App ids per key thumbprint. */
  byKey: Map<string, string[]>;
  checksummed: string[];
  /** Apps whose header could not be read, with the reason code. */
  unreadable: Array<{ appId: string; code: string }>;
}

/** Which key each app is under, from headers only: `tz keys list` shows it, `tz keys remove` checks it. */
export async function appKeyUsage(appsDir: string): Promise<KeyUsage> {
  const usage: KeyUsage = { byKey: new Map(), checksummed: [], unreadable: [] };
  const ids = (await readdir(appsDir)).map(appIdFromFileName).filter((id): id is string => id !== undefined).sort();
  for (const appId of ids) {
    try {
      const info = await readAppHeader(appsDir, appId);
      if (info.thumbprint === undefined) usage.checksummed.push(appId);
      else usage.byKey.set(info.thumbprint, [...(usage.byKey.get(info.thumbprint) ?? []), appId]);
    } catch (error) {
      if (!(error instanceof AppStoreError)) throw error;
      usage.unreadable.push({ appId, code: error.code });
    }
  }
  return usage;
}
