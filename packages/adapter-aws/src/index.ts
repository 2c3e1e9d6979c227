export * from './ssm/index';
