import { describe, expect, it } from 'vitest';
import { barChart } from '../../../console/src/charts/bar-chart.ts';

const chart = (rows: { label: string; values: (number | null)[] }[], max?: number) =>
  barChart({
    title: 'Reopen rate by family',
    series: ['median', 'p90'],
    rows,
    format: (v) => `${v} h`,
    ...(max ? { max } : {}),
  });

describe('the metrics page bar chart', () => {
  it('draws each value as a bar scaled to the largest, labelled with its figure', () => {
    const svg = chart([
      { label: 'payout hold', values: [2, 4] },
      { label: 'buyer dispute', values: [1, 8] },
    ]);
    const widths = [...svg.matchAll(/class="bar" x="\d+" y="[\d.]+" width="(\d+)"/g)].map((m) =>
      Number(m[1]),
    );

    expect(widths).toEqual([80, 160, 40, 320]);
    expect(svg).toContain('data-segment="buyer dispute" data-series="p90" data-value="8"');
    expect(svg).toContain('>8 h</text>');
  });

  it('says n/a for a figure not known yet instead of drawing a zero', () => {
    const svg = chart([{ label: 'policy appeal', values: [null, 3] }]);

    expect(svg).toContain('data-value=""');
    expect(svg).toContain('>n/a</text>');
  });

  it('escapes segment names, so a value from the data cannot become markup', () => {
    const svg = chart([{ label: '<script>alert(1)</script> & "x"', values: [1, 1] }]);

    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
  });
});
