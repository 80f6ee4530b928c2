import { describe, expect, it } from 'vitest';
import { alignedWindow } from '../windows/aligned-window';
import { exceptRoutes, InvalidDeviceRoutesError, parseDeviceRoutes, routed, routeMatcher, slotOf } from './device-routes';
import { type ModalityScorer, ScorerRegistry } from './modality-scorer';

const window = (deviceId: string) => alignedWindow(deviceId, 0, 3000);

function fakeScorer(name: string): ModalityScorer {
  return {
    modality: 'SENSOR',
    model: { version: name } as ModalityScorer['model'],
    frame: () => ({ window: Float32Array.of(1) }),
    health: () => [{ channel: 'c', kind: 'STUCK', message: name, observed: 1, limit: 1 }],
    explain: () => [],
  };
}

describe('device routes', () => {
  it('parses named routes with several patterns and model folders, and refuses what it cannot read', () => {
    expect(parseDeviceRoutes('engines:cmapss-*,jet-?=models/a+models/b; fans:fan-*=models/c')).toEqual([
      { name: 'engines', patterns: ['cmapss-*', 'jet-?'], modelDirs: ['models/a', 'models/b'] },
      { name: 'fans', patterns: ['fan-*'], modelDirs: ['models/c'] },
    ]);
    expect(parseDeviceRoutes('')).toEqual([]);
    expect(() => parseDeviceRoutes('cmapss-*=models/a')).toThrow(InvalidDeviceRoutesError);
    expect(() => parseDeviceRoutes('a:x=m;a:y=n')).toThrow(/named twice/);
  });

  it('serves a routed device by its route’s scorer only, every other device by the default one, each under its own slot', () => {
    const routes = parseDeviceRoutes('engines:cmapss-fd001-*=models/cmapss');
    const engine = routed(fakeScorer('engine'), routeMatcher(routes[0]!));
    const pump = routed(fakeScorer('pump'), exceptRoutes(routes));
    expect(engine.frame(window('cmapss-fd001-u002'))).toBeDefined();
    expect(engine.frame(window('dev-0001'))).toBeUndefined();
    expect(engine.health!(window('dev-0001'))).toEqual([]);
    expect(pump.frame(window('cmapss-fd001-u002'))).toBeUndefined();
    expect(pump.health!(window('dev-0001'))[0]!.message).toBe('pump');
    expect(engine.frame(window('cmapss-fd001x'))).toBeUndefined(); // a pattern is the whole id, `.` is no wildcard
    expect([slotOf(engine), slotOf(pump)]).toEqual(['SENSOR@engines', 'SENSOR']);
    const registry = new ScorerRegistry().register(pump).register(engine);
    expect(registry.get('SENSOR@engines')).toBe(engine);
    expect(registry.get('SENSOR')).toBe(pump);
  });

  it('routes a routed scorer afresh instead of stacking the routes (a model swap re-prepares the served set)', () => {
    const routes = parseDeviceRoutes('engines:cmapss-*=m');
    const twice = routed(routed(fakeScorer('engine'), routeMatcher(routes[0]!)), exceptRoutes(routes));
    expect(twice.frame(window('dev-0001'))).toBeDefined();
    expect(slotOf(twice)).toBe('SENSOR');
  });
});
