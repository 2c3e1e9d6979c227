import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '@hangar/core';
import { fullEnvironment, MemoryParameters } from '../spec-fixtures';
import { configure, parseEnvironment } from './load';

const FIFO = 'https://sqs.eu-west-1.amazonaws.com/123456789012/hangar-scale-up.fifo';
const STANDARD = 'https://sqs.eu-west-1.amazonaws.com/123456789012/hangar-scale-up';
const env = (url: string, delay: string) => ({
  ...fullEnvironment(),
  HANGAR_SCALE_UP_QUEUE_URL: url,
  HANGAR_SCALE_UP_DELAY_SECONDS: delay,
});

function problemsOf(work: () => unknown): readonly string[] {
  try {
    work();
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('a scale-up delay on a FIFO scale-up queue', () => {
  it.each(['webhook', 'reconciler'] as const)(
    'is refused when %s loads its configuration, naming both settings and what to do',
    (handler) => {
      expect(problemsOf(() => parseEnvironment(env(FIFO, '10'), handler))).toEqual([
        `${handler}: HANGAR_SCALE_UP_DELAY_SECONDS is 10 but HANGAR_SCALE_UP_QUEUE_URL is a FIFO queue, which ` +
          'cannot delay single messages: set HANGAR_SCALE_UP_DELAY_SECONDS to 0 (Terraform: ' +
          'scale_up_delay_seconds = 0) or use a standard queue (Terraform: queues_fifo = false)',
      ]);
    },
  );

  it('is refused by configure before any parameter is read', async () => {
    const parameters = new MemoryParameters({});
    await expect(configure(env(FIFO, '30'), 'webhook', parameters)).rejects.toThrow(ConfigurationError);
    expect(parameters.reads).toEqual([]);
  });

  it.each([
    ['a FIFO queue without a delay', FIFO, '0'],
    ['a standard queue with a delay', STANDARD, '10'],
  ])('leaves %s alone', (_what, url, delay) => {
    expect(problemsOf(() => parseEnvironment(env(url, delay), 'webhook'))).toEqual([]);
  });

  it('does not concern a handler that never sends with the delay (scale-up ignores the variable)', () => {
    expect(problemsOf(() => parseEnvironment(env(FIFO, '10'), 'scale-up'))).toEqual([]);
  });
});
