export * from './session.types';
export * from './session-store';
export * from './session-id';
export * from './session-cookie';
export * from './memory-session-store';
export * from './redis-session-store';
export * from './session-store.factory';
