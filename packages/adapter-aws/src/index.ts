export * from './ssm/index';
export * from './compute/index';
