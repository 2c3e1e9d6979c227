// Running the converter from specs: `migrate` calls its main in process, as the npm script runs
// it once installed; `runNode` starts a bin in a new process (the end-to-end check).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const FIXTURES = 'scripts/migrate/fixtures';
export const fixtures = readdirSync(join(ROOT, FIXTURES))
  .filter((name) => name.endsWith('.json'))
  .sort();

export const readFixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(ROOT, FIXTURES, name), 'utf8')) as unknown;

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runNode(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...args],
      { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 10_000_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

export { migrateInProcess as migrate } from './cli-run';

export function writeFile(content: unknown, name = 'reference.tfvars.json'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'migrate-')), name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
