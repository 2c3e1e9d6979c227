import type { InstanceEventBridgeEvent } from './eventbridge';
import type { LocalInfrastructure } from './infrastructure';
import type { ScheduledHandler } from './schedules';
import type { SimulatedClock } from './sim-clock';
import type { SqsHandler } from './sqs-driver';
import type { WebhookHandler } from './webhook-bridge';

/** The eight Lambda handlers, as the local control plane invokes them. */
export interface HandlerSet {
  readonly webhook: WebhookHandler;
  readonly scaleUp: SqsHandler;
  readonly jobEvents: SqsHandler;
  readonly scaleDown: ScheduledHandler;
  readonly pool: ScheduledHandler;
  readonly reconciler: ScheduledHandler;
  readonly instanceEvents: (event: InstanceEventBridgeEvent) => Promise<unknown>;
  readonly binariesSyncer: ScheduledHandler;
}

/** Builds the handlers against the local infrastructure with the shared simulated clock. */
export type HandlerFactory = (
  infrastructure: LocalInfrastructure,
  clock: SimulatedClock,
  environment: Readonly<Record<string, string>>,
) => Promise<HandlerSet>;
