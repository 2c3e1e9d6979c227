// Test doubles and contract suites for @hangar/core's ports. Not for production code.
export * from './twins';
