import { describe, expect, it } from 'vitest';
import { TaskSlots } from '../../infra/local/aws/step-functions/task-slots.ts';

/** Who got a slot, in order, after the pending acquisitions had their turn. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const track = (slots: TaskSlots, count: number) => {
  const running: number[] = [];
  const releases = new Map<number, () => void>();
  for (let i = 0; i < count; i++) {
    void slots.acquire().then((release) => {
      running.push(i);
      releases.set(i, release);
    });
  }
  return { running, release: (i: number) => releases.get(i)?.() };
};

describe('task slots', () => {
  it('runs at most `size` tasks at once and hands a freed slot to the next in order', async () => {
    const slots = new TaskSlots(2);
    const tasks = track(slots, 4);
    await settle();
    expect(tasks.running).toEqual([0, 1]);

    tasks.release(0);
    await settle();

    expect(tasks.running).toEqual([0, 1, 2]);
  });

  it('holds tasks back while foreground work lowers the limit, and lets them go when it rises', async () => {
    const slots = new TaskSlots(4);
    slots.setLimit(1);
    const tasks = track(slots, 4);
    await settle();
    expect(tasks.running).toEqual([0]);

    slots.setLimit(3);
    await settle();

    expect(tasks.running).toEqual([0, 1, 2]);
  });

  it('lets running tasks finish when the limit drops below them, starting none until there is room', async () => {
    const slots = new TaskSlots(3);
    const tasks = track(slots, 5);
    await settle();
    slots.setLimit(1);

    tasks.release(0);
    tasks.release(1);
    await settle();
    expect(tasks.running).toEqual([0, 1, 2]);
    tasks.release(2);
    await settle();

    expect(tasks.running).toEqual([0, 1, 2, 3]);
  });

  it('never goes below one slot nor above its size', async () => {
    const slots = new TaskSlots(2);

    slots.setLimit(-5);
    expect(slots.current).toBe(1);
    slots.setLimit(50);
    expect(slots.current).toBe(2);
    const tasks = track(slots, 3);
    await settle();
    expect(tasks.running).toEqual([0, 1]);
  });

  it('lets every waiter through on close, whatever the limit', async () => {
    const slots = new TaskSlots(2);
    slots.setLimit(1);
    const tasks = track(slots, 3);
    await settle();

    slots.close();
    await settle();

    expect(tasks.running).toEqual([0, 1, 2]);
  });
});
