import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withLogSink } from '../../functions/commons/logging.ts';
import type { AuditEvent, CaseRecord } from '../../functions/domain/case.ts';
import {
  DOMAIN_EVENT_TYPES,
  type DomainEventType,
  domainEventsOf,
} from '../../functions/domain/domain-events.ts';
import { schemaErrors } from '../support/event-schemas.ts';

const intake = JSON.parse(
  readFileSync(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
);
const SELLER_EMAIL: string = intake.sellerEmail;
const EVIDENCE_TEXT = 'My IBAN is DE89370400440532013000, see the attached passport scan';

const record = {
  caseId: 'c-20261206-abc',
  family: 'payout-hold',
  version: 7,
  intake,
} as unknown as Pick<CaseRecord, 'caseId' | 'family' | 'intake' | 'version'>;
const AT = '2026-12-06T10:00:00.000Z';
const system = (id: string) => ({ kind: 'system', id }) as const;

// Audit events as the steps write them, with the facts a domain event must never carry beside those it must.
const AUDIT: readonly (readonly [AuditEvent, DomainEventType])[] = [
  [
    {
      type: 'case.received',
      actor: { kind: 'seller', id: 's-1' },
      detail: `opened by ${SELLER_EMAIL}`,
      data: { family: 'payout-hold', reason: 'verification_required' },
    },
    'Case Opened',
  ],
  [
    {
      type: 'case.routed',
      actor: system('routing'),
      detail: 'Assigned',
      data: {
        team: 'finance',
        ruleId: 'payout-verification',
        reason: 'x',
        matched: { sellerEmail: SELLER_EMAIL },
        rulesetVersion: 3,
      },
    },
    'Case Routed',
  ],
  [
    {
      type: 'evidence.requested',
      actor: system('evidence'),
      detail: 'requested',
      data: {
        party: 'seller',
        missing: ['business_registration'],
        deadline: '2026-12-09T10:00:00.000Z',
        tokenId: 'rt-secret-token',
      },
    },
    'Evidence Requested',
  ],
  [
    {
      type: 'evidence.received',
      actor: { kind: 'seller', id: 's-1' },
      detail: EVIDENCE_TEXT,
      data: {
        evidenceId: 'ev-1',
        kinds: ['business_registration'],
        refused: ['passport.png'],
        resumed: true,
        text: EVIDENCE_TEXT,
      },
    },
    'Evidence Received',
  ],
  [
    {
      type: 'case.handed_off',
      actor: system('handoff'),
      detail: 'handed off',
      data: {
        team: 'finance',
        payload: { sellerEmail: SELLER_EMAIL, iban: 'DE89370400440532013000' },
        deadline: AT,
        priority: 'p2',
      },
    },
    'Case Handed Off',
  ],
  [
    {
      type: 'case.assigned',
      actor: system('assignment'),
      detail: 'assigned',
      data: { agentId: 'a-7', team: 'finance', rule: 'least-loaded', reason: 'r' },
    },
    'Case Assigned',
  ],
  [
    {
      type: 'case.decided',
      actor: { kind: 'ops', id: 'a-7' },
      detail: 'Decision',
      data: { outcome: 'release', rationale: `Checked ${EVIDENCE_TEXT}`, policyRef: 'PAY-4.2', via: 'agent' },
    },
    'Case Decided',
  ],
  [
    {
      type: 'case.resolved',
      actor: system('resolution'),
      detail: 'resolved',
      data: { outcome: 'release', appealBy: '2026-12-20T10:00:00.000Z' },
    },
    'Case Resolved',
  ],
  [
    {
      type: 'case.escalated',
      actor: system('escalation'),
      detail: 'escalated',
      data: { reason: 'decision_overdue', level: 2, escalateTo: 'team-manager', caseUrl: 'https://x' },
    },
    'Case Escalated',
  ],
  [
    {
      type: 'case.appealed',
      actor: { kind: 'seller', id: 's-1' },
      detail: 'appealed',
      data: { appealOf: 'keep_hold', decidedBy: 'a-7' },
    },
    'Case Appealed',
  ],
  [
    {
      type: 'case.reopened',
      actor: { kind: 'seller', id: 's-1' },
      detail: 'reopened',
      data: { reopenCount: 1 },
    },
    'Case Reopened',
  ],
];

describe('domain events', () => {
  it.each(AUDIT.map(([event, type]) => [event.type, type, event] as const))(
    'publishes %s as "%s", valid against its committed schema',
    (_audit, type, event) => {
      const [published, ...more] = domainEventsOf(record, [event], AT);

      expect(more).toEqual([]);
      expect(published?.detailType).toBe(type);
      expect(published?.detail).toMatchObject({
        caseId: record.caseId,
        family: 'payout-hold',
        subject: 'payout po_2026_11_000418',
        occurredAt: AT,
        version: 7,
      });
      expect(schemaErrors(type, published?.detail)).toEqual([]);
    },
  );

  it('has an audit mapping for every domain event type', () => {
    const mapped = new Set(
      domainEventsOf(
        record,
        AUDIT.map(([event]) => event),
        AT,
      ).map((e) => e.detailType),
    );

    expect([...mapped].sort()).toEqual([...DOMAIN_EVENT_TYPES].sort());
  });

  it('carries the decision a downstream system acts on', () => {
    const [decided] = domainEventsOf(record, [AUDIT[6]?.[0] as AuditEvent], AT);

    expect(decided?.detail).toEqual({
      caseId: record.caseId,
      family: 'payout-hold',
      subject: 'payout po_2026_11_000418',
      occurredAt: AT,
      version: 7,
      outcome: 'release',
      policyRef: 'PAY-4.2',
      decidedBy: 'a-7',
      via: 'agent',
      appeal: false,
    });
  });

  it('never carries the seller email, evidence text, tokens, rationales or handoff payloads', () => {
    const published = JSON.stringify(
      domainEventsOf(
        record,
        AUDIT.map(([event]) => event),
        AT,
      ),
    );

    for (const secret of [
      SELLER_EMAIL,
      EVIDENCE_TEXT,
      'DE89370400440532013000',
      'rt-secret-token',
      intake.details,
      'passport',
    ])
      expect(published).not.toContain(secret);
  });

  it('publishes nothing for audit events other systems do not act on', () => {
    const notes: AuditEvent[] = [
      { type: 'note.added', actor: { kind: 'ops', id: 'a-7' }, detail: EVIDENCE_TEXT },
      { type: 'message.sent', actor: system('mail'), detail: 'sent', data: { to: SELLER_EMAIL } },
      { type: 'sla.warning', actor: system('sla'), detail: 'warning' },
    ];

    expect(domainEventsOf(record, notes, AT)).toEqual([]);
  });

  it('does not publish a detail that lost a fact its consumers rely on, and logs which one', async () => {
    const routed: AuditEvent = {
      type: 'case.routed',
      actor: system('routing'),
      detail: 'x',
      data: { team: 'finance' },
    };

    const lines: string[] = [];
    const published = await withLogSink(
      (line) => lines.push(line),
      async () => domainEventsOf(record, [routed], AT),
    );

    expect(published).toEqual([]);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        detailType: 'Case Routed',
        caseId: record.caseId,
        issues: expect.arrayContaining([expect.objectContaining({ path: 'ruleId' })]),
      }),
    ]);
  });
});
