import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  inForeground,
  inLane,
  type Lane,
  laneOf,
  PriorityGate,
  prioritise,
} from '../../infra/local/dynamodb-priority.ts';

/** Takes every slot of `gate` and answers the function that gives them all back, one at a time. */
const fill = async (gate: PriorityGate) => {
  const held: (() => void)[] = [];
  for (let i = 0; i < gate.capacity; i++) held.push(await gate.acquire('background'));
  return held;
};

/**
 * A gate on a clock the test moves, one call at a time: each call, in its turn, is recorded and holds the
 * gate for what it costs (the clock moves on by that much) before it gives it back.
 */
const timedGate = (shares?: Record<Lane, number>) => {
  let now = 0;
  const gate = new PriorityGate(1, shares, () => now);
  const ran: { name: string; lane: Lane; cost: number }[] = [];
  const queue = (name: string, lane: Lane, cost: number) =>
    gate.acquire(lane).then((done) => {
      ran.push({ name, lane, cost });
      now += cost;
      done();
    });
  return { gate, ran, queue };
};

/** Each lane's part of the time the calls in `ran` took. */
const timeShares = (ran: readonly { lane: Lane; cost: number }[]) => {
  const total = ran.reduce((sum, r) => sum + r.cost, 0);
  const of = (lane: Lane) => ran.filter((r) => r.lane === lane).reduce((sum, r) => sum + r.cost, 0) / total;
  return { foreground: of('foreground'), stream: of('stream'), background: of('background') };
};

