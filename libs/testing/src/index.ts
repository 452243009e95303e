export * from './test-site';
export * from './site-processes';
