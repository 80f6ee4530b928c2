"""A downstream client in another language: reads each given topic from the beginning with confluent-kafka and
decodes every value with the schema registry's Avro deserializer (writer schema fetched by id from our registry).
Prints one JSON line per message: {"topic", "key", "value"}; bytes become base64.

    python decode_topics.py --brokers 127.0.0.1:9092 --registry http://127.0.0.1:8081/apis/ccompat/v7 \
        --topic vigil.anomaly.results.v1=1 --topic vigil.drift.events.v1=1
"""
import argparse
import base64
import json
import sys
import time
import uuid

from confluent_kafka import Consumer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext


def plain(value):
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--topic", action="append", required=True, help="name=expected message count")
    parser.add_argument("--timeout-s", type=float, default=60)
    args = parser.parse_args()
    expected = {t.split("=")[0]: int(t.split("=")[1]) for t in args.topic}

    deserialize = AvroDeserializer(SchemaRegistryClient({"url": args.registry}))
    consumer = Consumer({
        "bootstrap.servers": args.brokers,
        "group.id": f"python-contract-{uuid.uuid4()}",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    })
    consumer.subscribe(list(expected))
    seen = {t: 0 for t in expected}
    deadline = time.time() + args.timeout_s
    try:
        while any(seen[t] < n for t, n in expected.items()):
            if time.time() > deadline:
                print(f"timed out; seen {seen}, expected {expected}", file=sys.stderr)
                return 1
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                print(f"consumer error: {msg.error()}", file=sys.stderr)
                continue
            value = deserialize(msg.value(), SerializationContext(msg.topic(), MessageField.VALUE))
            key = msg.key().decode("utf-8") if msg.key() is not None else None
            print(json.dumps({"topic": msg.topic(), "key": key, "value": plain(value)}), flush=True)
            seen[msg.topic()] += 1
    finally:
        consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
