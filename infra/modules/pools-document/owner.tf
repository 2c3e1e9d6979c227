# A pool's owner must agree with its level, as the runtime's pools schema requires at load: a
# repo-level pool registers its runners on one repository and needs owner = "owner/repo"; an
# org-level pool registers on the organization alone. Routing compares the job's repository
# with the owner, so a mismatch is a pool that never gets a job. Each problem names the
# configuration; the output precondition in outputs.tf turns them into a plan error.
locals {
  owner_problems = flatten([
    for id, c in var.configurations : (
      c.level == "repo"
      ? (can(regex("^[^/[:space:]]+/[^/[:space:]]+$", c.owner)) ? [] : [
        "runner_configs[\"${id}\"].owner: a repo-level pool serves one repository: owner must be \"owner/repo\", found \"${c.owner}\""
      ])
      : (can(regex("^[^/[:space:]]+$", c.owner)) ? [] : [
        "runner_configs[\"${id}\"].owner: owner \"${c.owner}\" names a repository: set level to \"repo\" for repo-level runners, or give the organization alone"
      ])
    )
  ])
}
