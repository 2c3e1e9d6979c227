# The webhook endpoint: an HTTP API (route POST /webhook) or a Lambda function URL. Both
# hand the raw body to the function, which verifies X-Hub-Signature-256 before parsing.
locals {
  use_api_gateway = var.webhook_endpoint_type == "api-gateway"
}

resource "aws_apigatewayv2_api" "webhook" {
  count = local.use_api_gateway ? 1 : 0

  name          = "${var.prefix}-webhook"
  protocol_type = "HTTP"
  tags          = local.tags
}

resource "aws_apigatewayv2_integration" "webhook" {
  count = local.use_api_gateway ? 1 : 0

  api_id                 = aws_apigatewayv2_api.webhook[0].id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.handler["webhook"].invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = 10000
}

resource "aws_apigatewayv2_route" "webhook" {
  count = local.use_api_gateway ? 1 : 0

  api_id    = aws_apigatewayv2_api.webhook[0].id
  route_key = "POST /webhook"
  target    = "integrations/${aws_apigatewayv2_integration.webhook[0].id}"
}

resource "aws_apigatewayv2_stage" "webhook" {
  count = local.use_api_gateway ? 1 : 0

  api_id      = aws_apigatewayv2_api.webhook[0].id
  name        = "$default"
  auto_deploy = true
  tags        = local.tags

  default_route_settings {
    throttling_burst_limit = 200
    throttling_rate_limit  = 100
  }
}

resource "aws_lambda_permission" "webhook_api_gateway" {
  count = local.use_api_gateway ? 1 : 0

  statement_id  = "AllowHttpApiInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.handler["webhook"].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.webhook[0].execution_arn}/*/*/webhook"
}

resource "aws_lambda_function_url" "webhook" {
  count = local.use_api_gateway ? 0 : 1

  function_name      = aws_lambda_function.handler["webhook"].function_name
  authorization_type = "NONE"
}

# A function URL without IAM auth still needs a resource policy that lets anyone call it; the
# function's HMAC check is what keeps strangers out. Function URLs created since October 2025
# need both lambda:InvokeFunctionUrl and lambda:InvokeFunction (AWS Lambda guide, "Control
# access to Lambda function URLs"); without the second every webhook answers 403. The second is
# limited to calls that come through the URL (lambda:InvokedViaFunctionUrl), so it does not open
# the Invoke API to every AWS account. hashicorp/aws >= 6.28 also adds such a statement itself
# when it creates the URL, but outside Terraform's state; these two are the ones we manage.
resource "aws_lambda_permission" "webhook_function_url" {
  count = local.use_api_gateway ? 0 : 1

  statement_id           = "AllowPublicFunctionUrl"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.handler["webhook"].function_name
  principal              = "*"
  function_url_auth_type = "NONE"
}

resource "aws_lambda_permission" "webhook_function_url_invoke" {
  count = local.use_api_gateway ? 0 : 1

  statement_id             = "AllowPublicFunctionUrlInvoke"
  action                   = "lambda:InvokeFunction"
  function_name            = aws_lambda_function.handler["webhook"].function_name
  principal                = "*"
  invoked_via_function_url = true
}

locals {
  webhook_url = local.use_api_gateway ? "${aws_apigatewayv2_stage.webhook[0].invoke_url}webhook" : aws_lambda_function_url.webhook[0].function_url
}
