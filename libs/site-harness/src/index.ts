export * from './site-processes';
export * from './site-client';
