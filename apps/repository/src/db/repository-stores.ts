import { type AppObjectStore, createAppObjectStore } from './app-object-store';
import { type AppStore, createAppStore } from './app-store';
import { createCustomPropertyDefinitionStore, type CustomPropertyDefinitionStore } from './custom-property-definition-store';
import { createDataConnectionStore, type DataConnectionStore } from './data-connection-store';
import type { DbClient } from './db-client';
import type { SecretBox } from '../secrets/secret-box';
import { createIntegrationCertificateStore, type IntegrationCertificateStore } from './integration-certificate-store';
import { createRuleDataLoader, type RuleDataLoader } from './rule-data-loader';
import { createSecurityRuleStore, type SecurityRuleStore } from './security-rule-store';
import { createUserDirectoryStore, type UserDirectoryStore } from './user-directory-store';
import { createServerNodeStore, type ServerNodeStore } from './server-node-store';
import { createStreamStore, type StreamStore } from './stream-store';
import { createTagStore, type TagStore } from './tag-store';
import { createUserStore, type UserStore } from './user-store';
import { createVirtualProxyStore, type VirtualProxyStore } from './virtual-proxy-store';
import { createReloadTaskStore, type ReloadTaskStore } from './reload-task-store';
import { createSchemaEventStore, type SchemaEventStore } from './schema-event-store';
import { createCompositeEventStore, type CompositeEventStore } from './composite-event-store';
import { createExecutionResultStore, type ExecutionResultStore } from './execution-result-store';
import { createSchedulerLeaseStore, type SchedulerLeaseStore } from './scheduler-lease-store';
import { createSchedulerStore, type SchedulerStore } from './scheduler-store';
import { createDownloadTicketStore, type DownloadTicketStore } from './download-ticket-store';

/** One typed store per entity type, plus the batch loaders the rule engine needs. */
export interface RepositoryStores {
  users: UserStore;
  streams: StreamStore;
  apps: AppStore;
  appObjects: AppObjectStore;
  securityRules: SecurityRuleStore;
  customPropertyDefinitions: CustomPropertyDefinitionStore;
  tags: TagStore;
  dataConnections: DataConnectionStore;
  virtualProxies: VirtualProxyStore;
  serverNodes: ServerNodeStore;
  userDirectories: UserDirectoryStore;
  integrationCertificates: IntegrationCertificateStore;
  ruleData: RuleDataLoader;
  reloadTasks: ReloadTaskStore;
  schemaEvents: SchemaEventStore;
  compositeEvents: CompositeEventStore;
  executionResults: ExecutionResultStore;
  schedulerLeases: SchedulerLeaseStore;
  scheduler: SchedulerStore;
  downloadTickets: DownloadTicketStore;
}

/** `secrets` seals the secrets some entities keep (an OIDC client secret); without it they cannot be stored. */
export function createRepositoryStores(db: DbClient, options: { secrets?: SecretBox } = {}): RepositoryStores {
  return {
    users: createUserStore(db),
    streams: createStreamStore(db),
    apps: createAppStore(db),
    appObjects: createAppObjectStore(db),
    securityRules: createSecurityRuleStore(db),
    customPropertyDefinitions: createCustomPropertyDefinitionStore(db),
    tags: createTagStore(db),
    dataConnections: createDataConnectionStore(db),
    virtualProxies: createVirtualProxyStore(db, options.secrets),
    serverNodes: createServerNodeStore(db),
    userDirectories: createUserDirectoryStore(db),
    integrationCertificates: createIntegrationCertificateStore(db),
    ruleData: createRuleDataLoader(db),
    reloadTasks: createReloadTaskStore(db),
    schemaEvents: createSchemaEventStore(db),
    compositeEvents: createCompositeEventStore(db),
    executionResults: createExecutionResultStore(db),
    schedulerLeases: createSchedulerLeaseStore(db),
    scheduler: createSchedulerStore(db),
    downloadTickets: createDownloadTicketStore(db),
  };
}
