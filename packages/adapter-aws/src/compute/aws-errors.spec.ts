import { describe, expect, it } from '@jest/globals';
import { ConfigurationError, DependencyError } from '@hangar/core';
import {
  awsErrorInfo,
  classifyCode,
  dependencyError,
  launchCallFailure,
  launchFailureFromError,
} from './aws-errors';

describe('classifyCode', () => {
  it.each([
    ['InsufficientInstanceCapacity', 'insufficient-capacity', true],
    ['InsufficientCapacity', 'insufficient-capacity', true],
    ['UnfulfillableCapacity', 'insufficient-capacity', true],
    ['SpotMaxPriceTooLow', 'insufficient-capacity', true],
    ['RequestLimitExceeded', 'throttled', true],
    ['ThrottlingException', 'throttled', true],
    ['InstanceLimitExceeded', 'quota-exceeded', true],
    ['VcpuLimitExceeded', 'quota-exceeded', true],
    ['MaxSpotInstanceCountExceeded', 'quota-exceeded', true],
    ['InvalidLaunchTemplateName.NotFoundException', 'invalid-configuration', false],
    ['InvalidParameterValue', 'invalid-configuration', false],
    ['InvalidAMIID.Malformed', 'invalid-configuration', false],
    ['InvalidSubnetID.NotFound', 'invalid-configuration', false],
    ['InvalidFleetConfig', 'invalid-configuration', false],
    ['TagLimitExceeded', 'invalid-configuration', false],
    ['UnauthorizedOperation', 'invalid-configuration', false],
    ['ClusterNotFoundException', 'invalid-configuration', false],
    ['InternalError', 'dependency-unavailable', true],
    ['ServerException', 'dependency-unavailable', true],
    ['ECONNREFUSED', 'dependency-unavailable', true],
  ] as const)('classifies %s as %s (retryable: %s)', (code, reason, retryable) => {
    expect(classifyCode(code, 400)).toEqual({ reason, retryable });
  });

  it('treats an unknown code on a 5xx or without an answer as a retryable unavailable dependency', () => {
    expect(classifyCode('Weird', 502)).toEqual({ reason: 'dependency-unavailable', retryable: true });
    expect(classifyCode('Weird', undefined)).toEqual({ reason: 'dependency-unavailable', retryable: true });
  });

  it('treats an unknown code on a 4xx as a non-retryable unknown failure', () => {
    expect(classifyCode('Weird', 400)).toEqual({ reason: 'unknown', retryable: false });
  });
});

describe('error translation', () => {
  it('reads the code and status from an SDK-shaped error and the code from a network error', () => {
    const sdk = Object.assign(new Error('m'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
    expect(awsErrorInfo(sdk)).toEqual({ code: 'Throttling', message: 'm', httpStatus: 400 });
    const net = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(awsErrorInfo(net)).toEqual({
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED',
      httpStatus: undefined,
    });
  });

  it('keeps a ConfigurationError non-retryable and a core DependencyError as retryable as it says', () => {
    expect(launchFailureFromError(new ConfigurationError(['x']), 'op')).toMatchObject({
      reason: 'invalid-configuration',
      retryable: false,
    });
    expect(launchFailureFromError(new DependencyError('ssm', 'Get', 'down', false), 'op')).toMatchObject({
      reason: 'dependency-unavailable',
      retryable: false,
    });
  });

  it('calls a refused launch call failed, and any call that may have been accepted unknown', () => {
    const sdk = (name: string, status: number) =>
      Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
    expect(launchCallFailure(sdk('UnauthorizedOperation', 403), 'CreateFleet')).toMatchObject({
      outcome: 'failed',
      retryable: false,
    });
    for (const error of [
      sdk('RequestLimitExceeded', 503),
      sdk('InternalError', 500),
      sdk('IdempotentParameterMismatch', 400),
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      Object.assign(new Error('timed out'), { name: 'TimeoutError' }),
    ]) {
      expect(launchCallFailure(error, 'CreateFleet')).toMatchObject({ outcome: 'unknown' });
    }
  });

  it('builds a DependencyError that names the operation, the code and whether to retry', () => {
    const error = dependencyError(
      'ec2',
      'DescribeInstances',
      Object.assign(new Error('nope'), { name: 'UnauthorizedOperation', $metadata: { httpStatusCode: 403 } }),
    );
    expect(error).toMatchObject({ dependency: 'ec2', operation: 'DescribeInstances', retryable: false });
    expect(error.message).toContain('UnauthorizedOperation');
    expect(error.message).toContain('do not retry');
  });
});
