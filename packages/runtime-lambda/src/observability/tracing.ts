import { Tracer } from '@aws-lambda-powertools/tracer';

/** A handler as the Lambda runtime calls it: `(event, context)` → a promise. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any handler signature
export type AsyncHandler = (...args: any[]) => Promise<unknown>;

/**
 * X-Ray tracing of one Lambda container with the Powertools tracer: every AWS SDK client the
 * composition builds is captured (each call a subsegment), fetch calls to GitHub are captured
 * by the tracer itself, and each invocation runs in a `## <handler>` subsegment annotated with
 * the cold start and the service, its error attached. Loaded only when POWERTOOLS_TRACE_ENABLED
 * is true (see lambda-entry.ts): the X-Ray SDK is never evaluated by functions without tracing.
 */
export class Tracing {
  private readonly tracer: Tracer;

  constructor(serviceName: string) {
    this.tracer = new Tracer({ serviceName });
  }

  /** The SDK client, its calls recorded as subsegments (unchanged when tracing is off). */
  readonly instrument = <C extends object>(client: C): C => this.tracer.captureAWSv3Client(client);

  /** The handler, each invocation inside its own subsegment. */
  wrap<F extends AsyncHandler>(name: string, handler: F): F {
    const tracer = this.tracer;
    const traced = async (...args: Parameters<F>): Promise<unknown> => {
      const parent = tracer.getSegment();
      const segment = parent?.addNewSubsegment(`## ${name}`);
      if (segment) tracer.setSegment(segment);
      tracer.annotateColdStart();
      tracer.addServiceNameAnnotation();
      try {
        return await handler(...args);
      } catch (error) {
        if (error instanceof Error) tracer.addErrorAsMetadata(error);
        throw error;
      } finally {
        segment?.close();
        if (parent) tracer.setSegment(parent);
      }
    };
    return traced as F;
  }
}
