import type { EChartsOption } from 'echarts';
import type { BatchSummary } from '../analysis/summary.ts';
import type { ChartSpec } from './echarts-svg.ts';
import { pct } from './format.ts';

// A fixed palette, so colours do not depend on ECharts' defaults between versions.
const PALETTE = ['#3b6fb6', '#d1603d', '#3f9b5a', '#8a5cb8', '#c49a2c', '#2f9fa8', '#b8527e', '#6b7280'];
const TEXT = { fontFamily: 'sans-serif', fontSize: 12, color: '#333' };
const percentAxis = { type: 'value' as const, min: 0, max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } };

/**
 * P(peak ≥ rung) per scope (overall and each theatre) as lines over the ladder, each with its 95%
 * Wilson interval as a shaded band. Pure.
 */
export function exceedanceChart(s: BatchSummary): ChartSpec {
  const series: NonNullable<EChartsOption['series']> = [];
  s.peaks.forEach((scope, i) => {
    const color = PALETTE[i % PALETTE.length] as string;
    const stack = `band-${i}`;
    series.push(
      { type: 'line', name: `${scope.name} low`, data: scope.exceedance.map((e) => e.low), stack, symbol: 'none', lineStyle: { opacity: 0 }, silent: true },
      {
        type: 'line',
        name: `${scope.name} 95%`,
        data: scope.exceedance.map((e) => e.high - e.low),
        stack,
        symbol: 'none',
        lineStyle: { opacity: 0 },
        areaStyle: { color, opacity: 0.18 },
        silent: true,
      },
      { type: 'line', name: scope.name, data: scope.exceedance.map((e) => e.p), color, symbolSize: 6, lineStyle: { width: 2 } },
    );
  });
  return {
    width: 720,
    height: 320,
    option: {
      textStyle: TEXT,
      legend: { data: s.peaks.map((p) => p.name), top: 0 },
      grid: { left: 56, right: 24, top: 36, bottom: 40 },
      xAxis: { type: 'category', data: s.ladder.map((r) => r.id), name: 'rung', nameLocation: 'middle', nameGap: 26, boundaryGap: false },
      yAxis: { ...percentAxis, name: 'P(peak ≥ rung)' },
      series,
    },
  };
}

/** For one threshold: the share of runs that had crossed it by each turn, a line per scope. Pure. */
export function crossingChart(s: BatchSummary, threshold: BatchSummary['thresholds'][number], turnLabels: readonly string[]): ChartSpec {
  return {
    width: 460,
    height: 260,
    option: {
      textStyle: TEXT,
      title: { text: `${threshold.id} ${threshold.name} (≥ ${threshold.rung})`, left: 0, textStyle: { fontSize: 13, fontWeight: 'bold', fontFamily: 'sans-serif' } },
      legend: { data: threshold.scopes.map((sc) => scopeName(s, sc.scope)), bottom: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 56 },
      xAxis: { type: 'category', data: [...turnLabels], boundaryGap: false },
      yAxis: percentAxis,
      series: threshold.scopes.map((sc, i) => ({
        type: 'line' as const,
        name: scopeName(s, sc.scope),
        data: [...sc.byTurn],
        symbol: 'none',
        color: PALETTE[i % PALETTE.length] as string,
        lineStyle: { width: 2 },
      })),
    },
  };
}

/**
 * The top pathways as a Sankey flow: start → each ladder step → the final peak, link widths in runs,
 * node labels with the share of all runs that passed through. Steps raise the rung strictly, so the
 * flow has no cycle. Pure.
 */
export function pathwayChart(s: BatchSummary): ChartSpec {
  const runs = Math.max(1, s.meta.runs);
  const through = new Map<string, number>();
  const links = new Map<string, number>();
  const add = (from: string, to: string, count: number) => {
    links.set(`${from}\u0000${to}`, (links.get(`${from}\u0000${to}`) ?? 0) + count);
    through.set(to, (through.get(to) ?? 0) + count);
  };
  const start = 'start';
  let total = 0;
  for (const p of s.pathways) {
    total += p.count;
    let prev = start;
    for (const step of p.steps) {
      add(prev, step, p.count);
      prev = step;
    }
    const last = p.steps[p.steps.length - 1];
    add(prev, last === undefined ? 'no escalation' : `peak ${last.split(' ')[0]}`, p.count);
  }
  through.set(start, total);
  const names = [start, ...[...through.keys()].filter((n) => n !== start)];
  const columns = Math.max(1, ...s.pathways.map((p) => p.steps.length)) + 2;
  return {
    width: Math.max(720, columns * 230),
    height: Math.max(260, 46 * through.size),
    option: {
      textStyle: TEXT,
      color: PALETTE,
      series: [
        {
          type: 'sankey',
          left: 8,
          right: 200,
          top: 8,
          bottom: 8,
          nodeAlign: 'left',
          nodeGap: 14,
          layoutIterations: 64,
          draggable: false,
          data: names.map((name) => ({ name })),
          links: [...links].map(([key, value]) => {
            const [source, target] = key.split('\u0000') as [string, string];
            return { source, target, value };
          }),
          label: { formatter: (p: { name: string }) => `${p.name} · ${pct((through.get(p.name) ?? 0) / runs)}`, fontSize: 11 },
          lineStyle: { color: 'gradient', opacity: 0.35 },
        },
      ],
    },
  };
}

/** The dyad matrix: from (rows) × to (columns), coloured by the median peak rung, labelled median and maximum. Pure. */
export function dyadChart(s: BatchSummary): ChartSpec {
  const ids = s.actors.map((a) => a.id);
  const rung = new Map(s.ladder.map((r, i) => [r.id, i]));
  const data = s.dyads.map((d) => ({
    value: [ids.indexOf(d.to), ids.indexOf(d.from), d.median === null ? -1 : (rung.get(d.median) as number)],
    label: { formatter: `${d.median ?? '—'}\nmax ${d.max}` },
  }));
  const size = Math.max(320, 90 * ids.length + 140);
  return {
    width: size,
    height: size - 40,
    option: {
      textStyle: TEXT,
      grid: { left: 80, right: 16, top: 16, bottom: 90 },
      xAxis: { type: 'category', data: ids, name: 'to', nameLocation: 'middle', nameGap: 26, splitArea: { show: true } },
      yAxis: { type: 'category', data: ids, name: 'from', nameLocation: 'middle', nameGap: 56, inverse: true, splitArea: { show: true } },
      visualMap: {
        type: 'piecewise',
        dimension: 2,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemWidth: 14,
        pieces: [{ value: -1, label: 'none', color: '#e5e7eb' }, ...s.ladder.map((r, i) => ({ value: i, label: r.id, color: heat(i, s.ladder.length) }))],
      },
      series: [{ type: 'heatmap', data, label: { show: true, fontSize: 11 }, itemStyle: { borderColor: '#fff', borderWidth: 2 } }],
    },
  };
}

function scopeName(s: BatchSummary, scope: string): string {
  return s.peaks.find((p) => p.scope === scope)?.name ?? scope;
}

/** A yellow-to-red ramp over the ladder. */
function heat(i: number, n: number): string {
  const t = n <= 1 ? 1 : i / (n - 1);
  const r = Math.round(255 - 40 * t);
  const g = Math.round(237 - 200 * t);
  const b = Math.round(160 - 130 * t);
  return `rgb(${r},${g},${b})`;
}
