import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { type DeadLetter, type RetrainRequest, SAMPLE_RECORDS, TOPICS, renamed } from '@vigil/contracts';
import { uniqueName } from '@vigil/testing';
import { logLevel } from 'kafkajs';
import { describe, expect, inject, it } from 'vitest';
import { AvroPublisher } from '../avro-publisher';
import { DeadLetterPublisher } from '../dead-letters';
import { createKafka } from '../kafka-client';
import { ensureTopics } from '../topic-admin';
import { avroKafkaTransport } from './kafka-transport';

const stack = inject('stack');

async function eventually(check: () => void, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

describe('stock NestJS Kafka transport with the Avro deserializer', () => {
  it('delivers decoded records to @EventPattern handlers and dead-letters the rest', async () => {
    const requests = renamed(TOPICS.retrainRequests, uniqueName('nest-retrain'));
    const dead = renamed(TOPICS.deadLetters, uniqueName('nest-dead'));
    const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'nest-test', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [requests, dead]);
    await admin.disconnect();
    const publisher = await AvroPublisher.connect(
      { brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: 'nest-test' },
      [requests, dead],
      kafka,
    );

    const handled: RetrainRequest[] = [];
    @Controller()
    class RetrainController {
      @EventPattern(requests.name)
      onRequest(@Payload() req: RetrainRequest): void {
        handled.push(req);
      }
    }
    @Module({ controllers: [RetrainController] })
    class TestModule {}

    const groupId = uniqueName('nest-group');
    const app = await NestFactory.createMicroservice(TestModule, {
      ...avroKafkaTransport({
        brokers: stack.kafkaBrokers,
        clientId: 'nest-test',
        groupId,
        serde: publisher.serde,
        deadLetters: new DeadLetterPublisher(publisher, groupId, dead),
        topics: [requests],
        fromBeginning: true,
      }),
      logger: false,
    });
    try {
      await app.listen();
      await publisher.publishRaw(requests.name, [{ key: 'SENSOR', value: Buffer.from([0, 0, 0]) }]);
      await publisher.publish(requests, [{ key: 'SENSOR', value: SAMPLE_RECORDS.retrainRequests }]);
      await eventually(() => expect(handled).toEqual([SAMPLE_RECORDS.retrainRequests]));

      const letters: DeadLetter[] = [];
      const reader = kafka.consumer({ groupId: uniqueName('nest-dead-reader') });
      await reader.connect();
      await reader.subscribe({ topic: dead.name, fromBeginning: true });
      await reader.run({ eachMessage: async ({ message }) => void letters.push(await publisher.serde.decode(dead, message.value)) });
      await eventually(() => expect(letters).toHaveLength(1));
      await reader.disconnect();
      expect(letters[0]).toMatchObject({ sourceTopic: requests.name, sourceOffset: '0', errorClass: 'DecodeError', consumerGroup: groupId });
    } finally {
      await app.close();
      await publisher.close();
    }
  });
});
