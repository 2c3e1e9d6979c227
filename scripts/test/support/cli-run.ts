// Runs the policy-check and migrate commands in the spec's own process, from the repository
// root, as their bins would (same arguments, same exit code, same stdout and stderr). A spawned
// bin cost about 1.3 s of CPU before any work (a fresh node, tsx transpiling core's sources);
// one spec per CLI still spawns the bin end to end (policy-check.spec.ts, migrate.spec.ts).
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../../policy-check/cli-io';
import { main as migrateMain } from '../../migrate/main';
import { main as policyCheckMain } from '../../policy-check/main';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function captured(
  command: (argv: readonly string[], io: CliIo) => number | Promise<number>,
  argv: readonly string[],
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    cwd: REPO_ROOT,
  };
  const code = await command(argv, io);
  return { code, stdout, stderr };
}

/** `pnpm policy-check ...args`, in process. */
export const policyCheckInProcess = (...args: string[]): Promise<CliRun> => captured(policyCheckMain, args);

/** `npm run migrate -- ...args` once installed, in process. */
export const migrateInProcess = (...args: string[]): Promise<CliRun> => captured(migrateMain, args);
