/** The only file of the drift service that writes to Kafka: drift events and retrain requests, keyed by modality. */
import type { DriftEvent, RetrainRequest } from '@vigil/contracts';
import type { AvroPublisher } from '@vigil/kafka';
import type { DriftTopics } from '../config/drift-topics';
import type { DriftOutbox } from './drift-ports';

export class DriftOutboxRepository implements DriftOutbox {
  constructor(
    private readonly publisher: AvroPublisher,
    private readonly topics: DriftTopics,
  ) {}

  async publishDriftEvents(events: DriftEvent[]): Promise<void> {
    await this.publisher.publish(
      this.topics.driftEvents,
      events.map((value) => ({ key: value.modality, value })),
    );
  }

  async publishRetrainRequest(request: RetrainRequest): Promise<void> {
    await this.publisher.publish(this.topics.retrainRequests, [{ key: request.modality, value: request }]);
  }
}
