// moto (the app behind python3 -m moto.server), an AWS emulator written by others, for specs
// that check our adapters against an independent implementation. Jest's global setup starts
// one for the whole run; suites reach it through `describeWithMoto` / `motoEndpoint`.
export { motoAvailability, setMotoTransition, startMoto } from './moto-server';
export type { MotoAvailability, MotoServer } from './moto-server';
export { describeWithMoto, motoEndpoint, sharedMoto } from './shared-moto';
