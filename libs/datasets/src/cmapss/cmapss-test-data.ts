/**
 * Synthetic C-MAPSS text for specs: FD002-style six regimes (the settings NASA's FD002/FD004 fly) with small
 * noise, one sensor that depends on the regime plus a degradation trend, one constant sensor, the rest noise.
 */
import { SENSOR_NAMES } from './cmapss-format';

export const FD002_REGIMES: readonly (readonly [number, number, number])[] = [
  [0, 0, 100],
  [10, 0.25, 100],
  [20, 0.7, 100],
  [25, 0.62, 60],
  [35, 0.84, 100],
  [42, 0.84, 100],
];

/** Lines of a train/test file; engine u has `cyclesOf(u)` cycles and cycles through regimes pseudo-randomly. */
export function syntheticCmapssText(units: number, cyclesOf: (unit: number) => number): string {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines: string[] = [];
  for (let unit = 1; unit <= units; unit++) {
    const cycles = cyclesOf(unit);
    for (let cycle = 1; cycle <= cycles; cycle++) {
      const regime = Math.floor(random() * FD002_REGIMES.length);
      const [a, b, c] = FD002_REGIMES[regime]!;
      const settings = [a + (random() - 0.5) * 0.01, b + (random() - 0.5) * 0.001, c];
      const sensors = SENSOR_NAMES.map((_, s) => {
        if (s === 0) return 500 + 10 * regime + cycle / cycles + (random() - 0.5) * 0.1;
        if (s === 4) return 14.62;
        return 100 + s + random();
      });
      lines.push([unit, cycle, ...settings.map((v) => v.toFixed(4)), ...sensors.map((v) => v.toFixed(4))].join(' ') + '  ');
    }
  }
  return lines.join('\n') + '\n';
}
