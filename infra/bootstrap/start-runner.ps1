# Hangar EC2 runner boot script (Windows). Rendered by Terraform templatefile() and wrapped
# in <powershell> tags by the module (docs/infra.md lists the variables; a userdata_template
# gets the same); everything per runner comes from this instance's tags. Any failure stops the
# instance, which terminates it (instance_initiated_shutdown_behavior).
# This script runs as SYSTEM; the runner and its jobs do not (unless runner_as_root): they run
# as an unprivileged local user, started through a scheduled task.
$ErrorActionPreference = 'Stop'

$Region = '${region}'
$BinariesBucket = '${binaries_bucket}'
$RunnerArch = '${runner_arch}'
$RunnerUser = '${runner_user}'
$RunnerAsRoot = '${runner_as_root}'
$PrebuiltImage = '${prebuilt_image}'
$Ephemeral = '${ephemeral}'
$LogGroup = '${log_group}'
$SecretWaitSeconds = ${secret_wait_s}
$EnableCloudWatchAgent = '${enable_cloudwatch_agent}'
$CloudWatchConfigBase64 = '${cloudwatch_config_base64}'
$PreInstallBase64 = '${pre_install_base64}'
$PostInstallBase64 = '${post_install_base64}'
$HookJobStartedBase64 = '${hook_job_started_base64}'
$HookJobCompletedBase64 = '${hook_job_completed_base64}'
$RunnerDir = 'C:\actions-runner'
$HangarDir = 'C:\hangar'
$BootLog = 'C:\hangar-boot.log'
$RunnerTask = 'hangar-runner'

Start-Transcript -Path $BootLog -Append | Out-Null

function Stop-Boot([string] $Reason) {
  Write-Output "hangar: boot failed: $Reason (not retryable on this instance; shutting down)"
  Stop-Transcript | Out-Null
  Stop-Computer -Force
  exit 1
}

