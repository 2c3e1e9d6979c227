export { startSsmEmulator } from './ssm-emulator';
export type { SsmCall, SsmEmulator, SsmEmulatorOptions, SsmFault } from './ssm-emulator';
export type { ParameterTier, ParameterType, StoredParameter } from './ssm-store';
