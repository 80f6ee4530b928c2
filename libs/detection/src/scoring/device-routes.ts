/**
 * A mixed fleet — pumps beside turbofan engines — needs a model per kind of machine: a route names the devices
 * (id patterns with `*`) that a set of scorers serves, and the fleet's default scorers serve every device no
 * route names. A routed scorer is a scorer of its own: its thresholds are keyed by its `slot`
 * (`SENSOR@engines`), so its per-device SPOT starts from its own model's calibration, not the default's.
 *
 * @example
 *   const routes = parseDeviceRoutes('engines:cmapss-fd001-*=models/cmapss-fd001-cnn/v1');
 *   const served = [routed(pumpScorer, exceptRoutes(routes)), routed(engineScorer, routes[0])];
 */
import type { ModalityScorer } from './modality-scorer';

export interface DeviceRoute {
  /** Names the route's slots (`SENSOR@<name>`). */
  name: string;
  patterns: string[];
  /** Model folders whose scorers serve the route's devices. */
  modelDirs: string[];
}

/** Which devices a scorer serves; `slot` undefined: the scorer keeps its modality as its slot (the default route). */
export interface DeviceMatcher {
  slot?: string;
  serves(deviceId: string): boolean;
}

export class InvalidDeviceRoutesError extends Error {
  override readonly name = 'InvalidDeviceRoutesError';
}

/**
 * `name:pattern[,pattern…]=dir[+dir…]` routes separated by `;` — e.g.
 * `engines:cmapss-fd001-*=models/cmapss-fd001-cnn/v1` (empty string: no routes).
 */
export function parseDeviceRoutes(spec: string): DeviceRoute[] {
  const routes: DeviceRoute[] = [];
  for (const part of spec
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z0-9_-]+):([^=]+)=(.+)$/.exec(part);
    if (!match) throw new InvalidDeviceRoutesError(`device route "${part}": expected name:pattern[,pattern]=dir[+dir]`);
    const [, name, patterns, dirs] = match as unknown as [string, string, string, string];
    if (routes.some((r) => r.name === name)) throw new InvalidDeviceRoutesError(`device route "${name}" is named twice`);
    routes.push({
      name,
      patterns: patterns
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
      modelDirs: dirs
        .split('+')
        .map((d) => d.trim())
        .filter(Boolean),
    });
  }
  return routes;
}

export function routeMatcher(route: DeviceRoute): DeviceMatcher {
  const regexes = route.patterns.map(globToRegExp);
  return { slot: route.name, serves: (deviceId) => regexes.some((r) => r.test(deviceId)) };
}

/** The default scorers' matcher: every device that no route names. */
export function exceptRoutes(routes: readonly DeviceRoute[]): DeviceMatcher {
  const matchers = routes.map(routeMatcher);
  return { serves: (deviceId) => !matchers.some((m) => m.serves(deviceId)) };
}

/** `scorer`, serving only the devices `matcher` names (frames and sensor health of the others: none). */
export function routed(scorer: ModalityScorer, matcher: DeviceMatcher): ModalityScorer {
  const base = (scorer as RoutedScorer).base ?? scorer;
  const slot = matcher.slot === undefined ? undefined : `${base.modality}@${matcher.slot}`;
  const wrapped: RoutedScorer = {
    ...base,
    base,
    slot,
    frame: (w) => (matcher.serves(w.deviceId) ? base.frame(w) : undefined),
    prepare: base.prepare ? (ws) => base.prepare!(ws.filter((w) => matcher.serves(w.deviceId))) : undefined,
    health: base.health ? (w) => (matcher.serves(w.deviceId) ? base.health!(w) : []) : undefined,
    observationKey: base.observationKey ? (w) => base.observationKey!(w) : undefined,
    decodeFrame: base.decodeFrame ? (f) => (matcher.serves(f.deviceId) ? base.decodeFrame!(f) : undefined) : undefined,
    explain: (flagged, withLatents) => base.explain(flagged, withLatents),
    shapProblem: base.shapProblem ? (f) => base.shapProblem!(f) : undefined,
  };
  return wrapped;
}

/** The key a scorer's thresholds and registry entry go under: its routed slot, else its modality. */
export function slotOf(scorer: ModalityScorer): string {
  return (scorer as RoutedScorer).slot ?? scorer.modality;
}

interface RoutedScorer extends ModalityScorer {
  base?: ModalityScorer;
  slot?: string;
}

function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
}
