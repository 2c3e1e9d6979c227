import type {
  ComputeKind,
  ComputeProvider,
  EventStore,
  JobEventMessage,
  MessageQueue,
  ReconcileDeps,
  RunnerRegistry,
  ScaleUpMessage,
  SecretStore,
  SnapshotStore,
  StreamIndex,
  WebhookRecovery,
} from '@hangar/core';
import type { FastEventStore } from './world/fast-store';
import type { InMemorySecretStore } from '@hangar/core/testing';
import { failedLaunch, type Invocation } from './invocation';
import type { CloudWorld } from './world/cloud';
import type { GitHubApi } from './world/github-api';
import type { LaggingIndex } from './world/lagging-index';
import type { SimQueue } from './world/sqs';

/** The world's shared state that the handlers reach through their ports. */
export interface PortTargets {
  readonly store: FastEventStore;
  readonly index: LaggingIndex;
  readonly secrets: InMemorySecretStore;
  readonly scaleUp: SimQueue<ScaleUpMessage>;
  readonly jobEvents: SimQueue<JobEventMessage>;
  readonly cloud: CloudWorld;
  readonly github: GitHubApi;
}

const aws = { errors: 'aws-errors' } as const;
const awsWrite = { errors: 'aws-errors', loses: true } as const;
const gh = { errors: 'github-errors' } as const;
const ghWrite = { errors: 'github-errors', loses: true } as const;

function store(t: PortTargets, inv: Invocation): EventStore & SnapshotStore {
  return {
    readStream: (id, options) => inv.call(`dynamodb.Query ${id}`, () => t.store.readStream(id, options), aws),
    append: (id, expected, events, options) =>
      inv.call(
        `dynamodb.TransactWriteItems ${id}@${expected} ${events.map((e) => e.type).join('+')}`,
        async () => {
          const written = await t.store.append(id, expected, events, options);
          if (options.head && events.length > 0) t.index.remember(id, options.head, written.version);
          return written;
        },
        awsWrite,
      ),
    appendAll: (appends) =>
      inv.call(
        `dynamodb.TransactWriteItems ${appends.map((a) => `${a.streamId}@${a.expectedVersion}`).join(' ')}`,
        async () => {
          const written = await t.store.appendAll(appends);
          appends.forEach(({ streamId, events, options }, i) => {
            const version = written[i]?.version;
            if (options.head && events.length > 0 && version !== undefined)
              t.index.remember(streamId, options.head, version);
          });
          return written;
        },
        awsWrite,
      ),
    loadSnapshot: (id) => inv.call(`dynamodb.GetItem ${id}`, () => t.store.loadSnapshot(id), aws),
    saveSnapshot: (id, version, state) =>
      inv.call(`dynamodb.PutItem ${id}`, () => t.store.saveSnapshot(id, version, state), awsWrite),
  };
}

function index(t: PortTargets, inv: Invocation): StreamIndex {
  return {
    listOpen: (type, group) =>
      inv.call(`dynamodb.Query open ${type}`, () => t.index.listOpen(type, group), aws),
    findByLookupKey: (type, key) =>
      inv.call(`dynamodb.Query lookup ${type} ${key}`, () => t.index.findByLookupKey(type, key), aws),
    readHeads: (ids) =>
      inv.call(`dynamodb.BatchGetItem heads ×${ids.length}`, () => t.index.readHeads(ids), aws),
  };
}

function secrets(t: PortTargets, inv: Invocation): SecretStore {
  return {
    pathFor: (ref) => t.secrets.pathFor(ref),
    put: (ref, value, reader) =>
      inv.call(`ssm.PutParameter ${ref.runnerId}`, () => t.secrets.put(ref, value, reader), awsWrite),
    get: (ref) => inv.call(`ssm.GetParameter ${ref.runnerId}`, () => t.secrets.get(ref), aws),
    delete: (ref) => inv.call(`ssm.DeleteParameter ${ref.runnerId}`, () => t.secrets.delete(ref), awsWrite),
    list: () => inv.call('ssm.GetParametersByPath', () => t.secrets.list(), aws),
  };
}

function queue<M>(q: SimQueue<M>, inv: Invocation): MessageQueue<M> {
  return {
    send: (messages, options) =>
      inv.call(
        `sqs.SendMessageBatch ${q.name} ×${messages.length}`,
        () => q.send(messages, options),
        awsWrite,
      ),
  };
}

function compute(t: PortTargets, inv: Invocation, kind: ComputeKind): ComputeProvider {
  const provider = t.cloud.provider(kind);
  return {
    kind,
    launch: (request) =>
      inv.call(`${kind}.launch ${request.idempotencyKey}`, () => provider.launch(request), {
        ...awsWrite,
        failed: failedLaunch,
      }),
    findByLaunchKey: (poolId, key) =>
      inv.call(`${kind}.findByLaunchKey ${key}`, () => provider.findByLaunchKey(poolId, key), aws),
    findByInstanceId: (id) =>
      inv.call(`${kind}.findByInstanceId ${id}`, () => provider.findByInstanceId(id), aws),
    terminate: (id) => inv.call(`${kind}.terminate ${id}`, () => provider.terminate(id), awsWrite),
    list: () => inv.call(`${kind}.list`, () => provider.list(), aws),
  };
}

function registry(t: PortTargets, inv: Invocation): RunnerRegistry & WebhookRecovery {
  const g = t.github;
  return {
    createJitConfig: (request) =>
      inv.call(
        `github.createJitConfig ${request.runnerName}`,
        () => {
          g.setCaller(inv.id);
          return g.createJitConfig(request);
        },
        ghWrite,
      ),
    createRegistrationToken: () =>
      inv.call('github.createRegistrationToken', () => g.createRegistrationToken(), ghWrite),
    listRunners: () => inv.call('github.listRunners', () => g.listRunners(), gh),
    deleteRunner: (scope, id) =>
      inv.call(
        `github.deleteRunner ${id}`,
        () => {
          g.setCaller(inv.id);
          return g.deleteRunner(scope, id);
        },
        ghWrite,
      ),
    getJobStatus: (owner, repo, jobId) =>
      inv.call(`github.getJobStatus ${jobId}`, () => g.getJobStatus(owner, repo, jobId), gh),
    rerunJob: (owner, repo, jobId) =>
      inv.call(`github.rerunJob ${jobId}`, () => g.rerunJob(owner, repo, jobId), ghWrite),
    redeliverFailed: (since, max) =>
      inv.call('github.redeliverFailed', () => g.redeliverFailed(since, max), gh),
  };
}

/** The deps one invocation's handler runs with: the world's state behind fault-injecting ports. */
export function invocationDeps(base: ReconcileDeps, targets: PortTargets, inv: Invocation): ReconcileDeps {
  const events = store(targets, inv);
  const github = registry(targets, inv);
  const providers = new Map<ComputeKind, ComputeProvider>();
  return {
    ...base,
    eventStore: events,
    snapshots: events,
    index: index(targets, inv),
    secrets: secrets(targets, inv),
    scaleUpQueue: queue(targets.scaleUp, inv),
    jobEventsQueue: queue(targets.jobEvents, inv),
    compute: (kind) => {
      const existing = providers.get(kind);
      if (existing) return existing;
      const made = compute(targets, inv, kind);
      providers.set(kind, made);
      return made;
    },
    registry: github,
    recovery: github,
    backoff: () => inv.yieldTurns(),
  };
}
