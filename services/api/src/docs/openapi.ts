/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests (zod-to-openapi): a
 * route's parameters, body and answers cannot drift from what the code accepts. Served at /docs.
 */
import { OpenApiGeneratorV31, OpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { anomalyPageSchema, anomalyQueryFields, windowDetailSchema, windowParamsSchema } from '../anomalies/anomaly.schemas';
import { driftCheckResultSchema, driftCheckSchema, driftListSchema, driftQuerySchema } from '../drift/drift.schemas';
import { deviceListSchema, deviceParamsSchema, deviceStateSchema } from '../devices/devices.schemas';
import { feedbackListSchema, feedbackQuerySchema, feedbackRequestSchema, feedbackSchema } from '../feedback/feedback.schemas';
import { errorSchema, z } from '../http/api-schemas';
import { modelListSchema, modelParamsSchema, modelSchema } from '../models/models.schemas';
import { trainingDetailSchema, trainingParamsSchema, trainingRunListSchema } from '../training/training.schemas';
import { windowDataSchema } from '../windows/windows.schemas';
import {
  audioPredictionResultSchema,
  audioPredictionSchema,
  imagePredictionSchema,
  multimodalPredictionResultSchema,
  multimodalPredictionSchema,
  predictionSchema,
  timeseriesPredictionSchema,
} from '../predictions/predictions.schemas';

type Role = 'viewer' | 'operator' | 'admin';

const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const ERRORS = {
  400: json(errorSchema, 'Invalid request: `issues` names each field and why'),
  401: json(errorSchema, 'Missing or invalid credentials'),
  403: json(errorSchema, 'The credentials lack the role this route needs'),
  413: json(errorSchema, 'Request body over the route’s limit'),
  429: json(errorSchema, 'Rate limit of this key exceeded'),
};

function route(
  config: Omit<RouteConfig, 'responses' | 'security'> & {
    ok: RouteConfig['responses'][string];
    okStatus?: number;
    role?: Role;
    notFound?: boolean;
    extra?: RouteConfig['responses'];
  },
): RouteConfig {
  const { ok, okStatus, role, notFound, extra, ...rest } = config;
  return {
    ...rest,
    description: `${rest.description ?? ''}\n\nNeeds the **${role ?? 'viewer'}** role (or higher).`.trim(),
    security: [{ apiKey: [] }, { bearer: [] }],
    responses: { [okStatus ?? 200]: ok, ...ERRORS, ...(notFound ? { 404: json(errorSchema, 'Not found') } : {}), ...extra },
  };
}

const liveness = z.object({ status: z.literal('ok') });
const readiness = z.object({ status: z.string(), waitingFor: z.array(z.string()).optional() });

export function buildOpenApiDocument(): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'x-api-key' });
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });

  registry.registerPath(
    route({
      method: 'get',
      path: '/v1/anomalies',
      summary: 'Results, newest first, with filters and cursor pagination',
      tags: ['anomalies'],
      request: { query: anomalyQueryFields },
      ok: json(anomalyPageSchema, 'One page'),
    }),
  );
  registry.registerPath(
    route({
      method: 'get',
      path: '/v1/anomalies/{deviceId}/{windowStartMs}',
      summary: "One window's full result with its root-cause report",
      tags: ['anomalies'],
      request: { params: windowParamsSchema },
      ok: json(windowDetailSchema, 'The window'),
      notFound: true,
    }),
  );
  registry.registerPath(
    route({
      method: 'get',
      path: '/v1/devices',
      summary: 'Devices with their live state',
      tags: ['devices'],
      ok: json(deviceListSchema, 'All devices with results'),
    }),
  );
  registry.registerPath(
    route({
      method: 'get',
      path: '/v1/devices/{deviceId}',
      summary: 'One device',
      tags: ['devices'],
      request: { params: deviceParamsSchema },
      ok: json(deviceStateSchema, 'The device'),
      notFound: true,
    }),
  );
  registry.registerPath(
    route({ method: 'get', path: '/v1/models', summary: 'Models in the registry and their versions', tags: ['models'], ok: json(modelListSchema, 'Models') }),
  );
  registry.registerPath(
    route({
      method: 'get',
      path: '/v1/models/{name}',
      summary: 'One model: versions, the live one, its card',
      description: 'A name with a slash is URL-encoded (`sensor%2Fpump-synthetic`).',
      tags: ['models'],
      request: { params: modelParamsSchema },
      ok: json(modelSchema, 'The model'),
      notFound: true,
    }),
  );
  registry.registerPath(
    route({
      method: 'post',
      path: '/v1/feedback',
      summary: 'Confirm or dismiss an anomaly, or label a time range as a fault',
      description: 'Published to `vigil.operator.feedback.v1` (Avro `OperatorFeedback`) and stored in ClickHouse.',
      tags: ['feedback'],
      role: 'operator',
      request: { body: { content: { 'application/json': { schema: feedbackRequestSchema } } } },
      ok: json(feedbackSchema, 'Recorded'),
      okStatus: 201,
      notFound: true,
    }),
  );
  registry.registerPath(
    route({
      method: 'get',
      path: '/v1/feedback',
      summary: "A device's feedback, newest first",
      tags: ['feedback'],
      request: { query: feedbackQuerySchema },
      ok: json(feedbackListSchema, 'Feedback'),
    }),
  );
  registry.registerPath(
    route({
      method: 'post',
      path: '/v1/predictions/timeseries',
      summary: 'Score one sensor window with the live model, threshold and root cause',
      tags: ['predictions'],
      request: { body: { content: { 'application/json': { schema: timeseriesPredictionSchema } } } },
      ok: json(predictionSchema, 'The verdict, with the model version'),
    }),
  );
  registry.registerPath(
    route({
      method: 'post',
      path: '/v1/predictions/image',
      summary: 'Score one image frame with the registry image model, its threshold and the anomaly map peak',
      tags: ['predictions'],
      request: { body: { content: { 'application/json': { schema: imagePredictionSchema } } } },
      ok: json(predictionSchema, 'The verdict, with the model version'),
      extra: { 503: json(errorSchema, 'No image model in the registry') },
    }),
  );
  registry.registerPath(
    route({
      method: 'post',
      path: '/v1/predictions/audio',
      summary: 'Score one audio clip with the registry audio VAE: its worst log-mel window against the calibrated threshold',
      description:
        'A WAV file (PCM or float, any rate, channels mixed down) or raw little-endian mono PCM (`PCM_S16LE`, `PCM_F32LE`) with `sampleRate`, base64; resampled to the model rate; 30 s at most.',
      tags: ['predictions'],
      request: { body: { content: { 'application/json': { schema: audioPredictionSchema } } } },
      ok: json(audioPredictionResultSchema, 'The verdict, with the model version'),
      extra: { 503: json(errorSchema, 'No audio model in the registry') },
    }),
  );
  registry.registerPath(
    route({
      method: 'post',
      path: '/v1/predictions/multimodal',
      summary: 'Score one multimodal window (any of sensor, audio, image) with the fused model the detector serves',
      description:
        'Built into model inputs by the detector’s own frame builder; missing modalities are left out of the fusion. The answer names the present modalities and their shares of the score.',
      tags: ['predictions'],
      request: { body: { content: { 'application/json': { schema: multimodalPredictionSchema } } } },
      ok: json(multimodalPredictionResultSchema, 'The verdict, with the model version'),
      extra: { 503: json(errorSchema, 'No multimodal model in the registry') },
    }),
  );
  registry.registerPath(
    route({
      method: 'post',
      path: '/v1/drift/check',
      summary: "Check posted latent vectors against a model version's stored drift reference (MMD, KS, Wasserstein)",
      description: 'The drift service’s window test on the posted sample; nothing is stored.',
      tags: ['drift'],
      role: 'operator',
      request: { body: { content: { 'application/json': { schema: driftCheckSchema } } } },
      ok: json(driftCheckResultSchema, 'Statistics, p-values and the verdict'),
      notFound: true,
    }),
  );
  registry.registerPath(
    route({
      method: 'get',
      path: '/v1/drift/events',
      summary: 'Drift events so far, newest first',
      tags: ['drift'],
      request: { query: driftQuerySchema },
      ok: json(driftListSchema, 'Drift events'),
    }),
  );
  registry.registerPath(
    route({
      method: 'get',
      path: '/v1/windows/{deviceId}/{windowStartMs}/data',
      summary: "One window's raw data read back from Kafka, with the sensor model's reconstruction, a log-mel spectrogram and the image model's anomaly map",
      tags: ['anomalies'],
      request: { params: windowParamsSchema },
      ok: json(windowDataSchema, 'The window’s data'),
      notFound: true,
    }),
  );
  registry.registerPath(
    route({
      method: 'get',
      path: '/v1/training/runs',
      summary: 'Training runs (one per model version)',
      tags: ['models'],
      ok: json(trainingRunListSchema, 'Runs'),
    }),
  );
  registry.registerPath(
    route({
      method: 'get',
      path: '/v1/training/runs/{name}/{version}',
      summary: "One run's loss curves, metrics and ROC/PR curves",
      tags: ['models'],
      request: { params: trainingParamsSchema },
      ok: json(trainingDetailSchema, 'The run'),
      notFound: true,
    }),
  );
  registry.registerPath({ method: 'get', path: '/health/live', tags: ['health'], responses: { 200: json(liveness, 'The process answers') } });
  registry.registerPath({
    method: 'get',
    path: '/health/ready',
    tags: ['health'],
    responses: { 200: json(readiness, 'Ready'), 503: json(readiness, 'Still waiting') },
  });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Vigil API',
      version: '1.0.0',
      description:
        'Predictions, anomalies, root cause, devices, models, drift and operator feedback. Live results: Socket.IO on the same port (event map `@vigil/contracts/realtime`); topics: `/asyncapi.json`.',
    },
    servers: [{ url: '/' }],
  });
}
