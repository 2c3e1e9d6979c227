// Loopback ECS (Fargate) emulator for specs: real ECSClient → http://127.0.0.1:<port>.
export { startEcsEmulator } from './ecs-emulator';
export { FARGATE_CAPACITY_REASON } from './world';
export type {
  EcsEmulatorHandle,
  EcsEmulatorOptions,
  EcsParams,
  EcsStateChange,
  EcsTask,
  EcsTaskStatus,
  FargateProvider,
} from './types';
export { acceptedThenThrottled, type FaultSpec } from '../shared/faults';
