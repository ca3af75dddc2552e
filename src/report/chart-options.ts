import type { EChartsOption } from 'echarts';
import type { BatchSummary } from '../analysis/summary.ts';
import type { ChartData } from './chart-data.ts';
import { pct, pctInterval } from './format.ts';

/** One chart to draw: its ECharts option and size, what the page adds on top, and the data behind it. */
export interface ChartSpec {
  readonly option: EChartsOption;
  readonly width: number;
  readonly height: number;
  /** Hover columns over a category x-axis: the plot area and one tooltip per category. */
  readonly columns?: { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number; readonly tips: readonly string[] };
  /** Tooltips for the drawn elements of series 0, by data index; a second list when the series draws a second kind (a Sankey's nodes after its links). */
  readonly elementTips?: ReadonlyArray<readonly string[]>;
  /** The legend group of each series, by series index: clicking a legend entry hides every series of its group. */
  readonly groups?: readonly string[];
  readonly data: ChartData;
}

// Okabe–Ito: distinguishable with the common colour-vision deficiencies; a fixed order, so colours do not depend on ECharts' defaults.
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#8C6D1F'];
const TEXT = { fontFamily: 'sans-serif', fontSize: 12, color: '#333' };

/** A percent axis label with as many decimals as the tick needs. */
const percentLabel = (v: number) => `${Number((v * 100).toPrecision(2))}%`;

/**
 * P(peak ≥ rung) per scope (overall and each theatre) as lines over the ladder on a log scale, so a
 * rung reached by 0.03% of runs stands apart from zero; the 95% Wilson interval as dotted lines either
 * side. A rung no run reached has no point. Pure.
 */
export function exceedanceChart(s: BatchSummary): ChartSpec {
  const series: NonNullable<EChartsOption['series']> = [];
  const groups: string[] = [];
  // The axis starts a decade below the smallest share reached; a zero (or the bound of a zero) has no point on a log scale.
  const positive = s.peaks.flatMap((p) => p.exceedance.filter((e) => e.count > 0).map((e) => e.p));
  const floor = 10 ** (Math.floor(Math.log10(Math.min(1, ...positive))) - (positive.some((x) => x < 1) ? 1 : 0));
  const orNull = (x: number) => (x >= floor ? x : null);
  s.peaks.forEach((scope, i) => {
    const color = PALETTE[i % PALETTE.length] as string;
    const bound = (name: string, data: Array<number | null>) => ({
      type: 'line' as const,
      name,
      data,
      color,
      symbol: 'none',
      lineStyle: { width: 1, type: 'dotted' as const, opacity: 0.8 },
      silent: true,
      connectNulls: false,
    });
    series.push(
      bound(`${scope.name} low`, scope.exceedance.map((e) => (e.count > 0 ? orNull(e.low) : null))),
      bound(`${scope.name} high`, scope.exceedance.map((e) => (e.count > 0 ? orNull(e.high) : null))),
      { type: 'line', name: scope.name, data: scope.exceedance.map((e) => (e.count > 0 ? orNull(e.p) : null)), color, symbolSize: 6, lineStyle: { width: 2 } },
    );
    groups.push(scope.name, scope.name, scope.name);
  });
  const grid = { left: 64, right: 24, top: 40, bottom: 44 };
  const width = 1000;
  const height = 360;
  return {
    width,
    height,
    option: {
      textStyle: TEXT,
      legend: { data: s.peaks.map((p) => p.name), top: 0, left: 60 },
      grid,
      xAxis: { type: 'category', data: s.ladder.map((r) => r.id), name: 'rung', nameLocation: 'middle', nameGap: 28, boundaryGap: false },
      yAxis: { type: 'log', logBase: 10, min: floor, max: 1, axisLabel: { formatter: percentLabel }, minorTick: { show: true }, minorSplitLine: { show: true, lineStyle: { color: '#f0f0f0' } } },
      series,
    },
    columns: {
      ...grid,
      tips: s.ladder.map((r, i) =>
        [`≥ ${r.id} ${r.name}`, ...s.peaks.map((p) => `${p.name}: ${pctInterval(p.exceedance[i] as { p: number; low: number; high: number })} (${p.exceedance[i]?.count ?? 0} runs)`)].join('\n'),
      ),
    },
    groups,
    data: {
      file: 'peak-exceedance',
      columns: ['scope', 'rung', 'rung_name', 'runs_at_or_above', 'p', 'low', 'high'],
      rows: s.peaks.flatMap((p) => p.exceedance.map((e, i) => [p.scope, e.rung, s.ladder[i]?.name ?? '', e.count, e.p, e.low, e.high])),
    },
  };
}

