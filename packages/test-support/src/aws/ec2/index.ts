// Loopback EC2 emulator for specs: real EC2Client → http://127.0.0.1:<port>.
export { startEc2Emulator } from './ec2-emulator';
export type {
  CapacityRule,
  Ec2EmulatorHandle,
  Ec2EmulatorOptions,
  Ec2Instance,
  Ec2InstanceState,
  Ec2LaunchTemplate,
  Ec2Market,
  Ec2StateChange,
} from './types';
export type { QueryObject, QueryValue } from './query';
export { acceptedThenThrottled, type FaultSpec } from '../shared/faults';
