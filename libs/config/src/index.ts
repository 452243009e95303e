export * from './env-config';
export * from './version';
export * from './service-runtime';
export * from './common-keys';
export * from './secret-file';
export * from './durable-files';
export * from './cidr';
