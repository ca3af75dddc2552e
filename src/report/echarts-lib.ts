/**
 * The part of ECharts the HTML report draws with: line, Sankey and heatmap charts, their components and
 * the SVG renderer. In a checkout it is imported from the echarts package (a development dependency);
 * the build bundles this file into dist/report/echarts-lib.js, so an installed Brink carries these
 * few hundred kilobytes instead of the whole 60 MB package, loaded only when HTML is rendered.
 */
import { init, use } from 'echarts/core';
import { HeatmapChart, LineChart, SankeyChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, VisualMapPiecewiseComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([LineChart, SankeyChart, HeatmapChart, GridComponent, LegendComponent, TitleComponent, VisualMapPiecewiseComponent, SVGRenderer]);

export { init };
