/**
 * The only file that reads the sensor model from disk: the registry's newest version of API_SENSOR_MODEL (as
 * the detector serves it), with the held-out normal scores its thresholds start from.
 */
import {
  CALIBRATION_SCORES_FILE,
  loadWindowModel,
  ModelRegistry,
  OnnxVaeWindowRuntime,
  readCalibrationScores,
  type WindowAssessment,
  type WindowBatch,
  type WindowModel,
} from '@vigil/ml';

export interface LoadedSensorModel {
  model: WindowModel;
  /** `<name>@<version>`, the form the detector writes into results. */
  modelVersion: string;
  calibrationScores: number[];
  /** The model's inference pass: ONNX Runtime when chosen (API_INFERENCE_RUNTIME), else tfjs-node. */
  assess(x: WindowBatch): WindowAssessment | Promise<WindowAssessment>;
}

export async function loadSensorModel(modelsDir: string, name: string, runtime: 'onnxruntime' | 'tfjs' = 'tfjs'): Promise<LoadedSensorModel> {
  const dir = await new ModelRegistry(modelsDir).latest(name);
  const { model, manifest } = await loadWindowModel(dir);
  const scores = await readCalibrationScores(dir);
  if (scores === undefined) throw new Error(`${dir} has no ${CALIBRATION_SCORES_FILE}: thresholds need held-out normal scores`);
  const onnx = runtime === 'onnxruntime' ? await OnnxVaeWindowRuntime.create(model) : undefined;
  return {
    model,
    modelVersion: `${manifest.name}@${manifest.version}`,
    calibrationScores: scores,
    assess: onnx ? (x) => onnx.assess(x) : (x) => model.assess(x),
  };
}
