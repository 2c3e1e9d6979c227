import type { IsoTime, RunnerId } from '../shared/brand';

/**
 * One secret per runner (its JIT config or registration token), read once by the runner's
 * machine and then deleted.
 *
 * Contract: `put` overwrites (a retried issue replaces the old config); `delete` of a
 * missing secret succeeds; `list` returns every stored runner secret with its age, for the
 * reconciler to remove those never read. Throttling is retried inside the adapter.
 */
export interface SecretStore {
  /** The path a runner reads its own secret from; passed to the machine at launch. */
  pathFor(runnerId: RunnerId): string;
  put(runnerId: RunnerId, value: string): Promise<void>;
  get(runnerId: RunnerId): Promise<string | null>;
  delete(runnerId: RunnerId): Promise<void>;
  list(): Promise<readonly { readonly runnerId: RunnerId; readonly storedAt: IsoTime }[]>;
}
