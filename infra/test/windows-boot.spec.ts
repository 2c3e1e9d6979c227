import { describe, expect, it } from '@jest/globals';
import { commandsOf, hereStrings, parsePowerShell, syntaxErrors, type PsCommand } from './support/powershell';
import { bootValues, renderBootstrap } from './support/templates';

// start-runner.ps1 cannot run here (no Windows, no AWS Tools for PowerShell): it is parsed with
// a real PowerShell grammar and its structure checked — the secret handled before anything is
// downloaded, and the runner (so every job) started as an unprivileged user, never as SYSTEM.

const rendered = renderBootstrap('start-runner.ps1', bootValues('windows', { secret_wait_s: '300' }));
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

describe('start-runner.ps1 with the issue 12 knobs, as the module renders it', () => {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const pre = "Write-Output 'pre'\nexit 0";
  const hook = 'Write-Output "job $env:GITHUB_JOB"';
  // The module's user data: the rendered script between <powershell> tags (runners-ec2.tf).
  const userData = [
    '<powershell>',
    renderBootstrap(
      'start-runner.ps1',
      bootValues('windows', {
        pre_install_base64: b64(pre),
        post_install_base64: b64(pre),
        hook_job_started_base64: b64(hook),
        hook_job_completed_base64: b64(hook),
        cloudwatch_config_base64: b64('{"logs":{"logs_collected":{}}}'),
      }),
    ),
    '</powershell>',
  ].join('\n');
  const script = userData.replace(/^<powershell>\n/, '').replace(/\n<\/powershell>$/, '');

  it('is one <powershell> block that parses without error, the scripts it carries decoding to what was configured', async () => {
    expect(userData.startsWith('<powershell>\n') && userData.endsWith('\n</powershell>')).toBe(true);
    const parsed = await parsePowerShell(script);
    expect(syntaxErrors(parsed)).toEqual([]);
    const base64 = [...script.matchAll(/^\$(\w+Base64) = '([^']*)'$/gm)].map((m) => [m[1], m[2]]);
    const decoded = Object.fromEntries(
      base64.map(([name, value]) => [name, Buffer.from(value ?? '', 'base64').toString()]),
    );
    expect(decoded).toMatchObject({ PreInstallBase64: pre, HookJobStartedBase64: hook });
    for (const body of [pre, hook]) expect(syntaxErrors(await parsePowerShell(body))).toEqual([]);
  });

  it('runs userdata_pre_install after the secret is deleted and before any install, userdata_post_install before the runner starts', () => {
    const snippets = named('Invoke-Snippet');
    expect(snippets.map((c) => c.args[0])).toEqual(["'userdata_pre_install'", "'userdata_post_install'"]);
    const [preCall, postCall] = snippets;
    expect(preCall && preCall.offset > first('Remove-SSMParameter').offset).toBe(true);
    for (const install of installs) expect(preCall && preCall.offset < install.offset).toBe(true);
    expect(postCall && postCall.offset < first('Register-ScheduledTask').offset).toBe(true);
  });

  it("names the job hooks in the runner's .env as ACTIONS_RUNNER_HOOK_JOB_STARTED and _COMPLETED", () => {
    expect(named('Install-Hook').map((c) => [c.args[0], c.args[2]])).toEqual([
      ["'job-started'", "'ACTIONS_RUNNER_HOOK_JOB_STARTED'"],
      ["'job-completed'", "'ACTIONS_RUNNER_HOOK_JOB_COMPLETED'"],
    ]);
    const env = named('Add-Content').find((c) => c.args.some((a) => a.includes("'.env'")));
    expect(env?.args).toEqual(expect.arrayContaining(['-Value', '"$Variable=$File"']));
    expect(first('Install-Hook').offset).toBeGreaterThan(first('Expand-Archive').offset);
  });

  it('runs the runner as SYSTEM only with runner_as_root, creating no user then', () => {
    const tasks = named('Register-ScheduledTask').map((c) => [
      argAfter(c, '-User'),
      argAfter(c, '-RunLevel'),
    ]);
    expect(tasks).toEqual([
      ['"$env:COMPUTERNAME\\$RunnerUser"', 'Limited'],
      ["'SYSTEM'", 'Highest'],
    ]);
    expect(rendered).toMatch(
      /if \(\$RunnerAsRoot -eq 'true'\) \{\s+\$RunnerUser = 'SYSTEM'\s+\} else \{\s+try \{\s+\$RunnerPassword = New-RunnerUser/,
    );
  });

  it('passes --ephemeral and --no-default-labels to config.cmd when the registration says so', () => {
    expect(rendered).toContain("if ($Secret.ephemeral -eq $true) { $ConfigArgs += @('--ephemeral') }");
    expect(rendered).toContain(
      "if ($Secret.noDefaultLabels -eq $true) { $ConfigArgs += @('--no-default-labels') }",
    );
  });
});
