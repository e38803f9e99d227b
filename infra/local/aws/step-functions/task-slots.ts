/**
 * How many Task states run their function at once, across every execution; the rest wait their turn in
 * order. The local stand-in for a function's reserved concurrency: DynamoDB Local applies writes one at a
 * time, so a backlog of thousands of executions, all invoking at once, would queue every API request behind
 * its own calls. Bounded, a backlog drains at the store's pace while requests still get through. A task's
 * `TimeoutSeconds` counts from when it gets its slot, as a Lambda's runs from when it starts.
 *
 * The bound can be lowered for a while ({@link setLimit}) to leave the machine to foreground work: on AWS
 * the engine and the API do not share two cores, here they do. It never goes below one, so a backlog
 * always moves.
 */
export class TaskSlots {
  private inUse = 0;
  private limit: number;
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`task slots must be a positive integer, got ${size}`);
    this.limit = size;
  }

  /** How many slots may be in use now: `size`, or less while {@link setLimit} holds it lower. */
  get current(): number {
    return this.limit;
  }

  /** Resolves with the function that gives the slot back, once one is free (at once after `close`). */
  async acquire(): Promise<() => void> {
    if (this.inUse < this.limit || this.closed) {
      this.inUse += 1;
    } else {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse -= 1;
      this.handOut();
    };
  }

  /**
   * Lets at most `limit` tasks run at once from now on, clamped to 1…`size`. Lowering it lets running
   * tasks finish and holds the next ones back; raising it lets waiting tasks go at once.
   */
  setLimit(limit: number): void {
    this.limit = Math.max(1, Math.min(this.size, Math.floor(limit)));
    this.handOut();
  }

  /** After a {@link close}: slots are handed out in turn again. */
  reopen(): void {
    this.closed = false;
  }

  /** Lets every waiter through (the runtime is stopping; they will see it and do nothing). */
  close(): void {
    this.closed = true;
    this.handOut();
  }

  private handOut(): void {
    while (this.waiting.length > 0 && (this.closed || this.inUse < this.limit)) {
      this.inUse += 1;
      this.waiting.shift()?.();
    }
  }
}
