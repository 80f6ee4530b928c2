/**
 * The reliable live events: alerts, drift events and operator feedback, newest last, each in a bounded ring.
 * REST history is merged in by id, so a page that loaded history and then hears the same event live shows it once.
 */
import type { LiveAlert } from '@vigil/contracts/realtime';
import { defineStore } from 'pinia';
import { shallowRef, triggerRef } from 'vue';
import type { ApiDriftEvent, Feedback } from '../api/types';
import { RingBuffer } from '../lib/ring-buffer';

export const ALERTS_KEPT = 500;
export const DRIFT_KEPT = 1000;
export const FEEDBACK_KEPT = 1000;

const alertId = (a: LiveAlert) => `${a.result.deviceId}@${a.result.windowStartMs}`;

export const useEventsStore = defineStore('events', () => {
  const alerts = shallowRef(new RingBuffer<LiveAlert>(ALERTS_KEPT));
  const drift = shallowRef(new RingBuffer<ApiDriftEvent>(DRIFT_KEPT));
  const feedback = shallowRef(new RingBuffer<Feedback>(FEEDBACK_KEPT));
  const seen = new Set<string>();

  function once(id: string): boolean {
    if (seen.has(id)) return false;
    seen.add(id);
    // The id set is bounded like the rings: forget the oldest ids once it is far larger than what is kept.
    if (seen.size > 4 * (ALERTS_KEPT + DRIFT_KEPT + FEEDBACK_KEPT)) seen.delete(seen.values().next().value!);
    return true;
  }

  function applyAlerts(batch: readonly LiveAlert[]): void {
    let added = 0;
    for (const a of batch) {
      if (!once(`alert:${alertId(a)}`)) continue;
      alerts.value.push(a);
      added += 1;
    }
    if (added) triggerRef(alerts);
  }

  function applyDrift(batch: readonly ApiDriftEvent[]): void {
    let added = 0;
    for (const e of [...batch].sort((a, b) => a.detectedAtMs - b.detectedAtMs)) {
      if (!once(`drift:${e.eventId}`)) continue;
      drift.value.push(e);
      added += 1;
    }
    if (added) triggerRef(drift);
  }

  function applyFeedback(batch: readonly Feedback[]): void {
    let added = 0;
    for (const f of [...batch].sort((a, b) => a.createdAtMs - b.createdAtMs)) {
      if (!once(`feedback:${f.feedbackId}`)) continue;
      feedback.value.push(f);
      added += 1;
    }
    if (added) triggerRef(feedback);
  }

  return { alerts, drift, feedback, applyAlerts, applyDrift, applyFeedback };
});
