export * from './env-config';
export * from './site-paths';
