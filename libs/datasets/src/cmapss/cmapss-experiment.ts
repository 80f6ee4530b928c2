/**
 * The whole C-MAPSS protocol of docs/cmapss-protocol.md in one call: validate the files, split training engines
 * into fit/validation by id, fit regimes, sensor selection and the per-regime normaliser on the fit engines only,
 * and window everything. Training windows are normal-only; validation and test windows carry labels.
 *
 * @example
 *   const experiment = await loadCmapssExperiment({ subset: 'FD001', windowLength: 30, seed: 42 });
 *   model.fit(experiment.train.batch);                               // WindowBatch, normal windows only
 *   const scores = model.score(experiment.test.batch);               // compare with experiment.test.labels
 *   saveJson(experiment.normaliser.toJSON());                        // ship with the model
 */
import { assertValid } from '@vigil/features';
import { loadCmapssSubset, type CmapssSubsetData } from './cmapss-files';
import { CONDITION_COUNT, type CmapssRow, type CmapssSubset } from './cmapss-format';
import { cmapssWindows, DEFAULT_RUL_PROTOCOL, filterWindows, labelByRul, type AnomalyLabel, type CmapssWindows, type RulLabelProtocol } from './cmapss-windows';
import { validateCmapss } from './cmapss-validation';
import { fitConditionNormaliser, type ConditionNormaliser } from './condition-normaliser';
import { splitUnits, unitsOf } from './engine-split';
import { fitOperatingConditions } from './operating-conditions';
import { FD001_INFORMATIVE_SENSORS, selectInformativeSensors } from './sensor-selection';

export interface CmapssExperimentOptions {
  windowLength?: number;
  stride?: number;
  validationFraction?: number;
  seed?: number;
  protocol?: RulLabelProtocol;
  /** Sensor names, or 'derive' to select from the fit engines' data. Default: the 14 FD001 sensors for FD001, else 'derive'. */
  sensors?: readonly string[] | 'derive';
}

export interface LabelledWindows extends CmapssWindows {
  labels: AnomalyLabel[];
}

export interface CmapssExperiment {
  subset: CmapssSubset;
  /** Channel names, in window channel order. */
  sensors: readonly string[];
  normaliser: ConditionNormaliser;
  protocol: RulLabelProtocol;
  fitUnits: number[];
  validationUnits: number[];
  /** Normal-only windows of the fit engines. */
  train: CmapssWindows;
  /** All windows of the held-out training engines, labelled. */
  validation: LabelledWindows;
  /** All windows of NASA's test engines, labelled. */
  test: LabelledWindows;
}

/** Pure part: everything after the files are read. Throws DataValidationError on bad rows. */
export function prepareCmapssExperiment(data: CmapssSubsetData, options: CmapssExperimentOptions = {}): CmapssExperiment {
  const { windowLength = 30, stride = 1, validationFraction = 0.2, seed = 42, protocol = DEFAULT_RUL_PROTOCOL } = options;
  assertValid(validateCmapss(data.train));
  assertValid(validateCmapss(data.test));
  const split = splitUnits(unitsOf(data.train), { validationFraction, seed });
  const fitRows = data.train.filter((r) => split.train.has(r.unit));
  const conditions = fitOperatingConditions(fitRows, CONDITION_COUNT[data.subset]);
  const requested = options.sensors ?? (data.subset === 'FD001' ? FD001_INFORMATIVE_SENSORS : 'derive');
  const sensors = requested === 'derive' ? selectInformativeSensors(fitRows, { conditionOf: (r) => conditions.assign(r.settings) }) : [...requested];
  const normaliser = fitConditionNormaliser(fitRows, { sensors, conditions });

  const toChannels = (row: CmapssRow) => normaliser.transformRow(row);
  const windowOptions = { length: windowLength, stride };
  const labelled = (rows: readonly CmapssRow[]): LabelledWindows => {
    const windows = cmapssWindows(rows, toChannels, windowOptions);
    return { ...windows, labels: windows.meta.map((m) => labelByRul(m.rul, protocol)) };
  };
  const fitWindows = cmapssWindows(fitRows, toChannels, windowOptions);
  return {
    subset: data.subset,
    sensors,
    normaliser,
    protocol,
    fitUnits: [...split.train].sort((a, b) => a - b),
    validationUnits: [...split.validation].sort((a, b) => a - b),
    train: filterWindows(fitWindows, (m) => labelByRul(m.rul, protocol) === 'normal'),
    validation: labelled(data.train.filter((r) => split.validation.has(r.unit))),
    test: labelled(data.test),
  };
}

export async function loadCmapssExperiment(options: CmapssExperimentOptions & { subset?: CmapssSubset; folder?: string } = {}): Promise<CmapssExperiment> {
  const data = await loadCmapssSubset(options.subset ?? 'FD001', options.folder);
  return prepareCmapssExperiment(data, options);
}
