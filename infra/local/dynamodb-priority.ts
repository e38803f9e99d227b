import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The local runtime's DynamoDB calls, foreground first, the table stream never starved.
 *
 * On AWS each function has capacity of its own and the table takes thousands of writes a second; here one
 * DynamoDB Local runs every statement on one SQLite thread, and the API, the state machines' steps, the
 * table stream's folds, the timers and the outbox sweep all queue in front of it in arrival order. Under a
 * burst of intakes the steps of the cases already accepted (several calls each) filled that queue, and every
 * new request waited behind them: 100 intakes a second answered in 22 s at the median on the 2-core bench
 * machine, though the store could take the API's own calls many times over.
 *
 * So calls go to DynamoDB Local at most {@link PriorityGate.capacity} at a time (enough to keep its thread
 * busy), and each waits in the queue of its {@link Lane}:
 * - `foreground`: calls made on behalf of a request someone is waiting for (an API request, an SMTP
 *   transaction; {@link inForeground});
 * - `stream`: the table stream's reads, checkpoints and folds ({@link inLane}) — one reader, one call at a
 *   time, as an event source mapping is on AWS, where it has its own concurrency;
 * - `background`: everything else (steps, timers, sweeps).
 * Whoever goes next is chosen by fair queuing over the time each lane's calls have held DynamoDB Local
 * (a call is charged what the lane's calls typically take when it starts, and corrected when it ends): while
 * all three wait, foreground calls get eight tenths of the time, the stream one tenth and the background one
 * tenth; a lane alone gets all of it, and none saves up time while it has nothing waiting. Time, not
 * calls: a fold's transaction of a hundred items holds DynamoDB Local's one thread for a quarter of a
 * second where an intake's call takes milliseconds, so a turn in ten for the stream's calls would give it
 * most of the time, and intakes would wait behind its folds. Before the stream had a lane of its own it queued with the steps: during a burst's drain each of
 * its calls waited out the whole backlog, it read a few records a second against the hundreds the steps
 * wrote, and after 20,000 cases folding the backlog took longer than running the cases had.
 * Nothing is dropped or reordered within a lane; only who goes next changes.
 */
export type Lane = 'foreground' | 'stream' | 'background';

/** The lanes in the order a tie is broken in. */
const LANES: readonly Lane[] = ['foreground', 'stream', 'background'];

const lane = new AsyncLocalStorage<Lane>();

/** Runs `work` in `lane`: every DynamoDB call it makes, however deep, waits in that lane's queue. */
export const inLane = <T>(name: Lane, work: () => Promise<T>): Promise<T> => lane.run(name, work);

/** Runs `work` as foreground: every DynamoDB call it makes, however deep, goes ahead of the background's. */
export const inForeground = <T>(work: () => Promise<T>): Promise<T> => inLane('foreground', work);

/** The lane the caller runs in (`background` unless it runs inside {@link inLane}). */
export const laneOf = (): Lane => lane.getStore() ?? 'background';

/** What a lane is assumed to take of DynamoDB Local per call until its calls have been timed. */
const FIRST_ESTIMATE_MS = 5;

export class PriorityGate {
  private inFlight = 0;
  /** Calls of the stream and the background in flight (see {@link setForegroundLoad}). */
  private othersInFlight = 0;
  /** Whether the API has requests in flight (see {@link setForegroundLoad}). */
  private foregroundBusy = false;
  /** While the API has requests in flight: when the stream's or the background's next call may start. */
  private othersRestUntil = 0;
  /** Wakes the gate when that rest is over (nothing else may end meanwhile to hand out). */
  private restTimer: ReturnType<typeof setTimeout> | undefined;
  /** {@link exclusive} work asked for and not yet done: while there is any, nothing new goes through. */
  private exclusives = 0;
  /** Resolves the exclusive work that waits for the calls in flight to end. */
  private drained: (() => void) | undefined;
  /** The last exclusive work asked for (the next one runs after it). */
  private holding: Promise<unknown> = Promise.resolve();
  private readonly waiting: Record<Lane, ((charged: number) => void)[]> = {
    foreground: [],
    stream: [],
    background: [],
  };
  /**
   * Fair queuing by time: what each lane has had of DynamoDB Local so far, in milliseconds divided by its
   * share (the virtual time its next call starts at), and the start of the last call let through.
   */
  private readonly used: Record<Lane, number> = { foreground: 0, stream: 0, background: 0 };
  private virtualTime = 0;
  /** How long each lane's calls take, a moving average: charged when a call starts, corrected when it ends. */
  private readonly typicalMs: Record<Lane, number> = {
    foreground: FIRST_ESTIMATE_MS,
    stream: FIRST_ESTIMATE_MS,
    background: FIRST_ESTIMATE_MS,
  };

  constructor(
    readonly capacity = 4,
    /** Each lane's share of DynamoDB Local's time while all of them wait. */
    readonly shares: Readonly<Record<Lane, number>> = { foreground: 8, stream: 1, background: 1 },
    /** The clock calls are timed by (a test's own). */
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`capacity must be ≥ 1, got ${capacity}`);
    for (const name of LANES)
      if (!(shares[name] > 0)) throw new Error(`the ${name} lane's share must be > 0, got ${shares[name]}`);
  }

  /** Calls waiting for their turn, by lane. */
  get queued(): Record<Lane, number> {
    const { foreground, stream, background } = this.waiting;
    return { foreground: foreground.length, stream: stream.length, background: background.length };
  }

  /** Resolves, in its turn, with the function that ends the call (call it once, however the call ends). */
  async acquire(from: Lane): Promise<() => void> {
    const charged = await new Promise<number>((resolve) => {
      this.waiting[from].push(resolve);
      this.handOut();
    });
    const started = this.now();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const took = Math.max(0, this.now() - started);
      this.used[from] += (took - charged) / this.shares[from];
      this.typicalMs[from] = 0.8 * this.typicalMs[from] + 0.2 * took;
      this.inFlight -= 1;
      if (from !== 'foreground') {
        this.othersInFlight -= 1;
        // Rests in proportion to what it held: while requests are in flight, the others' calls have no
        // more of DynamoDB Local's time than their shares (see setForegroundLoad).
        if (this.foregroundBusy) this.othersRestUntil = this.now() + took * this.restPerMs;
      }
      if (this.inFlight === 0) this.drained?.();
      this.handOut();
    };
  }

  /**
   * Tells the gate how many of the API's requests are in flight: while there is any, the stream and the
   * background have one call at DynamoDB Local between them, each followed by a rest in proportion to what
   * it took ({@link restPerMs}), and the rest of its capacity is kept for the requests' calls. Fair queuing
   * orders the calls that wait; it cannot keep a request's call that finds a slot free from landing behind
   * three steps' and folds' calls already inside DynamoDB Local (one SQLite thread: what is in there runs
   * first), and those calls' work competes with the request's for the two cores. The other lanes lose no
   * place: their calls go through one at a time, at their shares of the time, and at full capacity again
   * once the requests end (the local engine runs its tasks by the same signal).
   */
  setForegroundLoad(inFlight: number): void {
    this.foregroundBusy = inFlight > 0;
    this.handOut();
  }

  /**
   * How long the others rest, per millisecond their last call took, while requests are in flight: with
   * shares 8:1:1, four (their two tenths of the time against the requests' eight). One slot alone was not
   * enough: a step's commit of a dozen items or a fold of a hundred takes ten to a hundred times an
   * intake's call (timed on the bench machine: a fold's 100-item transaction 365–470 ms, the weekly
   * fold's BatchGet of a hundred rows 150–360 ms, an intake's 2-item transaction a few ms), and DynamoDB
   * Local runs its calls one after another, so one such call after another kept its thread most of the
   * time while the requests' calls queued behind them, 45 to 230 of them for seconds on end.
   */
  private get restPerMs(): number {
    const { foreground, stream, background } = this.shares;
    return foreground / (stream + background);
  }

  /** Whether the stream's and the background's calls may go in now (see setForegroundLoad). */
  private othersMayGo(): boolean {
    if (!this.foregroundBusy) return true;
    return this.othersInFlight === 0 && this.now() >= this.othersRestUntil;
  }

  /** Hands out again once the others' rest is over, if they have calls waiting for it. */
  private wakeAfterRest(): void {
    if (this.restTimer || !this.foregroundBusy) return;
    if (this.waiting.stream.length === 0 && this.waiting.background.length === 0) return;
    const wait = this.othersRestUntil - this.now();
    if (wait <= 0 || this.othersInFlight > 0) return;
    this.restTimer = setTimeout(() => {
      this.restTimer = undefined;
      this.handOut();
    }, Math.ceil(wait));
    this.restTimer.unref?.();
  }

  /**
   * Runs `work` with DynamoDB Local to itself: once the calls in flight have ended, and with every other
   * call held in its lane until `work` settles (then they go in their usual order). For what DynamoDB Local
   * cannot take beside its own requests (a checkpoint that restarts its write-ahead log: its SQLite has no
   * busy handler, so a write that met it would fail). One at a time.
   */
  exclusive<T>(work: () => T | Promise<T>): Promise<T> {
    this.exclusives += 1;
    const run = this.holding.then(async () => {
      try {
        if (this.inFlight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
        this.drained = undefined;
        return await work();
      } finally {
        this.exclusives -= 1;
        this.handOut();
      }
    });
    this.holding = run.catch(() => undefined);
    return run;
  }

  /** Lets a call of `lane` through, charging it what the lane's calls typically take (answered). */
  private start(lane: Lane): number {
    // A lane that had nothing waiting starts at the present: it saved up no time meanwhile.
    this.virtualTime = Math.max(this.used[lane], this.virtualTime);
    const charged = this.typicalMs[lane];
    this.used[lane] = this.virtualTime + charged / this.shares[lane];
    this.inFlight += 1;
    if (lane !== 'foreground') this.othersInFlight += 1;
    return charged;
  }

  private handOut(): void {
    while (this.exclusives === 0 && this.inFlight < this.capacity) {
      let next: Lane | undefined;
      let at = Number.POSITIVE_INFINITY;
      const othersMayGo = this.othersMayGo();
      for (const name of LANES) {
        if (this.waiting[name].length === 0 || (name !== 'foreground' && !othersMayGo)) continue;
        const startsAt = Math.max(this.used[name], this.virtualTime);
        if (startsAt < at) [next, at] = [name, startsAt];
      }
      if (!next) {
        this.wakeAfterRest();
        return;
      }
      const charged = this.start(next);
      this.waiting[next].shift()?.(charged);
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
      const release = await gate.acquire(laneOf());
      try {
        return await next(args);
      } finally {
        release();
      }
    },
    { step: 'deserialize', priority: 'low', name: MIDDLEWARE },
  );
};
