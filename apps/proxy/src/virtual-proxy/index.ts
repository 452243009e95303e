export * from './virtual-proxy-config.schema';
export * from './virtual-proxy-selector';
export * from './host-entry';
export * from './reserved-header-names';
