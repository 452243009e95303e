export * from './test-site';
