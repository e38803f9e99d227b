import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The local runtime's DynamoDB calls, foreground first.
 *
 * On AWS each function has capacity of its own and the table takes thousands of writes a second; here one
 * DynamoDB Local runs every statement on one SQLite thread, and the API, the state machines' steps, the
 * table stream's folds, the timers and the outbox sweep all queue in front of it in arrival order. Under a
 * burst of intakes the steps of the cases already accepted (several calls each) filled that queue, and every
 * new request waited behind them: 100 intakes a second answered in 22 s at the median on the 2-core bench
 * machine, though the store could take the API's own calls many times over.
 *
 * So calls go to DynamoDB Local at most {@link PriorityGate.capacity} at a time (enough to keep its thread
 * busy), and whoever waits is let through foreground first: calls made on behalf of a request someone is
 * waiting for (an API request, an SMTP transaction; {@link inForeground}) before the background's. The
 * background is never starved: while both wait, every {@link PriorityGate.backgroundEvery}-th call let
 * through is a background one, so accepted cases keep moving during a burst and catch up after it (one in
 * ten: a background call — a step's commit, a fold's transaction — often writes several times the items of
 * an intake, so its share of DynamoDB Local's time is larger than its share of the calls).
 * Nothing is dropped or reordered within a class; only who goes next changes.
 */
const foreground = new AsyncLocalStorage<true>();

/** Runs `work` as foreground: every DynamoDB call it makes, however deep, goes ahead of the background's. */
export const inForeground = <T>(work: () => Promise<T>): Promise<T> => foreground.run(true, work);

/** Whether the caller runs inside {@link inForeground}. */
export const isForeground = (): boolean => foreground.getStore() === true;

export class PriorityGate {
  private inFlight = 0;
  private readonly waiting = { foreground: [] as (() => void)[], background: [] as (() => void)[] };
  /** Foreground calls let through in a row while background calls waited. */
  private streak = 0;

  constructor(
    readonly capacity = 4,
    readonly backgroundEvery = 10,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`capacity must be ≥ 1, got ${capacity}`);
    if (!Number.isInteger(backgroundEvery) || backgroundEvery < 2)
      throw new Error(`backgroundEvery must be ≥ 2, got ${backgroundEvery}`);
  }

  /** Calls waiting for their turn, by class. */
  get queued(): { foreground: number; background: number } {
    return { foreground: this.waiting.foreground.length, background: this.waiting.background.length };
  }

  /** Resolves, in its turn, with the function that ends the call (call it once, however the call ends). */
  async acquire(isForegroundCall: boolean): Promise<() => void> {
    if (this.inFlight < this.capacity && this.queued.foreground + this.queued.background === 0) {
      this.inFlight += 1;
    } else {
      await new Promise<void>((resolve) =>
        (isForegroundCall ? this.waiting.foreground : this.waiting.background).push(resolve),
      );
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlight -= 1;
      this.handOut();
    };
  }

  private handOut(): void {
    while (this.inFlight < this.capacity) {
      const { foreground: fg, background: bg } = this.waiting;
      const backgroundTurn = bg.length > 0 && (fg.length === 0 || this.streak >= this.backgroundEvery - 1);
      const next = backgroundTurn ? bg.shift() : fg.shift();
      if (!next) return;
      this.streak = backgroundTurn || bg.length === 0 ? 0 : this.streak + 1;
      this.inFlight += 1;
      next();
    }
  }
}

const MIDDLEWARE = 'sellerworksLocalPriority';

/** What this needs of any SDK client's middleware stack (each client's is typed by its own operations). */
interface AnyStack {
  remove(name: string): boolean;
  // biome-ignore lint/suspicious/noExplicitAny: every client's own handler types
  add(middleware: any, options: { step: 'deserialize'; priority: 'low'; name: string }): void;
}

/**
 * Puts `client`'s calls through `gate`, each attempt on its own (a retry waits its turn again), holding its
 * place only while the request is with DynamoDB Local. Installing again replaces the gate (a second runtime
 * in one process, as some tests start, uses its own).
 */
export const prioritise = (client: { middlewareStack: AnyStack }, gate: PriorityGate): void => {
  client.middlewareStack.remove(MIDDLEWARE);
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      const release = await gate.acquire(isForeground());
      try {
        return await next(args);
      } finally {
        release();
      }
    },
    { step: 'deserialize', priority: 'low', name: MIDDLEWARE },
  );
};
