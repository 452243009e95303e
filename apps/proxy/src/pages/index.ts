export * from './page-renderer';
export * from './html-escape';
export * from './page-style';
