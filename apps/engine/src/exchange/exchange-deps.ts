import type { X509Certificate } from 'node:crypto';
import type { AppStore, KeyStore } from '@trustzone/app-store';
import type { RepositoryDefinition, TrustZoneClient } from '@trustzone/contracts';
import type { Logger } from '@trustzone/logging';
import type { AppLibrary } from '../apps/app-library';

/** What export and import need from the engine. */
export interface ExchangeDeps {
  library: AppLibrary;
  store: AppStore;
  keyStore: KeyStore;
  repository: TrustZoneClient<RepositoryDefinition>;
  logger: Logger;
  deadlineMs: number;
  /** This site: its id and name, and the CA certificates its own engines are issued by. */
  site: () => { siteId: string; siteName: string; cas: readonly X509Certificate[] };
  /** This engine's certificate and key (the trust store's current material: rotation is followed). */
  signer: () => { certPem: string; keyPem: string };
  exchangeDir: string;
  maxImportBytes: number;
}
