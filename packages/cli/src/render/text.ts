// Plain-text building blocks: aligned columns, durations, times, and colour only on a TTY.

/** ANSI styles, or none at all when the output is not a terminal (or colour is turned off). */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export function style(colour: boolean): Style {
  if (!colour) {
    const plain = (text: string) => text;
    return { bold: plain, dim: plain, red: plain, yellow: plain, green: plain };
  }
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    green: wrap(32, 39),
  };
}

// eslint-disable-next-line no-control-regex
const visible = (text: string) => text.replace(/\u001b\[\d+m/g, '').length;

/** Rows as aligned columns (two spaces between), padding by visible width so colour never misaligns. */
export function columns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(cell))));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visible(cell))))
      .join('  ')
      .trimEnd(),
  );
}

/** 75 → "1m15s", 3600 → "1h00m", 4.2 → "4s". */
export function duration(seconds: number | null): string {
  if (seconds === null) return '-';
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes}m${String(total % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d${String(hours % 24).padStart(2, '0')}h`;
}

/** An ISO time as people read it in a terminal: `2026-01-05 08:14:03Z`. */
export function time(at: string | null): string {
  if (!at) return '-';
  return at.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/** A signed offset from a reference: `+1m15s`. */
export function offset(seconds: number | null): string {
  return seconds === null ? '' : `+${duration(seconds)}`;
}
