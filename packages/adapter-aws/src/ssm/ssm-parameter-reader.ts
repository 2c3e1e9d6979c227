import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { ConfigurationError } from '@hangar/core';
import { awsErrorName, translateSsmError } from './ssm-errors';

export interface SsmParameterReaderConfig {
  /** Created with `createSsmClient` so throttling at cold start is retried adaptively. */
  readonly client: SSMClient;
}

/**
 * Reads configuration the operator keeps in Parameter Store: the pools JSON, GitHub App
 * secrets, the webhook secret, or an AMI id published to a parameter. A missing parameter is
 * a ConfigurationError naming it (an operator must create it; retrying cannot help); an
 * unreachable or throttled SSM is a DependencyError that says whether to retry.
 */
export class SsmParameterReader {
  private readonly client: SSMClient;

  constructor(config: SsmParameterReaderConfig) {
    this.client = config.client;
  }

  /** The parameter's value; SecureStrings are decrypted unless `decrypt: false`. */
  async readParameter(name: string, options: { readonly decrypt?: boolean } = {}): Promise<string> {
    let value: string | undefined;
    try {
      const out = await this.client.send(
        new GetParameterCommand({ Name: name, WithDecryption: options.decrypt ?? true }),
      );
      value = out.Parameter?.Value;
    } catch (error) {
      if (awsErrorName(error) === 'ParameterNotFound') {
        throw new ConfigurationError([`SSM parameter ${name} does not exist`], { cause: error });
      }
      throw translateSsmError(error, 'GetParameter', name);
    }
    if (value === undefined) throw new ConfigurationError([`SSM parameter ${name} has no value`]);
    return value;
  }

  /** The parameter's value parsed as JSON; shape validation is the caller's (config) job. */
  async readJson(name: string): Promise<unknown> {
    const raw = await this.readParameter(name);
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      // The parse error quotes the value, which can be secret: name the parameter only, no cause.
      throw new ConfigurationError([`SSM parameter ${name} is not valid JSON`]);
    }
  }
}
