// A dependency-free SVG line chart: time on x, one series on the left axis and one on the right.

/** One line of the chart: y values over x (seconds), drawn against its own axis. */
export interface Series {
  readonly name: string;
  /** Unit shown on the series' axis, e.g. "deliveries/s" or "MB". */
  readonly unit: string;
  readonly color: string;
  readonly points: readonly (readonly [x: number, y: number])[];
}

export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly left: Series;
  readonly right: Series;
  /** Pixels (default 800 × 360). */
  readonly width?: number;
  readonly height?: number;
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A "nice" upper bound for an axis (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^n at or above max, so fifths are round), never 0. */
const niceMax = (max: number): number => {
  if (!(max > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  return ([1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * magnitude >= max) ?? 10) * magnitude;
};

const label = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(1));

/**
 * Renders the two series as an SVG document (both axes start at 0; ticks at fifths of the nice
 * maximum; a legend under the title). Pure: the same input gives the same text. Empty series draw
 * axes only.
 */
export const lineChartSvg = (options: ChartOptions): string => {
  const width = options.width ?? 800;
  const height = options.height ?? 360;
  const pad = { top: 56, right: 72, bottom: 48, left: 72 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const all = [...options.left.points, ...options.right.points];
  const xMax = niceMax(Math.max(0, ...all.map(([x]) => x)));
  const yMax = (s: Series) => niceMax(Math.max(0, ...s.points.map(([, y]) => y)));
  const leftMax = yMax(options.left);
  const rightMax = yMax(options.right);
  const px = (x: number) => pad.left + (x / xMax) * plotW;
  const py = (y: number, max: number) => pad.top + plotH - (y / max) * plotH;
  const path = (s: Series, max: number) =>
    s.points.length === 0
      ? ''
      : `<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y, max).toFixed(1)}`).join(' ')}"/>`;
  const ticks = [0, 1, 2, 3, 4, 5];
  const grid = ticks
    .map((i) => {
      const y = pad.top + plotH - (i / 5) * plotH;
      const x = pad.left + (i / 5) * plotW;
      return [
        `<line x1="${pad.left}" y1="${y}" x2="${pad.left + plotW}" y2="${y}" stroke="#e5e5e5"/>`,
        `<text x="${pad.left - 6}" y="${y + 4}" text-anchor="end" fill="${options.left.color}">${label((leftMax * i) / 5)}</text>`,
        `<text x="${pad.left + plotW + 6}" y="${y + 4}" fill="${options.right.color}">${label((rightMax * i) / 5)}</text>`,
        `<text x="${x}" y="${pad.top + plotH + 18}" text-anchor="middle">${label((xMax * i) / 5)}</text>`,
      ].join('');
    })
    .join('\n');
  const legend = (s: Series, x: number) =>
    `<rect x="${x}" y="34" width="14" height="3" fill="${s.color}"/><text x="${x + 20}" y="39">${escape(s.name === s.unit ? s.name : `${s.name} (${s.unit})`)}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escape(options.title)}</text>`,
    legend(options.left, pad.left),
    legend(options.right, pad.left + plotW / 2),
    grid,
    `<rect x="${pad.left}" y="${pad.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    path(options.left, leftMax),
    path(options.right, rightMax),
    `<text x="${pad.left + plotW / 2}" y="${height - 10}" text-anchor="middle">${escape(options.xLabel)}</text>`,
    `<text transform="translate(16 ${pad.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="${options.left.color}">${escape(options.left.unit)}</text>`,
    `<text transform="translate(${width - 12} ${pad.top + plotH / 2}) rotate(90)" text-anchor="middle" fill="${options.right.color}">${escape(options.right.unit)}</text>`,
    '</svg>',
    '',
  ].join('\n');
};
