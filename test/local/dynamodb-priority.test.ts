import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { inForeground, isForeground, PriorityGate, prioritise } from '../../infra/local/dynamodb-priority.ts';

/** Takes every slot of `gate` and answers the function that gives them all back, one at a time. */
const fill = async (gate: PriorityGate) => {
  const held: (() => void)[] = [];
  for (let i = 0; i < gate.capacity; i++) held.push(await gate.acquire(false));
  return held;
};

/** Queues named calls on `gate`; each, in its turn, is recorded in `order` and given back at once. */
const recorder = (gate: PriorityGate) => {
  const order: string[] = [];
  const queue = (name: string, fg: boolean) =>
    gate.acquire(fg).then((done) => {
      order.push(name);
      done();
    });
  return { order, queue };
};

describe('DynamoDB calls of the local runtime, foreground first', () => {
  it('lets foreground calls that wait go before background calls that waited longer', async () => {
    const gate = new PriorityGate(1, 5);
    const [release] = await fill(gate);
    const { order, queue } = recorder(gate);
    const all = [queue('b1', false), queue('b2', false), queue('f1', true), queue('f2', true)];
    expect(gate.queued).toEqual({ foreground: 2, background: 2 });
    release?.();
    await Promise.all(all);
    expect(order).toEqual(['f1', 'f2', 'b1', 'b2']);
  });

  it('never starves the background: while both wait, every fifth call let through is a background one', async () => {
    const gate = new PriorityGate(1, 5);
    const [release] = await fill(gate);
    const { order, queue } = recorder(gate);
    const all = [
      ...Array.from({ length: 3 }, (_, i) => queue(`b${i}`, false)),
      ...Array.from({ length: 12 }, (_, i) => queue(`f${i}`, true)),
    ];
    release?.();
    await Promise.all(all);
    expect(order.join(' ')).toBe('f0 f1 f2 f3 b0 f4 f5 f6 f7 b1 f8 f9 f10 f11 b2');
  });

  it('holds at most `capacity` calls at once, and a call given back twice frees one slot', async () => {
    const gate = new PriorityGate(2, 5);
    const held = await fill(gate);
    let third = false;
    const waiting = gate.acquire(true).then((done) => {
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
    const next = gate.acquire(false).then(() => {
      fourth = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fourth).toBe(false);
    done();
    await next;
    expect(fourth).toBe(true);
  });

  it('knows a foreground call however deep it is made, and nothing else', async () => {
    expect(isForeground()).toBe(false);
    const seen = await inForeground(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return Promise.resolve().then(() => isForeground());
    });
    expect(seen).toBe(true);
    expect(isForeground()).toBe(false);
  });

  it('puts each call of a client through the gate, in its class', async () => {
    const gate = new PriorityGate(1, 5);
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
    ];
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(gate.queued).toEqual({ foreground: 1, background: 1 });
    release?.();
    expect(await Promise.all(calls)).toEqual(['sent', 'sent']);
    expect(gate.queued).toEqual({ foreground: 0, background: 0 });
    client.destroy();
  });
});
