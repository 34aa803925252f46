/**
 * Charts of bench figures for the docs: echarts drawn on the server as SVG (no browser, no
 * canvas). One place, so every bench draws its figures the same way.
 */
import * as echarts from 'echarts';

export type ChartOption = echarts.EChartsOption;

/** The SVG text of one chart. The instance is disposed of: a live one keeps the process up. */
export function renderSvg(option: ChartOption, size: { width: number; height: number }): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...size });
  try {
    chart.setOption({ animation: false, backgroundColor: '#ffffff', ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
