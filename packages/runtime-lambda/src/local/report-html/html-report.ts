import { chartLibrary } from './chart-library';

/** One line (or bar series) of a chart. */
export interface Series {
  readonly label: string;
  readonly data: readonly (number | null)[];
  /** Dashed and unfilled: a limit such as a pool's maximum. */
  readonly limit?: boolean;
}

/** A vertical mark at an x position: a fault (capacity outage, interruption, GitHub 5xx). */
export interface Marker {
  readonly x: number;
  readonly label: string;
}

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly kind: 'line' | 'bar';
  readonly xLabel: string;
  readonly yLabel: string;
  readonly labels: readonly (string | number)[];
  readonly series: readonly Series[];
  readonly markers?: readonly Marker[];
  readonly stacked?: boolean;
}

export interface HtmlReport {
  readonly title: string;
  readonly subtitle: string;
  /** Headline numbers, as label/value rows (or a comparison: label then one value per column). */
  readonly table: { readonly header: readonly string[]; readonly rows: readonly (readonly string[])[] };
  readonly charts: readonly ChartSpec[];
  readonly notes?: readonly string[];
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** JSON that is safe inside a script element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

// Runs in the browser: builds one Chart.js chart per spec; markers are drawn by a small plugin
// (vertical dashed lines with a label) so no annotation plugin has to be bundled too.
const PAGE_SCRIPT = `
const specs = JSON.parse(document.getElementById('hangar-charts').textContent);
const palette = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];
const markerPlugin = {
  id: 'hangarMarkers',
  afterDatasetsDraw(chart, _args, options) {
    const { ctx, chartArea, scales } = chart;
    ctx.save();
    ctx.font = '11px sans-serif';
    (options.markers || []).forEach((marker, i) => {
      const x = scales.x.getPixelForValue(marker.x);
      if (!(x >= chartArea.left && x <= chartArea.right)) return;
      ctx.strokeStyle = '#9333ea';
      ctx.setLineDash([4, 3]);
      ctx.beginPath(); ctx.moveTo(x, chartArea.top); ctx.lineTo(x, chartArea.bottom); ctx.stroke();
      ctx.fillStyle = '#6b21a8';
      const width = ctx.measureText(marker.label).width;
      const left = x + 3 + width > chartArea.right ? x - 3 - width : x + 3;
      ctx.fillText(marker.label, left, chartArea.top + 12 + (i % 4) * 13);
    });
    ctx.restore();
  },
};
Chart.register(markerPlugin);
for (const spec of specs) {
  const datasets = spec.series.map((s, i) => ({
    label: s.label,
    data: s.data,
    borderColor: palette[i % palette.length],
    backgroundColor: spec.kind === 'bar' ? palette[i % palette.length] + 'cc' : palette[i % palette.length] + '22',
    borderDash: s.limit ? [6, 4] : [],
    borderWidth: s.limit ? 1.5 : 2,
    pointRadius: 0,
    stepped: s.limit ? true : false,
    fill: false,
  }));
  new Chart(document.getElementById(spec.id), {
    type: spec.kind,
    data: { labels: spec.labels, datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { title: { display: true, text: spec.xLabel }, stacked: !!spec.stacked },
        y: { title: { display: true, text: spec.yLabel }, beginAtZero: true, stacked: !!spec.stacked },
      },
      plugins: { title: { display: false }, hangarMarkers: { markers: spec.markers || [] } },
    },
  });
}
document.body.dataset.rendered = String(specs.length);
`;

/** A self-contained HTML page: the numbers, then the charts, with Chart.js inlined (opens offline). */
export function htmlReport(report: HtmlReport): string {
  const header = report.table.header.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('');
  const rows = report.table.rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  const charts = report.charts
    .map(
      (chart) =>
        `<section><h2>${escapeHtml(chart.title)}</h2><div class="chart"><canvas id="${escapeHtml(chart.id)}"></canvas></div></section>`,
    )
    .join('\n');
  const notes = (report.notes ?? []).map((note) => `<li>${escapeHtml(note)}</li>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(report.title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 24px; color: #111827; max-width: 1100px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 16px; margin: 24px 0 8px; }
p.subtitle { color: #4b5563; margin-top: 0; }
table { border-collapse: collapse; font-size: 14px; } td, th { padding: 3px 12px 3px 0; text-align: left; }
th { border-bottom: 1px solid #d1d5db; } td:not(:first-child) { font-variant-numeric: tabular-nums; }
.chart { position: relative; height: 300px; }
ul.notes { color: #4b5563; font-size: 13px; }
</style>
</head>
<body>
<h1>${escapeHtml(report.title)}</h1>
<p class="subtitle">${escapeHtml(report.subtitle)}</p>
<table><thead><tr>${header}</tr></thead><tbody>
${rows}
</tbody></table>
${notes ? `<ul class="notes">${notes}</ul>` : ''}
${charts}
<script>${chartLibrary()}</script>
<script type="application/json" id="hangar-charts">${scriptJson(report.charts)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** Wait times (seconds) bucketed for a histogram: labels and counts. */
export function waitHistogram(waits: readonly number[]): { labels: string[]; counts: number[] } {
  const edges = [30, 60, 120, 300, 600, 1200];
  const labels = ['< 30 s', '30–60 s', '1–2 min', '2–5 min', '5–10 min', '10–20 min', '≥ 20 min'];
  const counts = labels.map(() => 0);
  for (const wait of waits) {
    const bucket = edges.findIndex((edge) => wait < edge);
    counts[bucket < 0 ? edges.length : bucket] = (counts[bucket < 0 ? edges.length : bucket] ?? 0) + 1;
  }
  return { labels, counts };
}
