// Jest 30 in native ESM mode (Octokit is ESM-only): run through `pnpm jest`, which sets
// --experimental-vm-modules. @swc/jest strips types; `tsc -b` type-checks separately.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
    ],
  },
  testMatch: [
    '<rootDir>/packages/*/src/**/*.spec.ts',
    '<rootDir>/infra/test/**/*.spec.ts',
    '<rootDir>/scripts/test/**/*.spec.ts',
    '<rootDir>/bench/**/*.spec.ts',
  ],
  // Longest files first even without jest's cache (a fresh clone): see the sequencer.
  testSequencer: '<rootDir>/packages/test-support/src/jest/slowest-first-sequencer.mjs',
  globalSetup: '<rootDir>/packages/test-support/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/packages/test-support/src/jest/global-teardown.ts',
  testTimeout: 60000,
};
