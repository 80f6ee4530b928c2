import { describe, expect, it } from 'vitest';
import type { TimedEvent } from '../windows/types';
import { readsAnyChannel } from './channel-match';

const SOURCE = { topic: 't', partition: 0, offset: '0' };
const reading = (values: Record<string, number>): TimedEvent<{ values: Record<string, number> }> => ({ eventTimeMs: 0, value: { values }, source: SOURCE });

describe('readsAnyChannel', () => {
  it('accepts a window with at least one of the model’s channels, in any reading', () => {
    expect(readsAnyChannel([reading({ s2: 642 }), reading({ rpm: 1480 })], ['rpm', 'flow'])).toBe(true);
  });
  it('rejects another machine’s readings and an empty window', () => {
    expect(readsAnyChannel([reading({ s2: 642, s3: 1583 })], ['rpm', 'flow'])).toBe(false);
    expect(readsAnyChannel([], ['rpm'])).toBe(false);
  });
});
