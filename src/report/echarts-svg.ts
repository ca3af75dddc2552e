import type { EChartsOption } from 'echarts';

/** One chart to draw: an ECharts option and its size in pixels. */
export interface ChartSpec {
  readonly option: EChartsOption;
  readonly width: number;
  readonly height: number;
}

/**
 * Renders ECharts options to SVG strings on the server (no DOM, no animation). ECharts (the part of
 * it in echarts-lib.ts) is imported here, lazily, so only the HTML report pays for loading it. ECharts
 * names its CSS classes and ids after a process-wide counter; they are renumbered per chart (`<prefix><chart>-<n>`, in order of first
 * appearance), so the same specs give the same bytes in any process, and ids stay unique in a page.
 */
export async function renderChartSvgs(specs: readonly ChartSpec[], prefix = 'ec'): Promise<string[]> {
  if (specs.length === 0) return [];
  const { init } = await import('./echarts-lib.ts');
  return specs.map((spec, index) => {
    const chart = init(null, null, { renderer: 'svg', ssr: true, width: spec.width, height: spec.height });
    try {
      chart.setOption({ animation: false, ...spec.option });
      return renumber(chart.renderToSVGString(), `${prefix}${index}`);
    } finally {
      chart.dispose();
    }
  });
}

function renumber(svg: string, prefix: string): string {
  const names = new Map<string, string>();
  return svg.replace(/zr\d+-[A-Za-z]*-?\d+/g, (token) => {
    let name = names.get(token);
    if (name === undefined) {
      name = `${prefix}-${names.size}`;
      names.set(token, name);
    }
    return name;
  });
}
