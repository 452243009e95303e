export * from './site-processes';
