import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { Observability } from '@hangar/runtime-lambda/observability/observability';
import { REPO } from './hcl';

/** Metric name → the dimension sets (sorted keys joined by `,`) the runtime publishes it under. */
export type PublishedMetrics = ReadonlyMap<string, ReadonlySet<string>>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' || entry.name === 'e2e' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

function dimensionKeys(argument: ts.Expression | undefined): string[] {
  if (argument === undefined || !ts.isObjectLiteralExpression(argument)) return [];
  return argument.properties.flatMap((property) =>
    property.name !== undefined && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
      ? [property.name.text]
      : [],
  );
}

type MetricCall = { readonly name: string; readonly dimensions: readonly string[] };

/** Every `<…>metrics.add('Name', value, unit, { dims })` call in the packages' sources. */
function metricCalls(): MetricCall[] {
  const calls: MetricCall[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'add' &&
      /metrics$/i.test(node.expression.expression.getText()) &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      calls.push({ name: node.arguments[0].text, dimensions: dimensionKeys(node.arguments[3]) });
    }
    ts.forEachChild(node, visit);
  };
  const packages = join(REPO, 'packages');
  for (const name of readdirSync(packages)) {
    for (const file of sourceFiles(join(packages, name, 'src'))) {
      visit(ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true));
    }
  }
  return calls;
}

/** Runs `work` with stdout captured (Powertools writes EMF records there). */
function captureStdout(work: () => void): string {
  const original = process.stdout.write.bind(process.stdout);
  let output = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    work();
  } finally {
    process.stdout.write = original;
  }
  return output;
}

/**
 * What the runtime publishes: every metric call found in the sources (read with the TypeScript
 * parser) is replayed through the real Powertools metrics adapter, and the dimension sets are
 * read back from the EMF records it writes.
 */
export function publishedMetrics(): PublishedMetrics {
  const observability = new Observability({
    serviceName: 'svc',
    logLevel: 'ERROR',
    metricsNamespace: 'Hangar',
  });
  const output = captureStdout(() => {
    for (const call of metricCalls()) {
      const dimensions = Object.fromEntries(call.dimensions.map((key) => [key, 'x']));
      observability.metrics.add(call.name, 1, 'Count', dimensions);
    }
    observability.endInvocation();
  });
  const published = new Map<string, Set<string>>();
  for (const line of output.split('\n').filter((text) => text.includes('"_aws"'))) {
    const record = JSON.parse(line) as {
      _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
    };
    for (const directive of record._aws.CloudWatchMetrics) {
      for (const metric of directive.Metrics) {
        const sets = published.get(metric.Name) ?? new Set<string>();
        for (const set of directive.Dimensions) sets.add([...set].sort().join(','));
        published.set(metric.Name, sets);
      }
    }
  }
  return published;
}
