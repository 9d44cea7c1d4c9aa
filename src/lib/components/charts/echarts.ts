/**
 * The one ECharts action: owns init, update, resize and dispose. Tree-shaken from echarts/core.
 */
import { LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([LineChart, GridComponent, TooltipComponent, SVGRenderer]);

export function chart(node: HTMLElement, option: EChartsCoreOption) {
  const instance = echarts.init(node, undefined, { renderer: 'svg' });
  instance.setOption(option);
  const observer = new ResizeObserver(() => instance.resize());
  observer.observe(node);
  return {
    update(next: EChartsCoreOption) {
      instance.setOption(next, { notMerge: true });
    },
    destroy() {
      observer.disconnect();
      instance.dispose();
    }
  };
}
