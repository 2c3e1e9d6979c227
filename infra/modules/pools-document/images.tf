# The private ECR repositories the Fargate configurations' images live in, so multi-runner can
# let the task execution role pull exactly those (and nothing else in the account). An image URI
# is <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/<repository>[:tag|@digest]; images
# anywhere else (public.ecr.aws, Docker Hub, GHCR) need no ECR permission and are not listed.
locals {
  ecr_image = "^([0-9]{12})\\.dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/([a-z0-9._/-]+)"

  ecr_matches = [
    for id, c in var.configurations : regex(local.ecr_image, c.fargate.image)
    if c.compute == "fargate" && c.fargate != null && can(regex(local.ecr_image, try(c.fargate.image, "")))
  ]

  image_repositories = distinct([for m in local.ecr_matches : { account = m[0], region = m[1], name = m[2] }])
}
