/**
 * The sensor-health rules saved beside a sensor model version (`sensor-health.json`: physical ranges, rate limits
 * and gap tolerance per channel; parsed by @vigil/detection's `sensorHealthConfig`). They describe the sensors,
 * not the weights, so whoever writes a new version of a model carries its predecessor's rules forward: a version
 * without them is served with the stuck and dropout checks only.
 *
 * @example
 *   const rules = await readSensorHealthFile(championDir); // the file's text, or undefined
 *   if (rules) files[SENSOR_HEALTH_FILE] = rules;
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const SENSOR_HEALTH_FILE = 'sensor-health.json';

/** The version's sensor-health rules as written (to copy into a successor), or undefined when it has none. */
export async function readSensorHealthFile(versionDir: string): Promise<string | undefined> {
  const file = join(versionDir, SENSOR_HEALTH_FILE);
  return existsSync(file) ? readFile(file, 'utf8') : undefined;
}