function Get-Imds([string] $Path) {
  $token = Invoke-RestMethod -Method Put -Uri 'http://169.254.169.254/latest/api/token' `
    -Headers @{ 'X-aws-ec2-metadata-token-ttl-seconds' = '300' }
  Invoke-RestMethod -Uri "http://169.254.169.254/latest/meta-data/$Path" -Headers @{ 'X-aws-ec2-metadata-token' = $token }
}

try {
  $InstanceId = Get-Imds 'instance-id'
  $RunnerId = Get-Imds 'tags/instance/hangar:runner-id'
  $PoolId = Get-Imds 'tags/instance/hangar:pool-id'
  $SecretPath = Get-Imds 'tags/instance/hangar:secret-path'
} catch {
  Stop-Boot "cannot read this instance's id or hangar:* tags from IMDSv2: $_"
}
$Parameter = $SecretPath
Write-Output "hangar: instance $InstanceId runner $RunnerId pool $PoolId"

# The secret comes first, before anything is downloaded or installed, and is deleted as soon as
# it is read: it exists in SSM only until this instance's first successful poll, and IAM lets no
# other machine read it even then (docs/security.md). It stays in this process's memory until
# the runner is configured.
$SecretText = $null
$Waited = 0
while ($true) {
  try {
    $SecretText = (Get-SSMParameter -Region $Region -Name $Parameter -WithDecryption $true).Value
  } catch {
    $SecretText = $null
  }
  if ($SecretText -or $Waited -ge $SecretWaitSeconds) { break }
  Start-Sleep -Seconds 5
  $Waited += 5
}
if (-not $SecretText) {
  Stop-Boot "no runner secret at $Parameter after $SecretWaitSeconds s (scale-up writes it after the launch: see its logs for runner $RunnerId)"
}
try {
  Remove-SSMParameter -Region $Region -Name $Parameter -Force
} catch {
  Write-Output "hangar: could not delete $Parameter; Hangar deletes it when the runner is retired"
}

# The secret is JSON (core's RunnerSecret): kind jit (ephemeral) or registration (reusable).
try { $Secret = $SecretText | ConvertFrom-Json } catch { Stop-Boot "the runner secret at $Parameter is not JSON" }
$SecretText = $null
if ($Secret.kind -ne 'jit' -and $Secret.kind -ne 'registration') {
  Stop-Boot "the runner secret at $Parameter has unknown kind '$($Secret.kind)'"
}

function ConvertFrom-Base64([string] $Text) {
  [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($Text))
}

# userdata_pre_install / userdata_post_install: each its own PowerShell script, run as SYSTEM with
# the runner's identity in its environment (never the secret); a failing snippet fails the boot.
function Invoke-Snippet([string] $Name, [string] $Base64) {
  $Body = ConvertFrom-Base64 $Base64
  if (-not $Body) { return }
  New-Item -ItemType Directory -Force -Path $HangarDir | Out-Null
  $File = Join-Path $HangarDir "$Name.ps1"
  Set-Content -Path $File -Value $Body
  Write-Output "hangar: running $Name"
  $env:HANGAR_INSTANCE_ID = $InstanceId
  $env:HANGAR_RUNNER_ID = $RunnerId
  $env:HANGAR_POOL_ID = $PoolId
  $env:HANGAR_RUNNER_DIR = $RunnerDir
  & powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File $File
  if ($LASTEXITCODE -ne 0) { Stop-Boot "$Name exited with status $LASTEXITCODE" }
}

# runner_hook_job_started / _completed: scripts the runner runs before and after each job, named
# in the runner's .env (read by the runner at start); only SYSTEM and administrators may change them.
function Install-Hook([string] $Name, [string] $Base64, [string] $Variable) {
  $Body = ConvertFrom-Base64 $Base64
  if (-not $Body) { return }
  $HookDir = Join-Path $HangarDir 'hooks'
  New-Item -ItemType Directory -Force -Path $HookDir | Out-Null
  $File = Join-Path $HookDir "$Name.ps1"
  Set-Content -Path $File -Value $Body
  Add-Content -Path (Join-Path $RunnerDir '.env') -Value "$Variable=$File"
}

Invoke-Snippet 'userdata_pre_install' $PreInstallBase64

$AgentCtl = 'C:\Program Files\Amazon\AmazonCloudWatchAgent\amazon-cloudwatch-agent-ctl.ps1'
if ($EnableCloudWatchAgent -ne 'true') {
  Write-Output 'hangar: CloudWatch agent off (enable_cloudwatch_agent = false)'
} elseif (Test-Path $AgentCtl) {
  $AgentConfig = 'C:\ProgramData\Amazon\AmazonCloudWatchAgent\hangar.json'
  Set-Content -Path $AgentConfig -Value (ConvertFrom-Base64 $CloudWatchConfigBase64)
  & $AgentCtl -a fetch-config -m ec2 -s -c "file:$AgentConfig"
} else {
  Write-Output 'hangar: CloudWatch agent not installed; logs stay on the instance'
}

if ($PrebuiltImage -eq 'true' -and (Test-Path "$RunnerDir\run.cmd")) {
  Write-Output 'hangar: using the runner baked into the image'
} else {
  try {
    New-Item -ItemType Directory -Force -Path $RunnerDir | Out-Null
    Read-S3Object -Region $Region -BucketName $BinariesBucket -Key "actions-runner-win-$RunnerArch.zip" -File "$env:TEMP\actions-runner.zip" | Out-Null
    Expand-Archive -Path "$env:TEMP\actions-runner.zip" -DestinationPath $RunnerDir -Force
    Remove-Item "$env:TEMP\actions-runner.zip"
  } catch {
    Stop-Boot "cannot install actions-runner-win-$RunnerArch.zip from s3://$BinariesBucket (has binaries-syncer run?): $_"
  }
}

# "Log on as a batch job", which a scheduled task running as a plain user needs; Windows Server
# gives it to administrators only by default.
function Grant-BatchLogonRight([string] $User) {
  $Sid = (New-Object System.Security.Principal.NTAccount($User)).Translate([System.Security.Principal.SecurityIdentifier]).Value
  $Inf = Join-Path $env:TEMP 'hangar-rights.inf'
  $Db = Join-Path $env:TEMP 'hangar-rights.sdb'
  secedit /export /cfg $Inf /areas USER_RIGHTS | Out-Null
  $Lines = Get-Content -Path $Inf
  if ($Lines -match '^SeBatchLogonRight') {
    $Lines = $Lines -replace '^(SeBatchLogonRight = .*)$', "`$1,*$Sid"
  } else {
    $Lines = $Lines -replace '^\[Privilege Rights\]$', "[Privilege Rights]`r`nSeBatchLogonRight = *$Sid"
  }
  Set-Content -Path $Inf -Value $Lines -Encoding Unicode
  secedit /configure /db $Db /cfg $Inf /areas USER_RIGHTS | Out-Null
  if ($LASTEXITCODE -ne 0) { throw "secedit could not grant SeBatchLogonRight to $User" }
  Remove-Item -Path $Inf, $Db -ErrorAction SilentlyContinue
}

