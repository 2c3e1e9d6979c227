import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics as PowertoolsMetrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { LogAttributes, Logger, Metrics, MetricUnit as CoreMetricUnit } from '@hangar/core';
import { redact } from './redact';

export interface ObservabilitySettings {
  readonly serviceName: string;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  readonly metricsNamespace: string;
}

/** Keys every log line of one invocation carries (Lambda request id, trigger ids). */
export type InvocationKeys = Readonly<Record<string, string | number | undefined>>;

const UNITS: Readonly<Record<CoreMetricUnit, (typeof MetricUnit)[keyof typeof MetricUnit]>> = {
  Count: MetricUnit.Count,
  Seconds: MetricUnit.Seconds,
  Milliseconds: MetricUnit.Milliseconds,
};

/** Core's Logger port on Powertools: constant messages, attributes as structured keys, redacted. */
class PowertoolsLoggerPort implements Logger {
  constructor(private readonly logger: PowertoolsLogger) {}
  debug(message: string, attributes?: LogAttributes): void {
    this.logger.debug(message, redact(attributes));
  }
  info(message: string, attributes?: LogAttributes): void {
    this.logger.info(message, redact(attributes));
  }
  warn(message: string, attributes?: LogAttributes): void {
    this.logger.warn(message, redact(attributes));
  }
  error(message: string, attributes?: LogAttributes): void {
    this.logger.error(message, redact(attributes));
  }
}

/**
 * Core's Metrics port on Powertools (CloudWatch EMF on stdout). Metrics without dimensions
 * are buffered and flushed once per invocation; a metric with its own dimensions (per pool,
 * per reason) goes out at once as a single-metric EMF record carrying two dimension sets:
 * `[service]` and `[service, …its dimensions]`. CloudWatch never aggregates across
 * dimensions, so without the first set the alarms and dashboard widgets that watch the
 * service-wide figure (launch failures, rate limit, scale-up rejections) would see no data.
 */
class PowertoolsMetricsPort implements Metrics {
  constructor(private readonly metrics: PowertoolsMetrics) {}
  add(
    name: string,
    value: number,
    unit: CoreMetricUnit,
    dimensions?: Readonly<Record<string, string>>,
  ): void {
    if (dimensions === undefined || Object.keys(dimensions).length === 0) {
      this.metrics.addMetric(name, UNITS[unit], value);
      return;
    }
    const single = this.metrics.singleMetric();
    // Each addDimensions call adds one dimension set (default dimensions included).
    single.addDimensions({});
    single.addDimensions({ ...dimensions });
    single.addMetric(name, UNITS[unit], value);
  }
}

/**
 * Logging and metrics of one Lambda container: the core ports plus the per-invocation
 * lifecycle (request keys on, metrics flushed, keys off).
 */
export class Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  private readonly powertoolsLogger: PowertoolsLogger;
  private readonly powertoolsMetrics: PowertoolsMetrics;
  private invocationKeys: string[] = [];

  constructor(settings: ObservabilitySettings) {
    this.powertoolsLogger = new PowertoolsLogger({
      serviceName: settings.serviceName,
      logLevel: settings.logLevel,
    });
    this.powertoolsMetrics = new PowertoolsMetrics({
      namespace: settings.metricsNamespace,
      serviceName: settings.serviceName,
    });
    this.logger = new PowertoolsLoggerPort(this.powertoolsLogger);
    this.metrics = new PowertoolsMetricsPort(this.powertoolsMetrics);
  }

  /** Adds the invocation's keys (request id, message id, delivery id…) to every log line. */
  startInvocation(keys: InvocationKeys): void {
    const defined = Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== undefined));
    this.powertoolsLogger.appendKeys(defined);
    this.invocationKeys = Object.keys(defined);
  }

  /** Flushes this invocation's metrics and removes its keys; call in `finally`. */
  endInvocation(): void {
    if (this.powertoolsMetrics.hasStoredMetrics()) this.powertoolsMetrics.publishStoredMetrics();
    this.powertoolsLogger.removeKeys(this.invocationKeys);
    this.invocationKeys = [];
  }
}
