import { escapeXml } from '../graph/index.ts';

export interface BarChartRow {
  readonly label: string;
  /** One value per series; `null` where the figure is not known yet (no resolved case in the segment). */
  readonly values: readonly (number | null)[];
}

export interface BarChart {
  readonly title: string;
  readonly series: readonly string[];
  readonly rows: readonly BarChartRow[];
  readonly format: (value: number) => string;
  /** The axis maximum; defaults to the largest value (1 for shares, so 100 % is the full width). */
  readonly max?: number;
}

const LABEL_WIDTH = 150;
const BAR_AREA = 320;
const VALUE_WIDTH = 70;
const BAR_HEIGHT = 14;
const GAP = 8;
const COLOURS = ['#2563eb', '#f59e0b', '#16a34a'];

/**
 * A horizontal bar chart as a self-contained SVG string: one group of bars per segment, one bar per
 * series, each labelled with its value. Every text is escaped; each bar carries `data-segment`,
 * `data-series` and `data-value` so a test (or a screen reader's table view) can read the figures.
 */
export const barChart = (chart: BarChart): string => {
  const known = chart.rows.flatMap((r) => r.values.filter((v): v is number => v !== null));
  const max = chart.max ?? Math.max(0, ...known);
  const groupHeight = chart.series.length * BAR_HEIGHT + GAP;
  const legendHeight = chart.series.length > 1 ? 20 : 0;
  const height = 28 + legendHeight + chart.rows.length * groupHeight + 4;
  const width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(chart.title)}" class="chart">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<text x="0" y="16" font-size="13" font-weight="600" fill="#18181b">${escapeXml(chart.title)}</text>`,
  ];
  chart.series.forEach((name, i) => {
    if (chart.series.length < 2) return;
    const x = LABEL_WIDTH + i * 110;
    parts.push(
      `<rect x="${x}" y="26" width="10" height="10" fill="${COLOURS[i % COLOURS.length]}"/>`,
      `<text x="${x + 14}" y="35" font-size="11" fill="#3f3f46">${escapeXml(name)}</text>`,
    );
  });
  chart.rows.forEach((row, r) => {
    const top = 28 + legendHeight + r * groupHeight;
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${top + (chart.series.length * BAR_HEIGHT) / 2 + 4}" font-size="11" text-anchor="end" fill="#3f3f46">${escapeXml(row.label)}</text>`,
    );
    row.values.forEach((value, s) => {
      const y = top + s * BAR_HEIGHT;
      const w = value === null || max === 0 ? 0 : Math.max(1, Math.round((value / max) * BAR_AREA));
      const text = value === null ? 'n/a' : chart.format(value);
      parts.push(
        `<rect class="bar" x="${LABEL_WIDTH}" y="${y + 1}" width="${w}" height="${BAR_HEIGHT - 2}" fill="${COLOURS[s % COLOURS.length]}" data-segment="${escapeXml(row.label)}" data-series="${escapeXml(chart.series[s] ?? '')}" data-value="${value ?? ''}"><title>${escapeXml(`${row.label} · ${chart.series[s] ?? ''}: ${text}`)}</title></rect>`,
        `<text x="${LABEL_WIDTH + w + 4}" y="${y + BAR_HEIGHT - 3}" font-size="10" fill="#52525b">${escapeXml(text)}</text>`,
      );
    });
  });
  parts.push('</svg>');
  return parts.join('');
};
