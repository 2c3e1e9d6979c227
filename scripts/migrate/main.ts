// `npm run migrate -- FILE [--format hcl|json|pools-json] [--owner ORG] [--add-label LABEL]...
//                         [--output FILE]`
// Converts a terraform-aws-github-runner configuration (its .tfvars.json, or the
// multi_runner_config map as JSON) into Hangar's multi-runner inputs; see docs/migrating.md.
// Exit codes: 0 converted, nothing left behind; 1 converted, with warnings for settings that
// were not carried over; 2 bad usage or input that cannot be converted (nothing is written).
// `main` is the whole command (cli.ts runs it on the process; the specs run it in process).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CliExit, type CliIo } from '../policy-check/cli-io';
import type { Json } from '../policy-check/terraform-types';
import { convertReference } from './convert';
import { hclBody } from './hcl';
import type { Message } from './messages';

const USAGE =
  'usage: npm run migrate -- FILE [--format hcl|json|pools-json] [--owner ORG] [--add-label LABEL]... [--output FILE]';
const FORMATS = ['hcl', 'json', 'pools-json'] as const;
type Format = (typeof FORMATS)[number];

function fail(lines: readonly string[]): never {
  throw new CliExit(2, lines);
}

interface Args {
  readonly file: string;
  readonly format: Format;
  readonly owner?: string;
  readonly addLabels: string[];
  readonly output?: string;
}

function parse(argv: readonly string[]): Args {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'hcl' },
        owner: { type: 'string' },
        'add-label': { type: 'string', multiple: true, default: [] },
        output: { type: 'string', short: 'o' },
      },
    });
    if (positionals.length !== 1)
      fail([`give exactly one reference configuration file, got ${positionals.length}`, USAGE]);
    const format = values.format as Format;
    if (!FORMATS.includes(format)) fail([`--format must be ${FORMATS.join(', ')}, got "${format}"`, USAGE]);
    if (values.owner !== undefined && !/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(values.owner))
      fail([`--owner must be a GitHub organization or user name, got "${values.owner}"`, USAGE]);
    return {
      file: positionals[0]!,
      format,
      ...(values.owner === undefined ? {} : { owner: values.owner }),
      addLabels: values['add-label'],
      ...(values.output === undefined ? {} : { output: values.output }),
    };
  } catch (error) {
    if (error instanceof CliExit) throw error;
    return fail([error instanceof Error ? error.message : String(error), USAGE]);
  }
}

function readJson(cwd: string, file: string): unknown {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    return fail([`${file}: could not be read: ${error instanceof Error ? error.message : String(error)}`]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return fail([
      `${file}: not JSON (${error instanceof Error ? error.message : String(error)}).`,
      'The converter reads the JSON forms: a .tfvars.json, or the multi_runner_config map as JSON',
      '(e.g. `echo "jsonencode(local.multi_runner_config)" | terraform console` in your reference root module).',
    ]);
  }
}

function render(inputs: Record<string, Json>, format: Format, file: string): string {
  if (format === 'pools-json') return `${JSON.stringify(inputs.runner_configs, null, 2)}\n`;
  if (format === 'json') return `${JSON.stringify(inputs, null, 2)}\n`;
  return [
    `# Hangar multi-runner inputs converted from ${file} by \`npm run migrate\` (see docs/migrating.md).`,
    inputs.github_app_parameters === undefined
      ? '# Still to write: github_apps = [{ app_id = …, private_key = … }] (secrets are never converted),'
      : '# The App credentials stay in the SSM parameters you manage (github_app_parameters).',
    '# And whatever the warnings list as not carried over.',
    hclBody(inputs),
  ].join('\n');
}

const line = (file: string, message: Message) => `${file}:${message.path}: ${message.level}: ${message.text}`;

function convert(io: CliIo, argv: readonly string[]): number {
  const args = parse(argv);
  const conversion = convertReference(readJson(io.cwd, args.file), {
    addLabels: args.addLabels,
    ...(args.owner === undefined ? {} : { owner: args.owner }),
  });
  const byLevel = (level: Message['level']) => conversion.messages.filter((m) => m.level === level);
  for (const message of [...byLevel('error'), ...byLevel('warning'), ...byLevel('note')])
    io.stderr(`${line(args.file, message)}\n`);
  const errors = byLevel('error').length;
  if (errors > 0)
    fail([`migrate: nothing converted: ${errors} error${errors === 1 ? '' : 's'} in ${args.file}`]);
  const text = render(conversion.inputs, args.format, args.file);
  if (args.output) writeFileSync(resolve(io.cwd, args.output), text);
  else io.stdout(text);
  const pools = Object.keys(conversion.inputs.runner_configs as Record<string, Json>);
  const warnings = byLevel('warning').length;
  io.stderr(
    `migrate: ${pools.length} pool${pools.length === 1 ? '' : 's'} (${pools.join(', ')}) from ${args.file}${args.output ? ` written to ${args.output}` : ''}; ${warnings} warning${warnings === 1 ? '' : 's'}, ${byLevel('note').length} notes\n`,
  );
  return warnings > 0 ? 1 : 0;
}

/** The whole command on `argv` (the arguments after the script); returns its exit code. */
export function main(argv: readonly string[], io: CliIo): number {
  try {
    return convert(io, argv);
  } catch (error) {
    if (error instanceof CliExit) {
      for (const text of error.lines) io.stderr(`${text}\n`);
      return error.code;
    }
    io.stderr('migrate crashed (a bug in the converter, not in your configuration):\n');
    io.stderr(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 3;
  }
}
