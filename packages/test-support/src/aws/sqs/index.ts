export { startSqsS3 } from './fauxqs';
export type { SqsS3Emulator } from './fauxqs';
