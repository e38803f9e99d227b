import { describe, expect, it } from 'vitest';
import { CASE_STATUSES, type CaseRecord } from '../../functions/domain/case.ts';
import { applyMove, canMove, isOpen, moveTo, OPEN_STATUSES } from '../../functions/domain/lifecycle.ts';

const inStatus = (status: CaseRecord['status']) => ({ caseId: 'case_1', status }) as CaseRecord;

describe('the case lifecycle', () => {
  it('takes a case along the common path from intake to an appeal and back to a team', () => {
    const path: CaseRecord['status'][] = [
      'received',
      'routed',
      'awaiting_seller',
      'under_review',
      'handed_off',
      'resolved',
      'appealed',
      'handed_off',
      'resolved',
      'reopened',
      'handed_off',
    ];
    for (const [i, to] of path.slice(1).entries()) {
      expect(applyMove(inStatus(path[i] as CaseRecord['status']), moveTo(to))).toBe(to);
    }
  });

  it('refuses a move the lifecycle does not allow, naming both statuses', () => {
    expect(() => applyMove(inStatus('resolved'), moveTo('awaiting_seller'))).toThrow(
      /case_1 cannot go from resolved to awaiting_seller/,
    );
    expect(() => applyMove(inStatus('failed'), moveTo('routed'))).toThrow(/failed to routed/);
    expect(() => applyMove(inStatus('received'), moveTo('resolved'))).toThrow(/received to resolved/);
  });

  it('keeps the status when a change moves nothing', () => {
    expect(applyMove(inStatus('handed_off'), undefined)).toBe('handed_off');
  });

  it('lets every open status fail, and nothing leave failed', () => {
    for (const status of OPEN_STATUSES) expect(canMove(status, 'failed')).toBe(true);
    for (const status of CASE_STATUSES) expect(canMove('failed', status)).toBe(false);
    expect(isOpen('resolved')).toBe(false);
    expect(isOpen('appealed')).toBe(true);
  });
});
