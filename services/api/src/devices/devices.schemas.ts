import { deviceIdSchema, modalitySchema, z } from '../http/api-schemas';

export const deviceParamsSchema = z.object({ deviceId: deviceIdSchema }).strict();

export const deviceStateSchema = z
  .object({
    deviceId: z.string(),
    lastSeenMs: z.number().int(),
    online: z.boolean(),
    modalities: z.array(modalitySchema),
    currentThreshold: z.number(),
    anomalyRate: z.number().min(0).max(1).openapi({ description: 'Share of anomalous windows over the last hour' }),
    windowsLastHour: z.number().int(),
  })
  .openapi('DeviceState');
export type DeviceState = z.infer<typeof deviceStateSchema>;

export const deviceListSchema = z.object({ items: z.array(deviceStateSchema) }).openapi('DeviceList');
