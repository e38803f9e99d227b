/**
 * How many Task states run their function at once, across every execution; the rest wait their turn in
 * order. The local stand-in for a function's reserved concurrency: DynamoDB Local applies writes one at a
 * time, so a backlog of thousands of executions, all invoking at once, would queue every API request behind
 * its own calls. Bounded, a backlog drains at the store's pace while requests still get through. A task's
 * `TimeoutSeconds` counts from when it gets its slot, as a Lambda's runs from when it starts.
 */
export class TaskSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`task slots must be a positive integer, got ${size}`);
    this.free = size;
  }

  /** Resolves with the function that gives the slot back, once one is free (at once after `close`). */
  async acquire(): Promise<() => void> {
    if (this.free > 0 || this.closed) {
      this.free -= 1;
    } else {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    };
  }

  /** After a {@link close}: slots are handed out in turn again. */
  reopen(): void {
    this.closed = false;
  }

  /** Lets every waiter through (the runtime is stopping; they will see it and do nothing). */
  close(): void {
    this.closed = true;
    for (let next = this.waiting.shift(); next; next = this.waiting.shift()) {
      this.free -= 1;
      next();
    }
  }
}
