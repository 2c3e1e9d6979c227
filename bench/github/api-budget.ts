/**
 * GitHub API budget: how many GitHub calls Hangar's hot path and scale-down cost, measured on the
 * fake GitHub through the real adapter (Octokit over loopback HTTP). Prints numbers, asserts nothing.
 *
 *   pnpm tsx bench/github/api-budget.ts [jobs=200] [runners=500] [busy=300]
 */
import { GitHubRunnerRegistry, createGitHubClients } from '@hangar/adapter-github';
import { JobId } from '@hangar/core';
import { startFakeGitHub, type FakeGitHub } from '@hangar/test-support/github';

const [jobs = 200, liveRunners = 500, busyRunners = 300] = process.argv.slice(2).map(Number);
const ORG = { level: 'org', owner: 'acme' } as const;
const LABELS = ['self-hosted', 'linux', 'x64'];

async function world(): Promise<{ fake: FakeGitHub; registry: GitHubRunnerRegistry }> {
  const fake = await startFakeGitHub({ rateLimit: { installation: 1_000_000 } });
  const app = fake.addApp();
  fake.addRepo('acme/web');
  fake.install(app.appId, 'acme');
  fake.addRunnerGroup('acme', { name: 'hangar' });
  const registry = new GitHubRunnerRegistry(createGitHubClients({ apps: [app], baseUrl: fake.url }));
  return { fake, registry };
}

const routeSummary = (fake: FakeGitHub): string =>
  Object.entries(fake.calls().byRoute)
    .sort(([, a], [, b]) => b - a)
    .map(([route, n]) => `    ${String(n).padStart(6)}  ${route}`)
    .join('\n');

/** N ephemeral jobs: webhook queued → (job still queued?) → JIT config → runner boots, runs, leaves. */
async function hotPath(checkJobQueued: boolean): Promise<void> {
  const { fake, registry } = await world();
  const started = performance.now();
  for (let i = 0; i < jobs; i++) {
    const { jobId } = fake.queueJob({ repo: 'acme/web', labels: LABELS });
    if (checkJobQueued) await registry.getJobStatus('acme', 'web', JobId(jobId));
    const jit = await registry.createJitConfig({
      scope: ORG,
      runnerName: `hangar-${i}`,
      labels: LABELS,
      runnerGroup: 'hangar',
    });
    if (jit.outcome !== 'issued') throw new Error('runner name taken');
    fake.connectRunner(jit.encodedJitConfig);
    fake.completeJob(jobId);
  }
  const ms = performance.now() - started;
  const total = fake.calls().total;
  const oneOff = 3; // installation token, installation lookup, runner-group lookup (once per warm process)
  console.log(`hot path, ${jobs} ephemeral jobs, job-queued check ${checkJobQueued ? 'on' : 'off'}:`);
  console.log(
    `  GitHub calls: ${total} total, ${((total - oneOff) / jobs).toFixed(2)} per job after ${oneOff} one-off calls (${(total / jobs).toFixed(3)} per job including them)`,
  );
  console.log(`  wall time: ${ms.toFixed(0)} ms (${(ms / jobs).toFixed(2)} ms per job on loopback)`);
  console.log(routeSummary(fake));
  await fake.close();
}

/** One scale-down cycle over `liveRunners` registered runners, `busyRunners` of them running a job. */
async function scaleDown(): Promise<void> {
  const { fake, registry } = await world();
  for (let i = 0; i < liveRunners; i++) {
    const jit = await registry.createJitConfig({
      scope: ORG,
      runnerName: `live-${i}`,
      labels: LABELS,
      runnerGroup: 'hangar',
    });
    if (jit.outcome !== 'issued') throw new Error('runner name taken');
    fake.connectRunner(jit.encodedJitConfig);
  }
  for (let i = 0; i < busyRunners; i++) fake.queueJob({ repo: 'acme/web', labels: LABELS });
  fake.resetCalls();

  const started = performance.now();
  const listed = await registry.listRunners(ORG);
  const idle = listed.filter((r) => !r.busy);
  const outcomes = { deleted: 0, busy: 0, 'not-found': 0 };
  for (const runner of idle) outcomes[await registry.deleteRunner(ORG, runner.githubRunnerId)] += 1;
  const ms = performance.now() - started;
  const listCalls = fake.calls().byRoute['GET /orgs/{org}/actions/runners'] ?? 0;
  console.log(
    `scale-down cycle, ${liveRunners} live runners (${busyRunners} busy, ${idle.length} idle, all idle ones deleted):`,
  );
  console.log(
    `  GitHub calls: ${fake.calls().total} = ${listCalls} list pages + ${idle.length} deletes; outcomes ${JSON.stringify(outcomes)}`,
  );
  console.log(
    `  a cycle that deletes nothing: ${listCalls} calls (busy state comes from the list, no per-runner polling)`,
  );
  console.log(`  wall time: ${ms.toFixed(0)} ms`);
  // The next cycles: the list changed by the deletes, then a quiet one where nothing changed.
  // Each page is asked for with its ETag; GitHub does not charge a 304 to the rate limit.
  for (const cycle of ['next cycle (the list changed by the deletes)', 'a quiet cycle after it']) {
    fake.resetCalls();
    await registry.listRunners(ORG);
    const pages = fake.calls().byRoute['GET /orgs/{org}/actions/runners'] ?? 0;
    const free = fake.calls().notModified?.['GET /orgs/{org}/actions/runners'] ?? 0;
    console.log(`  ${cycle}: ${pages} list pages, ${free} answered 304, ${pages - free} charged`);
  }
  await fake.close();
}

await hotPath(false);
await hotPath(true);
await scaleDown();
