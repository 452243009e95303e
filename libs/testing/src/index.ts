export * from './test-site';
export * from './test-certificate';
