# Every cron of every runner configuration (idle_windows, pool_schedules) is checked here, at
# plan time, against the forms the runtime converts (packages/runtime-lambda, config loading):
#   6 fields, seconds first   "s m h dom mon dow"         (Hangar's own form)
#   5 fields                  "m h dom mon dow"           (seconds = 0)
#   EventBridge               "cron(m h dom mon dow year)" (? allowed in dom/dow, dow 1-7 = SUN-SAT,
#                                                          year only *)
# A field is a comma list of items: *, */n, a value, a range a-b, a-b/n, or a/n (from a to the
# field's maximum, as cron and EventBridge read it); months and days of
# the week may be names (JAN-DEC, SUN-SAT, any case). Anything else, rate(...) included, is
# rejected with the configuration, the field and the reason. The output preconditions in
# outputs.tf turn the problems into a plan error.
locals {
  cron_step = "(/[1-9][0-9]*)?"

  # Each field kind: the values one item may take, and how an operator is told so. EventBridge's
  # day-of-month and day-of-week also take "?"; its year only "*".
  cron_fields = {
    "second"                   = { value = "0?[0-9]|[1-5][0-9]", allowed = "0-59", question = false }
    "minute"                   = { value = "0?[0-9]|[1-5][0-9]", allowed = "0-59", question = false }
    "hour"                     = { value = "0?[0-9]|1[0-9]|2[0-3]", allowed = "0-23", question = false }
    "day-of-month"             = { value = "0?[1-9]|[12][0-9]|3[01]", allowed = "1-31", question = false }
    "month"                    = { value = "0?[1-9]|1[0-2]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC", allowed = "1-12 or JAN-DEC", question = false }
    "day-of-week"              = { value = "[0-7]|SUN|MON|TUE|WED|THU|FRI|SAT", allowed = "0-7 or SUN-SAT (0 and 7 are Sunday)", question = false }
    "eventbridge day-of-month" = { value = "0?[1-9]|[12][0-9]|3[01]", allowed = "1-31, or ?", question = true }
    "eventbridge day-of-week"  = { value = "[1-7]|SUN|MON|TUE|WED|THU|FRI|SAT", allowed = "1-7 or SUN-SAT (1 is Sunday), or ?", question = true }
  }

  # A whole field: item(,item)*, where item = * | */n | v | v/n | v-v | v-v/n (names in any case).
  cron_items = { for name, f in local.cron_fields : name => "\\*${local.cron_step}|(${f.value})(-(${f.value}))?${local.cron_step}" }
  cron_patterns = merge(
    { for name, f in local.cron_fields : name => "^(?i)(${f.question ? "\\?|" : ""}(${local.cron_items[name]})(,(${local.cron_items[name]}))*)$" },
    { "year" = "^\\*$" },
  )
  cron_reasons = merge(
    { for name, f in local.cron_fields : name => "use *, */n, values ${f.allowed}, ranges a-b, steps a-b/n or a/n, or comma lists" },
    { "year" = "year must be * (schedules repeat every year)" },
  )

  cron_forms = {
    seconds     = ["second", "minute", "hour", "day-of-month", "month", "day-of-week"]
    standard    = ["minute", "hour", "day-of-month", "month", "day-of-week"]
    eventbridge = ["minute", "hour", "eventbridge day-of-month", "month", "eventbridge day-of-week", "year"]
  }

  crons = flatten([
    for id, c in var.configurations : concat(
      [for i, w in c.idle_windows : { where = "runner_configs[\"${id}\"].idle_windows[${i}].cron", cron = trimspace(w.cron) }],
      [for i, s in c.pool_schedules : { where = "runner_configs[\"${id}\"].pool_schedules[${i}].cron", cron = trimspace(s.cron) }],
    )
  ])

  cron_parsed = [
    for c in local.crons : {
      where       = "${c.where} = \"${c.cron}\""
      rate        = can(regex("^rate\\(", c.cron))
      eventbridge = can(regex("^cron\\(.*\\)$", c.cron))
      fields      = [for f in split(" ", trimsuffix(trimprefix(c.cron, "cron("), ")")) : f if f != ""]
    }
  ]

  # The form each cron is read in (its field list is only used when the field count matches).
  cron_form = [
    for c in local.cron_parsed : c.eventbridge ? "eventbridge" : length(c.fields) == 6 ? "seconds" : "standard"
  ]

  cron_problems = flatten([
    for n, c in local.cron_parsed : (
      c.rate ? ["${c.where}: rate(...) is a schedule rate, not a cron expression; write a cron (6 fields with seconds, 5 fields, or EventBridge cron(...))"] :
      c.eventbridge && length(c.fields) != 6 ? ["${c.where}: EventBridge cron(...) needs 6 fields (minute hour day-of-month month day-of-week year), got ${length(c.fields)}"] :
      !c.eventbridge && !contains([5, 6], length(c.fields)) ? ["${c.where}: has ${length(c.fields)} fields; use 6 (second minute hour day-of-month month day-of-week), 5 (minute hour day-of-month month day-of-week) or EventBridge cron(minute hour day-of-month month day-of-week year)"] :
      [
        for i, field in c.fields : "${c.where}: ${trimprefix(local.cron_forms[local.cron_form[n]][i], "eventbridge ")} field \"${field}\" is not valid: ${local.cron_reasons[local.cron_forms[local.cron_form[n]][i]]}"
        if !can(regex(local.cron_patterns[local.cron_forms[local.cron_form[n]][i]], field))
      ]
    )
  ])
}
