// The static checks of `npm test`, run side by side. Each is one single-threaded process
// (tsc, eslint, prettier, esbuild's driver), so one after another they left a core idle for
// their whole ~155 s of CPU on this 2-core machine; two at a time they take about half.
// Plain Node only: it runs before anything but the install.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** Runs one check with its output captured; resolves to its exit status and output. */
function runCaptured([name, cmd, args]) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.on('error', (error) => {
      chunks.push(Buffer.from(`could not start ${cmd}: ${error.message}\n`));
    });
    child.on('close', (code) =>
      resolve({ name, ok: code === 0, output: Buffer.concat(chunks).toString('utf8'), started }),
    );
  });
}

/**
 * Runs `checks` ([name, command, args], longest first) at most `lanes` at a time and prints
 * each one's output in one block when it ends, so parallel outputs never interleave.
 * Returns how many passed and failed.
 */
export async function runChecks(checks, lanes = Math.max(2, availableParallelism())) {
  const queue = [...checks];
  let passed = 0;
  let failed = 0;
  const lane = async () => {
    for (let check = queue.shift(); check; check = queue.shift()) {
      const result = await runCaptured(check);
      const seconds = Math.round((Date.now() - result.started) / 1000);
      process.stdout.write(`\n== ${result.name} (${seconds} s)\n${result.output}`);
      if (result.ok) passed += 1;
      else {
        failed += 1;
        console.log(`FAILED: ${result.name}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, checks.length) }, lane));
  return { passed, failed };
}
