import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { INFRA, REPO, isObject, loadModule, only } from './support/hcl';
import { BEGIN, END, renderInputs, renderOutputs } from './support/reference';

const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
/** Markdown tables compared cell by cell, so prettier's column padding does not matter. */
function normalize(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) =>
      line.startsWith('|')
        ? line
            .split(/(?<!\\)\|/)
            .map((cell) => cell.trim().replace(/^-{3,}$/, '---'))
            .join('|')
        : line.trim(),
    )
    .join('\n');
}

const infraDoc = normalize(readFileSync(join(REPO, 'docs', 'infra.md'), 'utf8'));

describe('docs/infra.md', () => {
  it('contains the inputs table exactly as rendered from variables.tf (regenerate it when this fails)', () => {
    const current = infraDoc.slice(infraDoc.indexOf(BEGIN), infraDoc.indexOf(END) + END.length);
    expect(current).toEqual(normalize(renderInputs(multi)));
  });

  it('contains the outputs table as rendered from outputs.tf', () => {
    expect(infraDoc).toContain(normalize(renderOutputs(multi)));
  });

  it('documents the validate command for machines with registry access', () => {
    expect(infraDoc).toContain('terraform init -backend=false && terraform validate');
  });
});

/** GitHub's heading anchor: lowercase, punctuation dropped, spaces to dashes. */
function anchors(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#+\s+(.+)$/gm)].map((m) =>
      (m[1] ?? '')
        .toLowerCase()
        .replace(/[^\w\s-]/g, '')
        .trim()
        .replace(/\s/g, '-'),
    ),
  );
}

describe('the deploy, infra and operations docs point at what exists', () => {
  const docs = ['deploy.md', 'infra.md', 'operations.md'].map((name) => join(REPO, 'docs', name));

  it.each(docs.map((path) => [path.slice(REPO.length + 1), path]))(
    '%s links only to files and headings that exist',
    (_name, path) => {
      const text = readFileSync(path, 'utf8');
      const broken = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
        .map((m) => m[1] ?? '')
        .filter((link) => !/^[a-z]+:/.test(link))
        .filter((link) => {
          const [file = '', anchor] = link.split('#');
          const target = file === '' ? path : join(dirname(path), file);
          if (!existsSync(target)) return true;
          return anchor !== undefined && !anchors(readFileSync(target, 'utf8')).has(anchor);
        });
      expect(broken).toEqual([]);
    },
  );

  it.each(docs.map((path) => [path.slice(REPO.length + 1), path]))(
    '%s names only repository paths that exist',
    (_name, path) => {
      const named = [
        ...readFileSync(path, 'utf8').matchAll(/`((?:packages|infra|docs|scripts|bench)\/[^`\s]+)`/g),
      ]
        .map((m) => m[1] ?? '')
        .filter((p) => !/[*<]/.test(p));
      expect(named.filter((p) => !existsSync(join(REPO, p.split(/[#:]/)[0] ?? p)))).toEqual([]);
    },
  );

  it('tells how to build the Lambda bundles with a command whose script exists', () => {
    const deploy = readFileSync(join(REPO, 'docs', 'deploy.md'), 'utf8');
    const command = /^node (packages\/runtime-lambda\/scripts\/[\w.-]+\.mjs)$/m.exec(deploy);
    expect(command?.[1]).toBe('packages/runtime-lambda/scripts/build.mjs');
    expect(existsSync(join(REPO, command?.[1] ?? 'missing'))).toBe(true);
  });

  it('states the runner secret wait the module computes (2 x scale-up visibility timeout + 60 s)', () => {
    const queue = only(multi.resource.aws_sqs_queue?.scale_up, 'aws_sqs_queue.scale_up');
    expect(String(queue.visibility_timeout_seconds)).toBe(
      '${6 * lookup(var.lambda_timeouts, "scale-up", local.handlers["scale-up"].timeout)}',
    );
    expect(multi.locals.runner_secret_wait_seconds).toBe(
      '${2 * aws_sqs_queue.scale_up.visibility_timeout_seconds + 60}',
    );
    const handlers = multi.locals.handlers;
    const scaleUp = isObject(handlers) ? handlers['scale-up'] : undefined;
    const timeout = isObject(scaleUp) ? Number(scaleUp.timeout) : NaN;
    const wait = 2 * 6 * timeout + 60;
    const operations = readFileSync(join(REPO, 'docs', 'operations.md'), 'utf8');
    expect(operations).toContain(`The bootstrap waits ${wait} s for its secret`);
    expect(wait).toBe(780);
  });
});
