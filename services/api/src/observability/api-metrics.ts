/** The API's Prometheus metrics, registered under the names in `API_METRICS` (@vigil/contracts). */
import { Inject, Injectable } from '@nestjs/common';
import { API_METRICS } from '@vigil/contracts';
import { METRICS_REGISTRY } from '@vigil/service';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

@Injectable()
export class ApiMetrics {
  readonly requests: Counter<'route' | 'method' | 'status'>;
  readonly requestLatency: Histogram<'route' | 'method'>;
  readonly rateLimited: Counter<string>;
  readonly predictions: Counter<'modality'>;
  readonly feedback: Counter<'kind'>;
  readonly socketClients: Gauge<string>;
  readonly liveEvents: Counter<'kind'>;
  readonly liveDropped: Counter<string>;
  readonly liveDeliveryLag: Histogram<string>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: API_METRICS.requests,
      help: 'HTTP requests by route and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.requestLatency = new Histogram({
      name: API_METRICS.requestLatency,
      help: 'HTTP request latency',
      labelNames: ['route', 'method'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.rateLimited = new Counter({ name: API_METRICS.rateLimited, help: 'Requests refused by a rate limit', registers });
    this.predictions = new Counter({ name: API_METRICS.predictions, help: 'Synchronous predictions', labelNames: ['modality'], registers });
    this.feedback = new Counter({ name: API_METRICS.feedback, help: 'Operator feedback recorded', labelNames: ['kind'], registers });
    this.socketClients = new Gauge({ name: API_METRICS.socketClients, help: 'Connected Socket.IO clients', registers });
    this.liveEvents = new Counter({ name: API_METRICS.liveEvents, help: 'Records fanned out to sockets', labelNames: ['kind'], registers });
    this.liveDropped = new Counter({ name: API_METRICS.liveDropped, help: 'Slow clients cut off for exceeding their buffer', registers });
    this.liveDeliveryLag = new Histogram({
      name: API_METRICS.liveDeliveryLag,
      help: 'From the detector processing a window to the gateway emitting it',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
  }
}
