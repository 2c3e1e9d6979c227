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
  # Keys as key_schema blocks: the GSI hash_key/range_key arguments are deprecated since
  # hashicorp/aws 6.28 (infra/test/support/deprecations.ts).
  global_secondary_index {
    name            = "open"
    projection_type = "ALL"
    key_schema {
      attribute_name = "gsi1pk"
      key_type       = "HASH"
    }
    key_schema {
      attribute_name = "gsi1sk"
      key_type       = "RANGE"
    }
  }

  global_secondary_index {
    name            = "lookup"
    projection_type = "ALL"
    key_schema {
      attribute_name = "gsi2pk"
      key_type       = "HASH"
    }
    key_schema {
      attribute_name = "sk"
      key_type       = "RANGE"
    }
  }

  global_secondary_index {
    name            = "alternate"
    projection_type = "ALL"
    key_schema {
      attribute_name = "gsi3pk"
      key_type       = "HASH"
    }
    key_schema {
      attribute_name = "sk"
      key_type       = "RANGE"
    }
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