# The unprivileged user the runner and its jobs run as: a member of Users only, with a random
# password that is used once to register the task and never stored.
function New-RunnerUser {
  $Alphabet = [char[]]'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'
  $Bytes = New-Object byte[] 32
  [System.Security.Cryptography.RandomNumberGenerator]::Create().GetBytes($Bytes)
  $Plain = (-join ($Bytes | ForEach-Object { $Alphabet[$_ % $Alphabet.Length] })) + 'aA1!'
  $Secure = ConvertTo-SecureString -String $Plain -AsPlainText -Force
  New-LocalUser -Name $RunnerUser -Password $Secure -PasswordNeverExpires -AccountNeverExpires `
    -UserMayNotChangePassword -Description 'Hangar runner: jobs run as this user' | Out-Null
  Add-LocalGroupMember -Group 'Users' -Member $RunnerUser
  Grant-BatchLogonRight $RunnerUser
  & icacls $RunnerDir /grant "$($RunnerUser):(OI)(CI)M" /T /Q | Out-Null
  if ($LASTEXITCODE -ne 0) { throw "icacls could not give $RunnerUser access to $RunnerDir" }
  return $Plain
}

Install-Hook 'job-started' $HookJobStartedBase64 'ACTIONS_RUNNER_HOOK_JOB_STARTED'
Install-Hook 'job-completed' $HookJobCompletedBase64 'ACTIONS_RUNNER_HOOK_JOB_COMPLETED'

# runner_as_root: the task runs as SYSTEM (the reference's default), no user is created.
$RunnerPassword = $null
if ($RunnerAsRoot -eq 'true') {
  $RunnerUser = 'SYSTEM'
} else {
  try {
    $RunnerPassword = New-RunnerUser
  } catch {
    Stop-Boot "cannot create the unprivileged runner user $($RunnerUser): $_"
  }
}

Invoke-Snippet 'userdata_post_install' $PostInstallBase64

if ($Secret.kind -eq 'registration') {
  # Registration only writes the runner's credentials into $RunnerDir; the runner itself (and so
  # every job) starts below as the unprivileged user.
  Write-Output "hangar: registering reusable runner $RunnerId"
  $ConfigArgs = @('--unattended', '--replace', '--disableupdate', '--url', $Secret.url, '--token', $Secret.token,
    '--name', $Secret.name, '--labels', ($Secret.labels -join ','))
  if ($Secret.runnerGroup) { $ConfigArgs += @('--runnergroup', $Secret.runnerGroup) }
  if ($Secret.ephemeral -eq $true) { $ConfigArgs += @('--ephemeral') }
  if ($Secret.noDefaultLabels -eq $true) { $ConfigArgs += @('--no-default-labels') }
  & "$RunnerDir\config.cmd" @ConfigArgs
  if ($LASTEXITCODE -ne 0) { Stop-Boot "config.cmd could not register runner $RunnerId" }
  if ($RunnerPassword) { & icacls $RunnerDir /grant "$($RunnerUser):(OI)(CI)M" /T /Q | Out-Null }
} else {
  # The JIT config goes to the runner user in a file only it (and SYSTEM) can read; the task's
  # wrapper reads it, deletes it and starts run.cmd with it.
  $JitFile = Join-Path $RunnerDir '.hangar-jitconfig'
  Set-Content -Path $JitFile -Value $Secret.jitConfig -NoNewline
  & icacls $JitFile /inheritance:r /grant:r "$($RunnerUser):(R,D)" 'SYSTEM:(F)' /Q | Out-Null
  if ($LASTEXITCODE -ne 0) { Stop-Boot "cannot restrict $JitFile to the runner user" }
}
$Secret = $null

$Wrapper = @'
$JitFile = Join-Path $PSScriptRoot '.hangar-jitconfig'
if (Test-Path $JitFile) {
  $JitConfig = Get-Content -Raw -Path $JitFile
  Remove-Item -Force -Path $JitFile
  & (Join-Path $PSScriptRoot 'run.cmd') --jitconfig $JitConfig
} else {
  & (Join-Path $PSScriptRoot 'run.cmd')
}
exit $LASTEXITCODE
'@
Set-Content -Path "$RunnerDir\hangar-run.ps1" -Value $Wrapper

Write-Output "hangar: starting runner $RunnerId as $RunnerUser"
try {
  $Action = New-ScheduledTaskAction -Execute 'powershell.exe' -WorkingDirectory $RunnerDir `
    -Argument "-NoProfile -NonInteractive -ExecutionPolicy Bypass -File `"$RunnerDir\hangar-run.ps1`""
  $Settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit ([TimeSpan]::Zero) -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries
  if ($RunnerPassword) {
    Register-ScheduledTask -TaskName $RunnerTask -Action $Action -Settings $Settings `
      -User "$env:COMPUTERNAME\$RunnerUser" -Password $RunnerPassword -RunLevel Limited -Force | Out-Null
  } else {
    Register-ScheduledTask -TaskName $RunnerTask -Action $Action -Settings $Settings `
      -User 'SYSTEM' -RunLevel Highest -Force | Out-Null
  }
  $RunnerPassword = $null
  Start-ScheduledTask -TaskName $RunnerTask
} catch {
  Stop-Boot "cannot start the runner as $($RunnerUser): $_"
}

if ($Ephemeral -eq 'true') {
  do {
    Start-Sleep -Seconds 15
    $State = (Get-ScheduledTask -TaskName $RunnerTask).State
  } while ($State -eq 'Running' -or $State -eq 'Queued')
  $Status = (Get-ScheduledTaskInfo -TaskName $RunnerTask).LastTaskResult
  Write-Output "hangar: runner exited with status $Status"
  Write-Output 'hangar: ephemeral runner done; shutting down'
  Stop-Transcript | Out-Null
  Stop-Computer -Force
}
