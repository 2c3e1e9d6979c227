export { runCli, type CliIo } from './cli';
export { parseJobRef } from './job-ref';
export { targetFromOutputs } from './terraform';
