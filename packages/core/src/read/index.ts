// The read side: what an operator's tool (the `hangar` CLI) and the waiting metrics derive from
// the streams. Pure derivations (histories → stories, reasons, reports) plus the few key
// lookups and index queries they need (queries.ts, read-streams.ts).
export * from './histories';
export * from './wait-reason-types';
export * from './wait-reason';
export * from './runner-wait-reason';
export * from './job-story';
export * from './runner-story';
export * from './waiting';
export * from './pool-report';
export * from './read-streams';
export * from './queries';
