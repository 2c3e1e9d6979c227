import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const TERRAFORM = '/usr/local/bin/terraform';

export interface TerraformResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs terraform offline (no provider downloads are attempted by the configs we run). */
export function terraform(args: readonly string[], cwd: string): TerraformResult {
  const result = spawnSync(TERRAFORM, [...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Applies a provider-free root configuration in a fresh temporary directory and returns the
 * named output as parsed JSON, or the error text when init/apply fails.
 */
export function evaluate(
  mainTf: string,
  output: string,
): { ok: true; value: unknown } | { ok: false; error: string } {
  return evaluateFiles({ 'main.tf': mainTf }, output);
}

/** `evaluate` for a configuration of several files (`path` relative to the root, e.g. a child module's). */
export function evaluateFiles(
  files: Readonly<Record<string, string>>,
  output: string,
): { ok: true; value: unknown } | { ok: false; error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-tf-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    for (const args of [
      ['init', '-input=false', '-no-color'],
      ['apply', '-auto-approve', '-input=false', '-no-color'],
    ]) {
      const run = terraform(args, dir);
      if (run.status !== 0) return { ok: false, error: `${run.stdout}\n${run.stderr}` };
    }
    const out = terraform(['output', '-no-color', '-json', output], dir);
    if (out.status !== 0) return { ok: false, error: out.stderr };
    return { ok: true, value: JSON.parse(out.stdout) as unknown };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
