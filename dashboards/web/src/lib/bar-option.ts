/** ECharts options for the ranked bars and the one-row heat map (pure: what the charts are given). */
import type { RankedBar } from './chart-data';

export function rankedBarOption(bars: readonly RankedBar[], color: string) {
  const reversed = [...bars].reverse(); // ECharts draws the first category at the bottom
  return {
    grid: { left: 120, right: 20, top: 10, bottom: 30 },
    tooltip: {},
    xAxis: { type: 'value', max: 1 },
    yAxis: { type: 'category', data: reversed.map((b) => b.name) },
    series: [{ type: 'bar', data: reversed.map((b) => b.value), itemStyle: { color } }],
  };
}

export function heatRowOption(steps: readonly number[], cells: ReadonlyArray<[number, number, number]>) {
  return {
    grid: { left: 40, right: 20, top: 10, bottom: 50 },
    tooltip: {},
    xAxis: { type: 'category', data: steps.map(String), name: 'time step' },
    yAxis: { type: 'category', data: ['weight'] },
    visualMap: { min: 0, max: 1, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 80 },
    series: [{ type: 'heatmap', data: cells }],
  };
}

/** The spectrogram: time (frame, in seconds into the window) × mel band, coloured by dB. */
export function spectrogramOption(
  cells: ReadonlyArray<[number, number, number]>,
  frames: number,
  mels: number,
  frameMs: number,
  range: { min: number; max: number },
) {
  return {
    grid: { left: 50, right: 20, top: 10, bottom: 60 },
    tooltip: {},
    xAxis: {
      type: 'category',
      data: Array.from({ length: frames }, (_, t) => ((t * frameMs) / 1000).toFixed(2)),
      name: 's',
      axisLabel: { interval: Math.max(0, Math.ceil(frames / 12) - 1) },
    },
    yAxis: {
      type: 'category',
      data: Array.from({ length: mels }, (_, m) => String(m)),
      name: 'mel band',
      nameLocation: 'middle',
      nameGap: 32,
      axisLabel: { interval: 7 },
    },
    visualMap: {
      min: range.min,
      max: range.max,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
      inRange: { color: ['#000004', '#3b0f70', '#8c2981', '#de4968', '#fe9f6d', '#fcfdbf'] },
    },
    series: [{ type: 'heatmap', data: cells, progressive: 0 }],
  };
}
