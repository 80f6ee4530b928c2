export const PUBLISHER = Symbol('PUBLISHER');
export const SENSOR_TOPIC = Symbol('SENSOR_TOPIC');
export const ROUTES = { retrainRequests: 'trainer.retrain.requests' } as const;
