import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { INFRA, isObject, loadModule, only, type Block } from './support/hcl';
import { evaluate } from './support/terraform';

const multi = await loadModule(join(INFRA, 'modules', 'multi-runner'));
const scaleUp = only(multi.resource.aws_sqs_queue?.scale_up, 'aws_sqs_queue.scale_up');
const preconditions = ((scaleUp.lifecycle as Block[] | undefined) ?? []).flatMap(
  (l) => (l.precondition as Block[] | undefined) ?? [],
);

/**
 * Evaluates the scale-up queue's preconditions for real: the same condition and message text,
 * in a provider-free configuration that declares the two variables they read.
 */
function plan(queuesFifo: boolean, delaySeconds: number) {
  const checks = preconditions
    .map(
      (p) => `  precondition {
    condition     = ${String(p.condition).replace(/^\$\{([\s\S]*)\}$/, '$1')}
    error_message = ${JSON.stringify(String(p.error_message))}
  }`,
    )
    .join('\n');
  return evaluate(
    `variable "queues_fifo" {
  type    = bool
  default = ${queuesFifo}
}
variable "scale_up_delay_seconds" {
  type    = number
  default = ${delaySeconds}
}
output "ok" {
  value = true
${checks}
}
`,
    'ok',
  );
}

describe('FIFO queues and the scale-up delay', () => {
  it('guards the scale-up queue with a precondition on exactly these two settings', () => {
    expect(preconditions).toHaveLength(1);
    expect(isObject(preconditions[0]) && String(preconditions[0].condition)).toContain('var.queues_fifo');
  });

  it('refuses queues_fifo with scale_up_delay_seconds > 0 at plan time, naming both and what to do', () => {
    const result = plan(true, 10);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error.replace(/\s+/g, ' ')).toContain(
      'queues_fifo = true cannot be combined with scale_up_delay_seconds = 10: SQS FIFO queues cannot delay single messages, so every queued job would fail to enqueue. Set scale_up_delay_seconds = 0, or queues_fifo = false to keep the delay.',
    );
  });

  it.each([
    [true, 0],
    [false, 10],
    [false, 0],
  ])('accepts queues_fifo = %s with scale_up_delay_seconds = %s', (fifo, delay) => {
    expect(plan(fifo, delay)).toEqual({ ok: true, value: true });
  });
});
