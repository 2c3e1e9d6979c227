export { createSsmClient, DEFAULT_SSM_MAX_ATTEMPTS, DEFAULT_SSM_REQUEST_TIMEOUT_MS } from './ssm-client';
export { isRetryableSsmError } from './ssm-errors';
export { SsmParameterReader } from './ssm-parameter-reader';
export type { SsmParameterReaderConfig } from './ssm-parameter-reader';
export { DEFAULT_RUNNER_SECRET_PATH, SsmSecretStore } from './ssm-secret-store';
export type { SsmSecretStoreConfig } from './ssm-secret-store';
export { SECRET_PRINCIPAL_TAG, secretPrincipal } from './secret-principal';
export type { RunnerRoleIds } from './secret-principal';
