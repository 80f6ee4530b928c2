/**
 * Creates and updates the topic catalogue idempotently: missing topics are created, too few partitions are
 * raised (never lowered: Kafka cannot), and retention / cleanup policy are brought in line. Any other setting an
 * operator gave a topic (`message.timestamp.type`, `min.insync.replicas`, …) is kept.
 */
import type { TopicSpec } from '@vigil/contracts';
import { ConfigResourceTypes, ConfigSource, type Admin } from 'kafkajs';
import { retryRetriable } from './retriable';

export interface TopicChange {
  topic: string;
  action: 'created' | 'partitions-raised' | 'configs-updated' | 'unchanged';
}

function configEntries(spec: TopicSpec<unknown>): Array<{ name: string; value: string }> {
  const entries: Array<{ name: string; value: string }> = [{ name: 'cleanup.policy', value: spec.cleanupPolicy }];
  if (spec.cleanupPolicy === 'delete') entries.push({ name: 'retention.ms', value: String(spec.retentionMs) });
  return entries;
}

export async function ensureTopics(admin: Admin, given: ReadonlyArray<TopicSpec<unknown>>): Promise<TopicChange[]> {
  // Each name once: callers join lists that overlap (a test's inputs and the detector's outputs), and a
  // CreateTopics request that names a topic twice fails as a whole.
  const specs = [...new Map(given.map((s) => [s.name, s])).values()];
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.name));
  if (missing.length > 0) {
    // Retried: waiting for leaders reads metadata that may not list a just-created partition yet
    // (UNKNOWN_TOPIC_OR_PARTITION); a second call finds the topics made and resolves without creating them again.
    await retryRetriable(() =>
      admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.name,
          numPartitions: s.partitions,
          replicationFactor: s.replicationFactor,
          configEntries: configEntries(s),
        })),
      }),
    );
  }
  const changes: TopicChange[] = missing.map((s) => ({ topic: s.name, action: 'created' }));
  const present = specs.filter((s) => existing.has(s.name));
  if (present.length === 0) return changes;

  // Retried: a topic another process created moments ago may not be in the metadata yet.
  const metadata = await retryRetriable(() => admin.fetchTopicMetadata({ topics: present.map((s) => s.name) }));
  const raise = present.filter((s) => {
    const current = metadata.topics.find((t) => t.name === s.name)?.partitions.length ?? 0;
    return current < s.partitions;
  });
  if (raise.length > 0) await admin.createPartitions({ topicPartitions: raise.map((s) => ({ topic: s.name, count: s.partitions })) });

  // Every setting of each topic, once: ours to compare, and the others to send back with ours (below).
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((s) => ({ type: ConfigResourceTypes.TOPIC, name: s.name })),
  });
  const settingsOf = (s: TopicSpec<unknown>) => described.resources.find((r) => r.resourceName === s.name)?.configEntries ?? [];
  const drifted = present.filter((s) => configEntries(s).some((e) => settingsOf(s).find((c) => c.configName === e.name)?.configValue !== e.value));
  if (drifted.length > 0) {
    // AlterConfigs (kafkajs has no incremental variant) replaces a topic's whole set of topic-level settings:
    // those we do not manage are sent with ours, or the update would silently reset them.
    await admin.alterConfigs({
      validateOnly: false,
      resources: drifted.map((s) => {
        const ours = configEntries(s);
        const kept = settingsOf(s)
          .filter((c) => c.configSource === ConfigSource.TOPIC_CONFIG && !ours.some((e) => e.name === c.configName))
          .map((c) => ({ name: c.configName, value: c.configValue }));
        return { type: ConfigResourceTypes.TOPIC, name: s.name, configEntries: [...kept, ...ours] };
      }),
    });
  }
  for (const s of present) {
    const action = raise.includes(s) ? 'partitions-raised' : drifted.includes(s) ? 'configs-updated' : 'unchanged';
    changes.push({ topic: s.name, action });
  }
  return changes;
}