/**
 * For one threshold: the share of runs that had crossed it by each turn, a line per scope, on an axis
 * scaled to this threshold's own highest share (a firebreak crossed by 0.1% of runs is not a flat
 * line on zero). Pure.
 */
export function crossingChart(s: BatchSummary, threshold: BatchSummary['thresholds'][number], turnLabels: readonly string[]): ChartSpec {
  const top = Math.max(0, ...threshold.scopes.flatMap((sc) => sc.byTurn));
  const grid = { left: 58, right: 16, top: 44, bottom: 58 };
  return {
    width: 460,
    height: 270,
    option: {
      textStyle: TEXT,
      title: {
        text: `${threshold.id} ${threshold.name} (≥ ${threshold.rung})`,
        subtext: top === 0 ? 'no run crossed it' : `axis up to ${pct(top)}`,
        left: 0,
        itemGap: 2,
        textStyle: { fontSize: 13, fontWeight: 'bold', fontFamily: 'sans-serif' },
        subtextStyle: { fontSize: 11, color: '#57606a' },
      },
      legend: { data: threshold.scopes.map((sc) => scopeName(s, sc.scope)), bottom: 0 },
      grid,
      xAxis: { type: 'category', data: [...turnLabels], boundaryGap: false },
      yAxis: { type: 'value', min: 0, ...(top === 0 ? { max: 1 } : {}), axisLabel: { formatter: percentLabel } },
      series: threshold.scopes.map((sc, i) => ({
        type: 'line' as const,
        name: scopeName(s, sc.scope),
        data: [...sc.byTurn],
        symbol: 'none',
        color: PALETTE[i % PALETTE.length] as string,
        lineStyle: { width: 2 },
      })),
    },
    columns: {
      ...grid,
      tips: turnLabels.map((label, t) => [`${threshold.id} crossed by ${label}`, ...threshold.scopes.map((sc) => `${scopeName(s, sc.scope)}: ${pct(sc.byTurn[t] ?? 0)}`)].join('\n')),
    },
    groups: threshold.scopes.map((sc) => scopeName(s, sc.scope)),
    data: {
      file: `crossing-${threshold.id}`,
      columns: ['threshold', 'scope', 'turn', 'date', 'share_crossed_by_turn'],
      rows: threshold.scopes.flatMap((sc) => sc.byTurn.map((share, t) => [threshold.id, sc.scope, t + 1, turnLabels[t] ?? '', share])),
    },
  };
}

