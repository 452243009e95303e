export * from './loaded-table';
