/**
 * Plain text for people: columns padded to their widest cell, no colour and no box drawing, so the output
 * reads the same in a terminal, a pipe or a log. Scripts use `--json` instead.
 */
export const table = (headers: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
};

/** Label / value lines, the labels padded to one width. */
export const fields = (pairs: readonly (readonly [string, string])[]): string => {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
};

/** A timestamp to the second, in UTC as the API gives it. */
export const when = (iso: unknown): string =>
  typeof iso === 'string' ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-';

/** One line of free text: newlines and runs of spaces folded. */
export const oneLine = (text: unknown): string =>
  typeof text === 'string' ? text.replace(/\s+/g, ' ').trim() : text == null ? '' : JSON.stringify(text);
