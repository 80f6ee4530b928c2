import { describe, expect, it } from 'vitest';
import { CallOrder } from './call-order';

/** A promise and the function that resolves it: the test decides when each call's overlapping work ends. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('CallOrder', () => {
  it('runs the ordered part in the order the calls began, whichever finished its overlapping work first', async () => {
    const order = new CallOrder();
    const log: string[] = [];
    const call = async (name: string, work: Promise<void>, fail = false) => {
      const turn = order.take();
      try {
        await work;
        log.push(`${name} worked`);
        await turn.ready;
        if (fail) throw new Error(`${name} failed`);
        log.push(`${name} judged`);
      } finally {
        turn.done();
      }
    };
    const [first, second, third] = [gate(), gate(), gate()];
    const calls = [call('first', first.opened, true), call('second', second.opened), call('third', third.opened)];
    third.open();
    second.open();
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toEqual(['third worked', 'second worked']); // both wait for the first, still working
    first.open();
    const settled = await Promise.allSettled(calls);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log).toEqual(['third worked', 'second worked', 'first worked', 'second judged', 'third judged']);
  });
});
