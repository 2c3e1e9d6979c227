import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | null = null;

/**
 * Chart.js's UMD build (one file, no dependencies), inlined into every report so it opens
 * offline. The package's exports map hides `dist/`, so the file is found beside its main entry.
 * The source-map comment is dropped (a report has no map to fetch), and `</script` is escaped
 * so the code can sit inside a script element.
 */
export function chartLibrary(): string {
  if (cached === null) {
    const main = createRequire(import.meta.url).resolve('chart.js');
    const code = readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8');
    cached = code.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n').replaceAll('</script', '<\\/script');
  }
  return cached;
}
