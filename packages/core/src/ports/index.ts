export * from './event-store';
export * from './compute-provider';
export * from './runner-registry';
export * from './secret-store';
export * from './message-queue';
export * from './runtime';
export * from './stream-history';
