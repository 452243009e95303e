export * from './service-host';
export * from './site-supervisor';
export * from './wait-for-health';
export * from './metrics';
export * from './metrics-server';
export * from './process-metrics';
export * from './disk-space';
export * from './audit-signers';
