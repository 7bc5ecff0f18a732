import { strengths, strengthRank } from '../../domain/strength.js';
import type { RungSeries } from './rung-timeline.js';
import { jurisdictionName, strengthName } from './labels.js';

/** Everything the SVG needs, as numbers and fixed labels: the view only places them. */
export interface TimelineChart {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  lines: { jurisdiction: string; label: string; style: number; d: string; labelX: number; labelY: number; points: { x: number; y: number }[] }[];
  /** The same data as rows, for the text alternative. */
  rows: { jurisdiction: string; date: string; rung: string }[];
  from: string;
  to: string;
}

const dayMs = 86_400_000;

function toMs(date: string): number {
  return Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** A step chart: x is time (years), y the ladder rungs none → duty. */
export function timelineChart(series: readonly RungSeries[], today: string): TimelineChart | null {
  const dates = series.flatMap((s) => s.steps.map((p) => p.date));
  if (dates.length === 0) return null;
  const width = 760;
  const height = 300;
  const plot = { left: 118, top: 16, right: width - 96, bottom: height - 40 };
  const first = toMs(dates.reduce((a, b) => (a < b ? a : b)));
  const lastData = toMs(dates.reduce((a, b) => (a > b ? a : b)));
  const end = Math.max(lastData, toMs(today)) + 180 * dayMs;
  const start = first - 180 * dayMs;
  const x = (ms: number) => round(plot.left + ((ms - start) / (end - start)) * (plot.right - plot.left));
  const top = strengths.length - 1;
  const y = (rank: number) => round(plot.bottom - (rank / top) * (plot.bottom - plot.top));

  const startYear = new Date(start).getUTCFullYear();
  const endYear = new Date(end).getUTCFullYear();
  const span = Math.max(1, endYear - startYear);
  const stepYears = [1, 2, 5, 10, 20, 25, 50].find((s) => span / s <= 8) ?? 100;
  const xTicks: TimelineChart['xTicks'] = [];
  for (let year = Math.ceil(startYear / stepYears) * stepYears; year <= endYear; year += stepYears) {
    const ms = Date.UTC(year, 0, 1);
    if (ms >= start && ms <= end) xTicks.push({ x: x(ms), label: String(year) });
  }
  const yTicks = strengths.map((s) => ({ y: y(strengthRank(s)), label: strengthName(s) }));

  const lines = series.map((s, i) => {
    const points = s.steps.map((p) => ({ x: x(toMs(p.date)), y: y(strengthRank(p.rung)) }));
    let d = '';
    points.forEach((p, j) => {
      d += j === 0 ? `M${p.x} ${p.y}` : ` H${p.x} V${p.y}`;
    });
    const last = points.at(-1)!;
    d += ` H${plot.right}`;
    return { jurisdiction: s.jurisdiction, label: jurisdictionName(s.jurisdiction), style: i % 4, d, labelX: plot.right + 6, labelY: round(last.y + 4 + i * 0), points };
  });
  // Keep end labels apart when two lines end on the same rung.
  const used = new Map<number, number>();
  for (const line of lines) {
    const n = used.get(line.labelY) ?? 0;
    used.set(line.labelY, n + 1);
    line.labelY = round(line.labelY + n * 14);
  }
  const rows = series.flatMap((s) => s.steps.map((p) => ({ jurisdiction: jurisdictionName(s.jurisdiction), date: p.date, rung: strengthName(p.rung) })));
  return { width, height, plot, xTicks, yTicks, lines, rows, from: new Date(start).toISOString().slice(0, 10), to: new Date(end).toISOString().slice(0, 10) };
}
