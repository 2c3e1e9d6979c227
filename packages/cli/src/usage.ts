export const USAGE = `usage: hangar <command> [options]

  job <job id | job URL>      the job's timeline and, while it waits, why
  runner <runner id | instance id | task ARN | runner name>
                              the runner's life: machine, jobs, why it was retired
  pools                       per pool: alive/max, idle/busy/booting/terminating, waiting
                              jobs by reason, oldest wait, launches and failures in the last hour
  waiting                     every waiting job with its reason, longest wait first

where to read (flags win, then --terraform, then the environment):
  --table NAME                the event-store table (HANGAR_TABLE)
  --region REGION             (AWS_REGION / AWS_DEFAULT_REGION); credentials: the standard AWS chain
  --terraform DIR             read table_name, pools_json and the region from \`terraform output -json\`
  --endpoint URL              DynamoDB Local, e.g. the demo's (HANGAR_DYNAMODB_ENDPOINT)
  --pools FILE                pools JSON, for each pool's maximum (pools_json of the module)

output:
  --json                      machine-readable JSON instead of text
  --now ISO-TIME              ages as of this time (the demo runs on a simulated clock)
  --window MINUTES            \`pools\`: the activity window (default 60)
  --no-color                  never colour (colour is used only on a terminal; NO_COLOR also works)

exit codes: 0 answered; 1 the job or runner is not in the table; 2 bad usage;
            3 the table could not be read (credentials, region, table name, network)`;

export const EXIT = { ok: 0, notFound: 1, usage: 2, unreadable: 3 } as const;
