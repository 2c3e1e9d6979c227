import { describe, expect, it } from '@jest/globals';
import { commandsOf, hereStrings, parsePowerShell, syntaxErrors, type PsCommand } from './support/powershell';
import { renderBootstrap } from './support/templates';

// start-runner.ps1 cannot run here (no Windows, no AWS Tools for PowerShell): it is parsed with
// a real PowerShell grammar and its structure checked — the secret handled before anything is
// downloaded, and the runner (so every job) started as an unprivileged user, never as SYSTEM.

const rendered = renderBootstrap('start-runner.ps1', {
  region: 'us-east-1',
  binaries_bucket: 'hangar-binaries',
  runner_arch: 'x64',
  prebuilt_image: 'false',
  ephemeral: 'true',
  log_group: '/hangar/hangar/runners',
  secret_wait_s: '300',
});
const tree = await parsePowerShell(rendered);
const commands = commandsOf(tree);
const [wrapper = ''] = hereStrings(tree);

const named = (name: string) => commands.filter((c) => c.name.toLowerCase() === name.toLowerCase());
const first = (name: string): PsCommand => {
  const [found] = named(name);
  if (!found) throw new Error(`start-runner.ps1 never calls ${name}`);
  return found;
};
/** What fetches or installs software: S3 downloads, archives, web requests, the CloudWatch agent. */
const installs = commands.filter(
  (c) =>
    ['read-s3object', 'expand-archive', 'invoke-webrequest', 'start-bitstransfer', 'msiexec'].includes(
      c.name.toLowerCase(),
    ) || c.name === '$AgentCtl',
);
const argAfter = (command: PsCommand, parameter: string) => command.args[command.args.indexOf(parameter) + 1];

describe('start-runner.ps1 (EC2, Windows), parsed with tree-sitter-powershell', () => {
  it('parses without a syntax error, the runner wrapper it writes included', async () => {
    expect(syntaxErrors(tree)).toEqual([]);
    expect(wrapper).toContain('run.cmd');
    expect(syntaxErrors(await parsePowerShell(wrapper))).toEqual([]);
  });

  it('finds syntax errors when there are some (the check can fail)', async () => {
    expect(syntaxErrors(await parsePowerShell('if ($x -eq { Write-Output "a" \nfunction f( {'))).not.toEqual(
      [],
    );
  });

  it('reads and deletes its secret before any download or install', () => {
    const read = first('Get-SSMParameter');
    const removed = first('Remove-SSMParameter');
    expect(installs.length).toBeGreaterThanOrEqual(3);
    expect(read.offset).toBeLessThan(removed.offset);
    for (const install of installs)
      expect([install.name, removed.offset < install.offset]).toEqual([install.name, true]);
    expect(argAfter(removed, '-Name')).toBe('$Parameter');
    expect(argAfter(read, '-Name')).toBe('$Parameter');
  });

  it('never starts the runner itself: a scheduled task runs it as the unprivileged local user', async () => {
    const launchers = ['start-process', 'cmd', 'cmd.exe', 'invoke-expression', 'powershell.exe'];
    const startsRunner = (c: PsCommand) =>
      /run\.cmd/i.test(c.name) ||
      (launchers.includes(c.name.toLowerCase()) && c.args.some((a) => /run\.cmd/i.test(a)));
    expect(commands.filter(startsRunner)).toEqual([]);
    const created = first('New-LocalUser');
    expect(argAfter(created, '-Name')).toBe('$RunnerUser');
    expect(named('Add-LocalGroupMember').map((c) => argAfter(c, '-Group'))).toEqual(["'Users'"]);
    expect(commands.flatMap((c) => c.args).filter((a) => /administrators/i.test(a))).toEqual([]);
    const task = first('Register-ScheduledTask');
    expect(argAfter(task, '-User')).toBe('"$env:COMPUTERNAME\\$RunnerUser"');
    expect(argAfter(task, '-RunLevel')).toBe('Limited');
    expect(first('Start-ScheduledTask').offset).toBeGreaterThan(task.offset);
    const runs = commandsOf(await parsePowerShell(wrapper)).filter((c) => /run\.cmd/i.test(c.name));
    expect(runs.map((c) => c.args)).toEqual([['--jitconfig', '$JitConfig'], []]);
  });

  it('hands the JIT config over in a file only the runner user and SYSTEM can read, and deletes it before the runner starts', async () => {
    const restrict = named('icacls').find((c) => c.args.includes('$JitFile'));
    expect(restrict?.args).toEqual(
      expect.arrayContaining(['/inheritance:r', '"$($RunnerUser):(R,D)"', "'SYSTEM:(F)'"]),
    );
    const inWrapper = commandsOf(await parsePowerShell(wrapper));
    const removed = inWrapper.find((c) => c.name === 'Remove-Item');
    const run = inWrapper.find((c) => /run\.cmd/i.test(c.name));
    expect(removed && run && removed.offset < run.offset).toBe(true);
  });
});
