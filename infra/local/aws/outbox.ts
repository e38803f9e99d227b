import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const outboxEntrySchema = z.object({
  channel: z.enum(['email', 'sns', 'eventbridge']),
  to: z.string(),
  from: z.string(),
  replyTo: z.string().nullable(),
  subject: z.string(),
  text: z.string(),
  html: z.string().nullable(),
  caseId: z.string().nullable(),
  sentAt: z.iso.datetime(),
  messageId: z.string().min(1),
  headers: z.record(z.string(), z.string()).optional(),
  /** An EventBridge event's detail type and detail (channel `eventbridge`). */
  detailType: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});

/**
 * One message the product sent: an SES email, an SNS notification or an EventBridge event, as the local
 * endpoint received it. `caseId` comes from the SES `EmailTags` / SNS `MessageAttributes` entry named
 * `caseId`, or from an event's detail.
 */
export type OutboxEntry = z.infer<typeof outboxEntrySchema>;

/** Called once per appended entry, after it is on disk. */
export type OutboxListener = (entry: OutboxEntry) => void;

/**
 * The local stand-in for "the message left the building": every email and notification the local SES and
 * SNS endpoints accept, kept as JSON lines so the outbox survives restarts and can be read with `tail -f`.
 */
export class Outbox {
  private readonly entries: OutboxEntry[];
  /** Each case's entries, so reading one case's mail does not go through everyone's. */
  private readonly byCase = new Map<string, OutboxEntry[]>();
  private readonly listeners = new Set<OutboxListener>();

  /**
   * Opens (or creates) the outbox file and loads what earlier runs sent.
   * @param filePath JSON-lines file; its folder is created when missing.
   * @throws Error naming the file and line when a stored entry is not a valid outbox entry.
   */
  constructor(private readonly filePath: string) {
    mkdirSync(dirname(filePath), { recursive: true });
    if (!existsSync(filePath)) {
      writeFileSync(filePath, '');
    }
    this.entries = Outbox.load(filePath);
    for (const entry of this.entries) this.index(entry);
  }

  private index(entry: OutboxEntry): void {
    if (!entry.caseId) return;
    const list = this.byCase.get(entry.caseId);
    if (list) list.push(entry);
    else this.byCase.set(entry.caseId, [entry]);
  }

  /** Persists one entry, then tells the listeners. */
  append(entry: OutboxEntry): OutboxEntry {
    const valid = outboxEntrySchema.parse(entry);
    appendFileSync(this.filePath, `${JSON.stringify(valid)}\n`);
    this.entries.push(valid);
    this.index(valid);
    for (const listener of this.listeners) {
      listener(valid);
    }
    return valid;
  }

  /** Entries in the order they were sent, optionally only those of one case. */
  list(filter: { caseId?: string } = {}): OutboxEntry[] {
    const { caseId } = filter;
    return caseId === undefined ? [...this.entries] : [...(this.byCase.get(caseId) ?? [])];
  }

  /**
   * Registers a listener for entries appended from now on.
   * @returns A function that removes the listener.
   */
  subscribe(listener: OutboxListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private static load(filePath: string): OutboxEntry[] {
    const lines = readFileSync(filePath, 'utf8').split('\n');
    const entries: OutboxEntry[] = [];
    for (const [index, line] of lines.entries()) {
      if (line.trim() === '') {
        continue;
      }
      const isLastLine = index === lines.length - 1;
      const parsed = Outbox.parseLine(line);
      if (parsed) {
        entries.push(parsed);
      } else if (!isLastLine) {
        throw new Error(`Outbox ${filePath} line ${index + 1} is not a valid outbox entry`);
      }
      // An unterminated, unparsable last line is a write cut short by a crash: that message was never
      // acknowledged to its sender, so dropping it is what a real outbox would do.
    }
    return entries;
  }

  private static parseLine(line: string): OutboxEntry | undefined {
    try {
      const result = outboxEntrySchema.safeParse(JSON.parse(line));
      return result.success ? result.data : undefined;
    } catch {
      return undefined;
    }
  }
}
