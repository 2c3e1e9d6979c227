import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { actionsRoutes } from './actions-routes';
import { AppAuth } from './app-auth';
import { appRoutes } from './app-routes';
import { Calls } from './calls';
import { deliveryRoutes } from './delivery-routes';
import { Faults } from './faults';
import type { FakeGitHub, FakeGitHubOptions } from './handle';
import { createFakeServer } from './http-server';
import { Jobs } from './jobs';
import { RateLimits } from './rate-limit';
import { Releases } from './releases';
import type { RouteDeps } from './route-deps';
import { runnerRoutes } from './runner-routes';
import { Runners } from './runners';
import { simClock, type SimEvent } from './sim-events';
import { Simulation } from './simulation';
import { FakeGitHubState } from './state';
import { assertLoopbackUrl } from './webhook-sender';
import { WebhookDispatcher } from './webhooks';

/** A PKCS#1 PEM RSA key, the format GitHub hands out for Apps. */
export function createAppPrivateKey(): string {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
}

/**
 * The keys of the Apps fakes create, shared by every fake in a process: the n-th App of each
 * fake gets the n-th key, so one fake's Apps never share a key, while a jest worker pays for
 * each 2048-bit RSA key (about 150 ms of CPU) once instead of once per App of every fake it
 * starts (every e2e scenario and most GitHub specs start one).
 */
const appKeys: string[] = [];
function appKey(n: number): string {
  while (appKeys.length <= n) appKeys.push(createAppPrivateKey());
  return appKeys[n] as string;
}

/**
 * Starts a stateful fake GitHub on 127.0.0.1 (random port) that real Octokit clients can use
 * with `baseUrl: fake.url`. Close it with `close()`.
 */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const clock = simClock(options.now ?? Date.now);
  const authNow = options.authNow ?? Date.now;
  let baseUrl = '';
  const listeners = new Set<(event: SimEvent) => void>();
  const emit = (event: SimEvent): void => listeners.forEach((listener) => listener(event));
  const state = new FakeGitHubState(clock.iso);
  const webhooks = new WebhookDispatcher(state, clock.iso, options.webhookTimeoutMs ?? 10_000, (d) =>
    emit({ type: 'delivery', deliveryId: d.id, guid: d.guid, ok: d.ok }),
  );
  const runners = new Runners(state, clock, options.runnerBusyLagMs ?? 0, emit);
  const jobs = new Jobs(state, clock, runners, webhooks, emit, () => baseUrl);
  const sim = new Simulation(state, jobs, runners, options.assignment ?? 'auto');
  const releases = new Releases();
  if (options.releases) releases.set(options.releases);
  const auth = new AppAuth(state, authNow);
  const rateLimits = new RateLimits(options.rateLimit ?? {}, authNow);
  const faults = new Faults();
  const calls = new Calls();
  const internalErrors: unknown[] = [];
  const deps: RouteDeps = { state, auth, runners, jobs, sim, webhooks, rateLimits, releases };
  const routes = [
    ...appRoutes(deps),
    ...deliveryRoutes(deps),
    ...runnerRoutes(deps),
    ...actionsRoutes(deps),
    ...releases.routes(),
  ];
  const server = createFakeServer({
    routes,
    auth,
    faults,
    rateLimits,
    calls,
    authNow,
    baseUrl: () => baseUrl,
    internalErrors,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let nextAppId = 1001;
  let appsAdded = 0;

  return {
    url: baseUrl,
    close: async () => {
      webhooks.close();
      listeners.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    addApp: (o = {}) => {
      const privateKey = o.privateKey ?? appKey(appsAdded++);
      const app = state.addApp({ appId: o.appId ?? nextAppId++, privateKey, slug: o.slug, name: o.name });
      return { appId: app.id, privateKey };
    },
    addOrg: (login) => state.addOrg(login),
    addUser: (login) => state.addUser(login),
    addRepo: (fullName) => state.addRepo(fullName),
    install: (appId, target) => state.install(appId, target).id,
    uninstall: (appId, org) => state.uninstall(appId, org),
    setActionsPermission: (installationId, level) => {
      const installation = state.installations.get(installationId);
      if (!installation) throw new Error(`Unknown installation ${installationId}`);
      installation.actionsPermission = level;
    },
    addRunnerGroup: (org, o) => state.addRunnerGroup(org, o).id,
    setReleases: (list) => releases.set(list),
    setWebhook: (appId, hook) => {
      const app = state.apps.get(appId);
      if (!app) throw new Error(`Unknown App ${appId}`);
      if (hook) assertLoopbackUrl(hook.url);
      app.webhook = hook;
    },
    webhooks: {
      addRule: (rule) => webhooks.addRule(rule),
      removeRule: (id) => webhooks.removeRule(id),
      clearRules: () => webhooks.clearRules(),
      held: () => webhooks.heldDeliveries(),
      release: (guids) => webhooks.release(guids),
      redeliver: (id) => {
        const delivery = state.deliveries.find((d) => d.id === id);
        if (!delivery) throw new Error(`Unknown delivery ${id}`);
        webhooks.redeliver(delivery);
      },
      settle: () => webhooks.settle(),
    },
    queueJob: (o) => sim.queueJob(o),
    approve: (jobId) => sim.approve(jobId),
    completeJob: (jobId, conclusion) => sim.completeJob(jobId, conclusion),
    cancelJob: (jobId) => sim.cancelJob(jobId),
    tick: () => sim.tick(),
    connectRunner: (config) => ({ ...sim.connectRunner(config) }),
    connectRunnerWithToken: (token, o) => ({ ...sim.connectRunnerWithToken(token, o) }),
    reconnectRunner: (id) => ({ ...sim.reconnectRunner(id) }),
    disconnectRunner: (id) => sim.disconnectRunner(id),
    runners: () => [...state.runners.values()].map((r) => ({ ...r })),
    jobs: () => [...state.jobs.values()].map((j) => ({ ...j })),
    runs: () => [...state.runs.values()].map((r) => ({ ...r })),
    deliveries: () => [...state.deliveries],
    job: (jobId) => ({ ...sim.job(jobId) }),
    runner: (runnerId) => {
      const runner = state.runners.get(runnerId);
      return runner && { ...runner };
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    faults: {
      add: (spec) => faults.add(spec),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
    },
    calls: () => calls.snapshot(),
    resetCalls: () => calls.reset(),
    setRateLimit: (installationId, remaining, resetAtMs) =>
      rateLimits.set(installationId, remaining, resetAtMs),
    expireInstallationTokens: () => auth.expireTokens(),
    routes: () => routes.map(({ method, template }) => ({ method, template })),
    internalErrors: () => [...internalErrors],
  };
}
