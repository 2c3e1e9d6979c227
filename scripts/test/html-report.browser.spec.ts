// The demo's and policy-check's HTML reports render in a real browser (Debian's headless
// Chromium, installed by the test command): every chart draws, nothing logs an error, and a
// screenshot of each lands in .test-output/html-report/ for people to look at.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { demoHtml } from '../../packages/runtime-lambda/src/local/demo-html';
import type { DemoTimeline } from '../../packages/runtime-lambda/src/local/demo-report-types';
import type { ControlPlaneReport } from '../../packages/runtime-lambda/src/local/report';
import { readConfig } from '../policy-check/config';
import { runPolicy } from '../policy-check/compare';
import { policyHtml } from '../policy-check/html';
import { readTrace } from '../policy-check/trace';

const out = fileURLToPath(new URL('../../.test-output/html-report/', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';

// What the machine allows (node.md): no sandbox as root, no GPU, and no background traffic to
// Google's hosts that the closed network would refuse.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let browser: Browser;

beforeAll(async () => {
  mkdirSync(out, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Opens a report offline, waits for its script to finish, and says what a person would see. */
async function open(name: string, html: string) {
  const file = join(out, `${name}.html`);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) requests.push(request.url());
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-rendered]', { timeout: 20_000 });
  const canvases = await page.$$eval('canvas', (elements) =>
    elements.map((canvas) => {
      const { width, height } = canvas;
      const pixels =
        canvas.getContext('2d')?.getImageData(0, 0, width, height).data ?? new Uint8ClampedArray();
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) painted += 1;
      return { id: canvas.id, width, height, painted };
    }),
  );
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
  await page.close();
  return { errors, requests, canvases };
}

const minutes = Array.from({ length: 30 }, (_, i) => i);
const timeline: DemoTimeline = {
  startedAt: '2026-01-05T08:00:00.000Z',
  samples: minutes.map((minute) => ({
    minute,
    queued: Math.max(0, 20 - Math.abs(minute - 10) * 2),
    running: Math.min(30, minute * 3),
    alive: { linux: Math.min(30, minute * 4), small: Math.min(12, minute) },
  })),
  faults: [
    { minute: 12, kind: 'spot-capacity', label: 'spot capacity runs out' },
    { minute: 15, kind: 'spot-interruption', label: '2 spot instances interrupted' },
    { minute: 28, kind: 'github-5xx', label: 'GitHub answers 502' },
  ],
  maxRunners: { linux: 30, small: 12 },
  history: {
    launches: minutes.map((minute) => (minute < 15 ? 4 : 1)),
    launchFailures: minutes.map((minute) => (minute >= 12 && minute < 18 ? 3 : 0)),
    examples: { fullPool: '1', capacityOutage: '2', interrupted: '3' },
  },
  waits: [5, 20, 45, 70, 130, 200, 420, 700, 1300],
};
const report: ControlPlaneReport = {
  jobsQueued: 9,
  jobsCompleted: 9,
  jobsRerun: 0,
  waitP50Seconds: 130,
  waitP95Seconds: 1300,
  waitMaxSeconds: 1300,
  runnersLaunched: 60,
  peakRunnersAlive: 42,
  maxRunners: 42,
  duplicateLaunches: 0,
  idleRunnerMinutes: 12,
  githubCallsPerJob: 2.9,
  awsCallsPerJob: 80,
  eventsWritten: 600,
  simulatedMinutes: 30,
  wallSeconds: 20,
  pools: {},
  githubCalls: {},
  awsCalls: {},
  deadLetters: {},
};

describe('HTML reports in headless Chromium', () => {
  it('the demo report draws all four charts offline, without a console error', async () => {
    const seen = await open('demo-report', demoHtml(report, timeline, []));
    expect(seen.errors).toEqual([]);
    expect(seen.requests).toEqual([]);
    expect(seen.canvases.map((canvas) => canvas.id)).toEqual(['alive', 'jobs', 'waits', 'launches']);
    for (const canvas of seen.canvases) expect(canvas.painted).toBeGreaterThan(1000);
  });

  it('the policy-check comparison draws both policies offline, without a console error', async () => {
    const config = readConfig({
      pools: [
        {
          id: 'linux',
          labels: ['self-hosted', 'linux'],
          owner: 'acme',
          maxRunners: 2,
          compute: {
            kind: 'ec2',
            launchTemplateName: 'lt',
            subnetIds: ['subnet-1'],
            instanceTypes: ['m7i.large'],
          },
        },
      ],
    });
    const trace = readTrace({
      start: '2026-03-02T08:00:00Z',
      jobs: [
        {
          atMinute: 0,
          owner: 'acme',
          repo: 'web',
          labels: ['self-hosted', 'linux'],
          durationMinutes: 3,
          count: 4,
        },
      ],
    });
    if (!config.ok || !trace.ok) throw new Error('fixture config or trace is invalid');
    const wide = {
      ...config.config,
      settings: {
        ...config.config.settings,
        pools: config.config.settings.pools.map((pool) => ({ ...pool, maxRunners: 4 })),
      },
    };
    const runs = [
      await runPolicy('max 2', config.config, {}, trace.trace),
      await runPolicy('max 4', wide, {}, trace.trace),
    ];
    const seen = await open('policy-check-compare', policyHtml(runs, 'fixture trace'));
    expect(seen.errors).toEqual([]);
    expect(seen.requests).toEqual([]);
    expect(seen.canvases).toHaveLength(4);
    for (const canvas of seen.canvases) expect(canvas.painted).toBeGreaterThan(1000);
  });
});