/**
 * The top pathways as a Sankey flow fitted to the page's column: start → each ladder step → the final
 * peak, link widths in runs; node labels wrap (rung and actor, act, share of all runs). Steps raise
 * the rung strictly, so the flow has no cycle. Pure.
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
  const width = 1080;
  const labelWidth = Math.max(70, Math.floor((width - 40) / columns) - 24);
  const linkList = [...links].map(([key, value]) => {
    const [source, target] = key.split('\u0000') as [string, string];
    return { source, target, value };
  });
  const share = (n: number) => pct(n / runs);
  const rungIds = new Map(s.ladder.map((r, i) => [r.id, i]));
  // A node is coloured by its rung: `L5 RUS TECH_TRANSFER` and `peak L5` by L5; start and no escalation grey.
  const rungOf = (name: string) => rungIds.get(name.replace(/^peak /, '').split(' ')[0] as string) ?? -1;
  return {
    width,
    height: Math.max(280, 30 * through.size + 40),
    option: {
      textStyle: TEXT,
      color: PALETTE,
      series: [
        {
          type: 'sankey',
          left: 8,
          right: labelWidth + 8,
          top: 8,
          bottom: 8,
          nodeAlign: 'left',
          nodeGap: 12,
          nodeWidth: 14,
          layoutIterations: 64,
          draggable: false,
          data: names.map((name) => {
            const rung = rungOf(name);
            return { name, itemStyle: { color: rung < 0 ? '#8b949e' : rungColour(rung, s.ladder.length) } };
          }),
          links: linkList,
          label: {
            formatter: (p: { name: string }) => `${p.name.replace(/^(L\d+ \S+) /, '$1\n')}\n${share(through.get(p.name) ?? 0)}`,
            fontSize: 11,
            lineHeight: 13,
            width: labelWidth,
            overflow: 'break',
            backgroundColor: 'rgba(255,255,255,0.85)',
            padding: [1, 2],
          },
          lineStyle: { color: 'source', opacity: 0.28 },
        },
      ],
    },
    elementTips: [
      linkList.map((l) => `${l.source} → ${l.target}\n${l.value} runs (${share(l.value)} of all runs)`),
      names.map((n) => `${n}\n${through.get(n) ?? 0} runs through it (${share(through.get(n) ?? 0)} of all runs)`),
    ],
    data: {
      file: 'pathways',
      columns: ['rank', 'signature', 'runs', 'share', 'seed'],
      rows: s.pathways.map((p) => [p.rank, p.signature, p.count, p.share, p.seed]),
    },
  };
}

/** The dyad matrix: from (rows) × to (columns), coloured by the median peak rung on an ordered scale, labelled median and maximum. Pure. */
export function dyadChart(s: BatchSummary): ChartSpec {
  const ids = s.actors.map((a) => a.id);
  const rung = new Map(s.ladder.map((r, i) => [r.id, i]));
  const n = s.ladder.length;
  const data = s.dyads.map((d) => {
    const level = d.median === null ? -1 : (rung.get(d.median) as number);
    return {
      value: [ids.indexOf(d.to), ids.indexOf(d.from), level],
      label: { formatter: `${d.median ?? '—'}\nmax ${d.max}`, color: level >= 0 && isDark(rungColour(level, n)) ? '#fff' : '#1f2328' },
    };
  });
  const size = Math.max(340, 84 * ids.length + 150);
  return {
    width: size,
    height: size - 20,
    option: {
      textStyle: TEXT,
      grid: { left: 80, right: 16, top: 16, bottom: 110 },
      xAxis: { type: 'category', data: ids, name: 'to', nameLocation: 'middle', nameGap: 26, splitArea: { show: true } },
      yAxis: { type: 'category', data: ids, name: 'from', nameLocation: 'middle', nameGap: 56, inverse: true, splitArea: { show: true } },
      visualMap: {
        type: 'piecewise',
        dimension: 2,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemWidth: 14,
        itemGap: 6,
        text: ['higher', 'median peak: lower'],
        pieces: [{ value: -1, label: 'none', color: '#e5e7eb' }, ...s.ladder.map((r, i) => ({ value: i, label: r.id, color: rungColour(i, n) }))],
      },
      series: [{ type: 'heatmap', data, label: { show: true, fontSize: 11 }, itemStyle: { borderColor: '#fff', borderWidth: 2 } }],
    },
    elementTips: [
      s.dyads.map((d) =>
        [`${d.from} → ${d.to}`, `median peak ${d.median ?? 'none'} · highest ${d.max}`, ...s.thresholds.map((t) => `P(≥ ${t.rung} ${t.name}): ${pct(d.atLeast[t.id] ?? 0)}`)].join('\n'),
      ),
    ],
    data: {
      file: 'dyads',
      columns: ['from', 'to', 'max', 'median', ...s.thresholds.map((t) => `p_at_least_${t.rung}`)],
      rows: s.dyads.map((d) => [d.from, d.to, d.max, d.median, ...s.thresholds.map((t) => d.atLeast[t.id] ?? 0)]),
    },
  };
}

function scopeName(s: BatchSummary, scope: string): string {
  return s.peaks.find((p) => p.scope === scope)?.name ?? scope;
}

// Viridis, sampled: ordered light to dark and readable with the common colour-vision deficiencies.
const VIRIDIS = ['#fde725', '#b5de2b', '#6ece58', '#35b779', '#1f9e89', '#26828e', '#31688e', '#3e4989', '#482878', '#440154'];

/** The colour of rung `i` of `n` on an ordered, colour-blind-safe scale (light = low, dark = high). */
export function rungColour(i: number, n: number): string {
  const t = n <= 1 ? 1 : i / (n - 1);
  const x = t * (VIRIDIS.length - 1);
  const lo = Math.floor(x);
  const hi = Math.min(VIRIDIS.length - 1, lo + 1);
  const f = x - lo;
  const rgb = (h: string) => [1, 3, 5].map((k) => Number.parseInt(h.slice(k, k + 2), 16));
  const a = rgb(VIRIDIS[lo] as string);
  const b = rgb(VIRIDIS[hi] as string);
  return `#${a.map((v, k) => Math.round(v + ((b[k] as number) - v) * f).toString(16).padStart(2, '0')).join('')}`;
}

function isDark(hex: string): boolean {
  const [r, g, b] = [1, 3, 5].map((k) => Number.parseInt(hex.slice(k, k + 2), 16) / 255) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45;
}
