import type { ComputeKind } from '../config/pool-config';
import type { InstanceId, IsoTime, RunnerId } from '../shared/brand';

/**
 * Names one runner's secret: the runner and the unguessable suffix decided once, when the
 * runner was requested (RunnerRequested.secretSuffix). A runner requested before suffixes
 * existed has `suffix: null` and keeps the old name (the runner id alone).
 */
export interface RunnerSecretRef {
  readonly runnerId: RunnerId;
  readonly suffix: string | null;
}

/**
 * The one machine allowed to read and delete a secret: the instance (EC2) or task (Fargate)
 * launched for the runner. The adapter turns it into what the cloud enforces (on AWS, a tag
 * the runner role's IAM policy compares with the caller's `aws:userid`).
 */
export interface SecretReader {
  readonly compute: ComputeKind;
  readonly instanceId: InstanceId;
}

/**
 * One secret per runner (its JIT config or registration token), read once by the runner's
 * machine and then deleted.
 *
 * Contract (checked by `secretStoreContract` in core's testing entry):
 * - `pathFor` is the full name the machine reads, passed to it at launch; refs with different
 *   suffixes never share a name;
 * - `put` stores the value readable by `reader` only, and overwrites: a retried issue replaces
 *   the old value and re-binds it to the given reader before the new value is visible;
 * - `get` of a missing secret is null; `delete` of a missing secret succeeds;
 * - `list` returns every stored runner secret with its ref and age, for the reconciler to
 *   remove those never read.
 * Throttling is retried inside the adapter. A `put` the store answered by storing nothing
 * (throttled past the retries, refused, a limit reached) throws a `DependencyError` with
 * `notApplied`: the value is then nowhere, which the registration step relies on to register
 * again (registration-step.ts); any other failure may have stored it.
 */
export interface SecretStore {
  pathFor(ref: RunnerSecretRef): string;
  put(ref: RunnerSecretRef, value: string, reader: SecretReader): Promise<void>;
  get(ref: RunnerSecretRef): Promise<string | null>;
  delete(ref: RunnerSecretRef): Promise<void>;
  list(): Promise<readonly (RunnerSecretRef & { readonly storedAt: IsoTime })[]>;
}
