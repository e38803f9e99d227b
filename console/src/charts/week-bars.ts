import { escapeXml } from '../graph/index.ts';

export interface WeekCount {
  readonly week: string;
  readonly count: number;
}

const BAR_WIDTH = 12;
const GAP = 3;
const HEIGHT = 32;

/**
 * A sparkline of weekly counts as a self-contained SVG string: one bar per week, oldest first, scaled to the
 * busiest week (a week with none gets a hairline, so the weeks stay countable). Each bar carries
 * `data-week` and `data-count` and a title, so a test or a screen reader can read the figures.
 */
export const weekBars = (title: string, weeks: readonly WeekCount[]): string => {
  const max = Math.max(0, ...weeks.map((w) => w.count));
  const width = weeks.length * (BAR_WIDTH + GAP) - GAP;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${HEIGHT}" width="${width}" height="${HEIGHT}" role="img" aria-label="${escapeXml(`${title}: ${weeks.map((w) => w.count).join(', ')}`)}" class="week-bars">`,
    `<title>${escapeXml(title)}</title>`,
  ];
  weeks.forEach((w, i) => {
    const h = max === 0 || w.count === 0 ? 1 : Math.max(2, Math.round((w.count / max) * (HEIGHT - 2)));
    parts.push(
      `<rect class="week" x="${i * (BAR_WIDTH + GAP)}" y="${HEIGHT - h}" width="${BAR_WIDTH}" height="${h}" fill="${w.count === 0 ? '#d4d4d8' : '#2563eb'}" data-week="${escapeXml(w.week)}" data-count="${w.count}"><title>${escapeXml(`${w.week}: ${w.count}`)}</title></rect>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
};
