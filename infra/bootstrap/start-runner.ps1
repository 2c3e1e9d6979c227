# Hangar EC2 runner boot script (Windows). Rendered by Terraform templatefile() and wrapped
# in <powershell> tags by the module; everything per runner comes from this instance's tags.
# Any failure stops the instance, which terminates it (instance_initiated_shutdown_behavior).
$ErrorActionPreference = 'Stop'

$Region = '${region}'
$BinariesBucket = '${binaries_bucket}'
$RunnerArch = '${runner_arch}'
$PrebuiltImage = '${prebuilt_image}'
$Ephemeral = '${ephemeral}'
$LogGroup = '${log_group}'
$SecretWaitSeconds = ${secret_wait_s}
$RunnerDir = 'C:\actions-runner'
$BootLog = 'C:\hangar-boot.log'

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

$AgentCtl = 'C:\Program Files\Amazon\AmazonCloudWatchAgent\amazon-cloudwatch-agent-ctl.ps1'
if (Test-Path $AgentCtl) {
  $Config = @{
    logs = @{ logs_collected = @{ files = @{ collect_list = @(
      @{ file_path = $BootLog; log_group_name = $LogGroup; log_stream_name = "$InstanceId/boot" },
      @{ file_path = "$RunnerDir\_diag\Runner_*.log"; log_group_name = $LogGroup; log_stream_name = "$InstanceId/runner" }
    ) } } }
  } | ConvertTo-Json -Depth 8
  Set-Content -Path 'C:\ProgramData\Amazon\AmazonCloudWatchAgent\hangar.json' -Value $Config
  & $AgentCtl -a fetch-config -m ec2 -s -c 'file:C:\ProgramData\Amazon\AmazonCloudWatchAgent\hangar.json'
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

$SecretText = $null
$Waited = 0
while ($Waited -lt $SecretWaitSeconds -and -not $SecretText) {
  try {
    $SecretText = (Get-SSMParameter -Region $Region -Name $Parameter -WithDecryption $true).Value
  } catch {
    Start-Sleep -Seconds 5
    $Waited += 5
  }
}
if (-not $SecretText) { Stop-Boot "no runner secret at $Parameter after $SecretWaitSeconds s" }

try {
  Remove-SSMParameter -Region $Region -Name $Parameter -Force
} catch {
  Write-Output "hangar: could not delete $Parameter; the reconciler removes leftovers"
}

# The secret is JSON (core's RunnerSecret): kind jit (ephemeral) or registration (reusable).
try { $Secret = $SecretText | ConvertFrom-Json } catch { Stop-Boot "the runner secret at $Parameter is not JSON" }
$SecretText = $null
if ($Secret.kind -eq 'jit') {
  Write-Output "hangar: starting just-in-time runner $RunnerId"
  & "$RunnerDir\run.cmd" --jitconfig $Secret.jitConfig
} elseif ($Secret.kind -eq 'registration') {
  Write-Output "hangar: registering reusable runner $RunnerId"
  $ConfigArgs = @('--unattended', '--replace', '--disableupdate', '--url', $Secret.url, '--token', $Secret.token,
    '--name', $Secret.name, '--labels', ($Secret.labels -join ','))
  if ($Secret.runnerGroup) { $ConfigArgs += @('--runnergroup', $Secret.runnerGroup) }
  & "$RunnerDir\config.cmd" @ConfigArgs
  if ($LASTEXITCODE -ne 0) { Stop-Boot "config.cmd could not register runner $RunnerId" }
  & "$RunnerDir\run.cmd"
} else {
  Stop-Boot "the runner secret at $Parameter has unknown kind '$($Secret.kind)'"
}
$Status = $LASTEXITCODE
$Secret = $null
Write-Output "hangar: runner exited with status $Status"

if ($Ephemeral -eq 'true') {
  Write-Output 'hangar: ephemeral runner done; shutting down'
  Stop-Transcript | Out-Null
  Stop-Computer -Force
}