describe('DynamoDB calls of the local runtime: foreground first, the table stream never starved', () => {
  it('lets foreground calls that wait go before background calls that waited longer', async () => {
    const { gate, ran, queue } = timedGate();
    const [release] = await fill(gate);
    const all = [
      ...Array.from({ length: 20 }, (_, i) => queue(`b${i}`, 'background', 10)),
      ...Array.from({ length: 20 }, (_, i) => queue(`f${i}`, 'foreground', 10)),
    ];
    expect(gate.queued).toEqual({ foreground: 20, stream: 0, background: 20 });
    release?.();
    await Promise.all(all);
    // The background queued first; still, of the first ten calls let through, eight or more are foreground.
    expect(ran.slice(0, 10).filter((r) => r.lane === 'foreground').length).toBeGreaterThanOrEqual(8);
    expect(ran.map((r) => r.name).filter((n) => n.startsWith('f'))).toEqual(
      Array.from({ length: 20 }, (_, i) => `f${i}`),
    );
  });

  it('while every lane waits, gives each its share of the time, whatever its calls cost', async () => {
    // An intake's call ~5 ms, a step's ~20 ms, a fold's transaction of a hundred items ~200 ms: counting
    // calls would give the stream most of the time; the shares are of time.
    const { gate, ran, queue } = timedGate();
    const [release] = await fill(gate);
    const all = [
      ...Array.from({ length: 150 }, (_, i) => queue(`b${i}`, 'background', 20)),
      ...Array.from({ length: 15 }, (_, i) => queue(`s${i}`, 'stream', 200)),
      ...Array.from({ length: 4_000 }, (_, i) => queue(`f${i}`, 'foreground', 5)),
    ];
    release?.();
    await Promise.all(all);
    // Measured while all three still had calls waiting: up to the first lane's last call.
    const lastOf = (lane: Lane) => ran.findLastIndex((r) => r.lane === lane);
    const whileAllWaited = ran.slice(
      0,
      Math.min(lastOf('foreground'), lastOf('stream'), lastOf('background')),
    );
    const shares = timeShares(whileAllWaited);
    expect(shares.foreground).toBeCloseTo(0.8, 1);
    expect(shares.stream).toBeCloseTo(0.1, 1);
    expect(shares.background).toBeCloseTo(0.1, 1);
  });

  it('does not let a lane that had nothing waiting save up time', async () => {
    const { gate, ran, queue } = timedGate();
    // Steps have the gate to themselves for a second while the stream has nothing to read ...
    const [release] = await fill(gate);
    const alone = Array.from({ length: 50 }, (_, i) => queue(`b${i}`, 'background', 20));
    release?.();
    await Promise.all(alone);
    // ... then the stream has twenty calls to make as twenty more steps wait: they share the gate (equal
    // shares), rather than the stream taking its twenty in a row for the second it had nothing waiting.
    const [again] = await fill(gate);
    const both = [
      ...Array.from({ length: 20 }, (_, i) => queue(`b${50 + i}`, 'background', 20)),
      ...Array.from({ length: 20 }, (_, i) => queue(`s${i}`, 'stream', 20)),
    ];
    again?.();
    await Promise.all(both);
    const streamOfNextTen = ran.slice(50, 60).filter((r) => r.lane === 'stream').length;
    expect(streamOfNextTen).toBeGreaterThanOrEqual(4);
    expect(streamOfNextTen).toBeLessThanOrEqual(6);
  });

  it('refuses shares that would starve a lane', () => {
    expect(() => new PriorityGate(1, { foreground: 8, stream: 0, background: 1 })).toThrow(
      "the stream lane's share must be > 0",
    );
  });

  it('holds at most `capacity` calls at once, and a call given back twice frees one slot', async () => {
    const gate = new PriorityGate(2);
    const held = await fill(gate);
    let third = false;
    const waiting = gate.acquire('foreground').then((done) => {
      third = true;
      return done;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(third).toBe(false);
    held[0]?.();
    held[0]?.();
    const done = await waiting;
    expect(third).toBe(true);
    let fourth = false;
    const next = gate.acquire('background').then(() => {
      fourth = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fourth).toBe(false);
    done();
    await next;
    expect(fourth).toBe(true);
  });

  it('while the API has requests in flight, lets the stream and the background have one call between them, and rest after it', async () => {
    let now = 0;
    const gate = new PriorityGate(4, undefined, () => now);
    const held: Record<'stream' | 'background', (() => void)[]> = { stream: [], background: [] };
    let through = 0;
    const call = (lane: 'stream' | 'background') =>
      gate.acquire(lane).then((done) => {
        through += 1;
        held[lane].push(done);
      });
    const settle = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));
    gate.setForegroundLoad(2);
    const waiting = [call('background'), call('stream'), call('background'), call('stream')];
    await settle();
    // Four slots and four calls, yet one goes in: the other three slots are kept for the requests' calls.
    expect(through).toBe(1);
    const foreground = await Promise.all([1, 2, 3].map(() => gate.acquire('foreground')));
    expect(gate.queued).toEqual({ foreground: 0, stream: 2, background: 1 });
    // The one call ends after 10 ms: with shares 8:1:1 the others rest four times that, 40 ms, before
    // the next of them goes in (a fold of a hundred items must not be followed at once by another).
    now += 10;
    (held.background.pop() ?? held.stream.pop())?.();
    await settle();
    expect(through).toBe(1);
    now += 39;
    gate.setForegroundLoad(2);
    await settle();
    expect(through).toBe(1);
    // The rest is over: the gate wakes by itself (nothing else ends meanwhile) and lets the next go in.
    now += 1;
    await settle(60);
    expect(through).toBe(2);
    for (const done of foreground) done();
    // The requests end: the others go in together, up to the capacity, with no rest.
    now += 5;
    (held.background.pop() ?? held.stream.pop())?.();
    gate.setForegroundLoad(0);
    await Promise.all(waiting);
    expect(through).toBe(4);
    expect(gate.queued).toEqual({ foreground: 0, stream: 0, background: 0 });
  });

  it('runs exclusive work once the calls in flight end, holding every new call until it is done', async () => {
    const gate = new PriorityGate(4);
    const inFlight = [await gate.acquire('background'), await gate.acquire('stream')];
    const events: string[] = [];
    const work = gate.exclusive(async () => {
      events.push('work starts');
      await new Promise((resolve) => setTimeout(resolve, 10));
      events.push('work ends');
      return 'checkpointed';
    });
    // Slots are free, yet a call made now waits behind the exclusive work.
    const later = (['foreground', 'stream', 'background'] as const).map((lane) =>
      gate.acquire(lane).then((done) => {
        events.push(`${lane} call`);
        done();
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toEqual([]);
    expect(gate.queued).toEqual({ foreground: 1, stream: 1, background: 1 });
    inFlight[0]?.();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toEqual([]);
    inFlight[1]?.();
    expect(await work).toBe('checkpointed');
    await Promise.all(later);
    expect(events.slice(0, 2)).toEqual(['work starts', 'work ends']);
    expect(events.slice(2).sort()).toEqual(['background call', 'foreground call', 'stream call']);
  });

  it('lets calls through again when exclusive work fails, and runs exclusive work one at a time', async () => {
    const gate = new PriorityGate(2);
    let running = 0;
    let most = 0;
    const exclusive = (fail: boolean) =>
      gate.exclusive(async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
        if (fail) throw new Error('busy');
        return 'ok';
      });
    const outcomes = await Promise.allSettled([exclusive(true), exclusive(false), exclusive(true)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    expect(most).toBe(1);
    const done = await gate.acquire('foreground');
    done();
    expect(gate.queued).toEqual({ foreground: 0, stream: 0, background: 0 });
  });

  it('knows the lane of a call however deep it is made, and nothing else', async () => {
    expect(laneOf() === 'foreground').toBe(false);
    expect(laneOf()).toBe('background');
    const seen = await inForeground(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return Promise.resolve().then(() => laneOf() === 'foreground');
    });
    expect(seen).toBe(true);
    const streamed = await inLane('stream', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return [laneOf(), laneOf() === 'foreground'];
    });
    expect(streamed).toEqual(['stream', false]);
    expect(laneOf()).toBe('background');
  });

  it('puts each call of a client through the gate, in its lane', async () => {
    const gate = new PriorityGate(1);
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    prioritise(client, gate);
    prioritise(client, gate); // again: replaced, not added twice
    const [release] = await fill(gate);
    const calls = [
      client.send(new ListTablesCommand({})).catch(() => 'sent'),
      inForeground(() => client.send(new ListTablesCommand({})).catch(() => 'sent')),
      inLane('stream', () => client.send(new ListTablesCommand({})).catch(() => 'sent')),
    ];
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(gate.queued).toEqual({ foreground: 1, stream: 1, background: 1 });
    release?.();
    expect(await Promise.all(calls)).toEqual(['sent', 'sent', 'sent']);
    expect(gate.queued).toEqual({ foreground: 0, stream: 0, background: 0 });
    client.destroy();
  });
});
