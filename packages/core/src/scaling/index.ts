export * from './views';
export * from './label-matching';
export * from './cron';
export * from './schedule';
export * from './idle-schedule';
export * from './pool-sizing';
export * from './scale-down';
export * from './reconcile';
