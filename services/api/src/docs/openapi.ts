/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests (zod-to-openapi): a
 * route's parameters, body and answers cannot drift from what the code accepts. Served at /docs.
 */
import { OpenApiGeneratorV31, OpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { anomalyPageSchema, anomalyQueryFields, windowDetailSchema, windowParamsSchema } from '../anomalies/anomaly.schemas';
import { driftListSchema, driftQuerySchema } from '../drift/drift.schemas';
import { deviceListSchema, deviceParamsSchema, deviceStateSchema } from '../devices/devices.schemas';
import { feedbackListSchema, feedbackQuerySchema, feedbackRequestSchema, feedbackSchema } from '../feedback/feedback.schemas';
import { errorSchema, z } from '../http/api-schemas';
import { modelListSchema, modelParamsSchema, modelSchema } from '../models/models.schemas';
import { imagePredictionSchema, predictionSchema, timeseriesPredictionSchema } from '../predictions/predictions.schemas';

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
      method: 'get',
      path: '/v1/drift/events',
      summary: 'Drift events so far, newest first',
      tags: ['drift'],
      request: { query: driftQuerySchema },
      ok: json(driftListSchema, 'Drift events'),
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
