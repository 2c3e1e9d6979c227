# The event store: one partition per stream (pk), events/head/snapshot items by sk (see
# docs/table-design.md). infra/test compares keys and indexes with the adapter's table.ts.
resource "aws_dynamodb_table" "events" {
  name                        = "${var.prefix}-events"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  range_key                   = "sk"
  deletion_protection_enabled = var.table_deletion_protection

  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
  attribute {
    name = "gsi1pk"
    type = "S"
  }
  attribute {
    name = "gsi1sk"
    type = "S"
  }
  attribute {
    name = "gsi2pk"
    type = "S"
  }
  attribute {
    name = "gsi3pk"
    type = "S"
  }

  # Sparse indexes over stream head items (packages/adapter-aws/src/event-store/table.ts,
  # INDEX): open heads, heads by lookup key (instance id), heads by alternate key (runner name).
  global_secondary_index {
    name            = "open"
    hash_key        = "gsi1pk"
    range_key       = "gsi1sk"
    projection_type = "ALL"
  }

  global_secondary_index {
    name            = "lookup"
    hash_key        = "gsi2pk"
    range_key       = "sk"
    projection_type = "ALL"
  }

  global_secondary_index {
    name            = "alternate"
    hash_key        = "gsi3pk"
    range_key       = "sk"
    projection_type = "ALL"
  }

  ttl {
    attribute_name = "ttl"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  # enabled = false means the AWS owned key (still encrypted at rest); a CMK needs enabled = true.
  server_side_encryption {
    enabled     = var.dynamodb_kms_key_arn != null
    kms_key_arn = var.dynamodb_kms_key_arn
  }

  tags = local.tags
}
