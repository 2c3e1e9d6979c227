import { describe, expect, it } from '@jest/globals';
import {
  AccessDeniedException,
  PutParameterCommand,
  SSMClient,
  ParameterLimitExceeded,
  TooManyUpdates,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { InstanceId, RunnerId } from '@hangar/core';
import { ManualClock } from '@hangar/core/testing';
import { isRetryableSsmError, translateSsmError } from './ssm-errors';
import { SsmSecretStore } from './ssm-secret-store';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

describe('SSM error classification', () => {
  it('classifies throttling, TooManyUpdates, 5xx and dropped connections as retryable', () => {
    expect(isRetryableSsmError({ name: 'ThrottlingException', ...meta(400) })).toBe(true);
    expect(isRetryableSsmError(new TooManyUpdates({ message: 'busy', ...meta(400) }))).toBe(true);
    expect(isRetryableSsmError({ name: 'SomethingNew', ...meta(503) })).toBe(true);
    expect(isRetryableSsmError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(
      true,
    );
  });

  it('classifies access, validation and quota errors as not retryable', () => {
    expect(isRetryableSsmError(new AccessDeniedException({ message: 'no', ...meta(400) } as never))).toBe(
      false,
    );
    expect(isRetryableSsmError({ name: 'ValidationException', ...meta(400) })).toBe(false);
    expect(isRetryableSsmError(new ParameterLimitExceeded({ message: 'full', ...meta(400) }))).toBe(false);
  });

  it('names the operation, the parameter and the AWS error in the message and keeps the cause', () => {
    const cause = { name: 'ValidationException', message: 'bad tier', ...meta(400) };
    const error = translateSsmError(cause, 'PutParameter', '/p/r-1');
    expect(error.message).toBe('ssm PutParameter failed: /p/r-1: ValidationException: bad tier');
    expect(error.cause).toBe(cause);
  });
});

describe('SsmSecretStore error shapes (mocked client)', () => {
  it('never lets an SDK error type leave put', async () => {
    const client = new SSMClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(PutParameterCommand).rejects(new ParameterLimitExceeded({ message: 'too many', ...meta(400) }));
    const store = new SsmSecretStore({
      client,
      clock: new ManualClock(),
      runnerRoleIds: { ec2: 'AROATEST' },
    });
    const reader = { compute: 'ec2' as const, instanceId: InstanceId('i-0123456789abcdef0') };
    await expect(store.put({ runnerId: RunnerId('r-1'), suffix: null }, 'v', reader)).rejects.toMatchObject({
      name: 'DependencyError',
      dependency: 'ssm',
      retryable: false,
      message: expect.stringContaining('ParameterLimitExceeded'),
    });
    mock.restore();
  });
});
