import { createHash } from 'node:crypto';
import { nowIso } from '#commons/clock.ts';
import { badRequest, ConflictError, forbidden, HttpError, validationFailed } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { principalOf } from '#commons/http/principal.ts';
import { correlationIdOf, header, rawJsonBody, validate } from '#commons/http/request.ts';
import type { CaseRecord } from '#domain/case.ts';
import { logCaseKeys } from '#domain/case-loader.ts';
import { findIntake, getCase, insertCase, intakeCaseId, OPENED_VERSION } from '#domain/case-store.ts';
import { INITIAL_STATUS } from '#domain/lifecycle.ts';
import { startClocks } from '#domain/sla.ts';
import { startWorkflow } from '#domain/workflow.ts';
import { familyOf, isFamilyId } from '#policy/families.ts';
import { FAMILY_IDS } from '#state-machines/catalog.ts';
import { IDEMPOTENCY_KEY } from './contracts.ts';

/** A stable hash of the validated body: the same request sent twice hashes the same. */
const hashOf = (value: unknown): string => {
  const canonical = (v: unknown): unknown =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, x]) => [k, canonical(x)]),
        )
      : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex');
};

const accepted = (record: Pick<CaseRecord, 'caseId' | 'family' | 'status'>, replayed: boolean) =>
  json(
    202,
    {
      caseId: record.caseId,
      family: record.family,
      status: record.status,
      links: { self: `/cases/${record.caseId}` },
    },
    { location: `/cases/${record.caseId}`, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) },
  );

/**
 * `POST /cases`: a seller portal opens a case. Requires an `Idempotency-Key`, scoped to the seller: the case's
 * id is derived from the two (`intakeCaseId`), so a key opens one case, and sending it again with the same
 * body answers that case (`Idempotent-Replayed: true`), with another body 422.
 */
export const createCase = async (event: ApiEvent) => {
  const principal = principalOf(event);
  if (principal.kind !== 'seller') throw forbidden('only sellers open cases');
  const key = header(event, 'idempotency-key');
  if (key === undefined) {
    throw badRequest('the Idempotency-Key header is required', [
      { path: 'headers.Idempotency-Key', reason: 'required' },
    ]);
  }
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw badRequest('the Idempotency-Key header must be 8 to 128 visible ASCII characters', [
      { path: 'headers.Idempotency-Key', reason: '8 to 128 visible ASCII characters' },
    ]);
  }
  const body = rawJsonBody(event);
  const familyValue =
    body !== null && typeof body === 'object' ? (body as { family?: unknown }).family : undefined;
  if (!isFamilyId(familyValue)) {
    throw validationFailed([
      {
        path: 'family',
        reason:
          familyValue === undefined
            ? `required; one of ${FAMILY_IDS.join(', ')}`
            : `unknown family ${JSON.stringify(familyValue)}; known: ${FAMILY_IDS.join(', ')}`,
      },
    ]);
  }
  const family = familyOf(familyValue);
  const intake = validate(body, family.intake);
  const bodyHash = hashOf(intake);

  const replay = async (existing: { caseId: string; intakeHash: string | undefined }) => {
    if (existing.intakeHash !== bodyHash) {
      throw new HttpError(
        422,
        'idempotency_key_reused',
        'this Idempotency-Key was already used with a different body',
        [{ path: 'headers.Idempotency-Key', reason: 'already used with a different body' }],
      );
    }
    const record = await getCase(existing.caseId);
    if (!record) throw new Error(`the Idempotency-Key's case ${existing.caseId} is missing`);
    logCaseKeys(record);
    await startWorkflow(record.caseId, record.family);
    return accepted(record, true);
  };

  // No read first: a new key (nearly every request) costs one write of two items; a replay finds its case
  // afterwards.
  const now = nowIso();
  const correlationId = correlationIdOf(event);
  const record: CaseRecord & { intakeHash: string } = {
    caseId: intakeCaseId(principal.sellerId, key),
    family: family.id,
    sellerId: principal.sellerId,
    sellerTier: principal.tier,
    sellerEmail: intake.sellerEmail,
    region: intake.region,
    status: INITIAL_STATUS,
    version: OPENED_VERSION,
    createdAt: now,
    updatedAt: now,
    intake,
    intakeHash: bodyHash,
    sla: startClocks(family, principal.tier, intake, now),
    ...(correlationId ? { correlationId } : {}),
  };
  logCaseKeys(record);
  const created = await insertCase(record, {
    type: 'case.received',
    actor: { kind: 'seller', id: principal.sellerId },
    detail: `${family.name} opened for ${family.subject(intake)}`,
    data: { family: family.id, reason: intake.reason },
  });
  if (!created) {
    // The key was used before (a retry), or a concurrent request with it won the race: answer as its replay.
    const earlier = await findIntake(principal.sellerId, key);
    if (!earlier) {
      throw new ConflictError('a request with this Idempotency-Key is being applied; send it again');
    }
    return replay(earlier);
  }
  // `Case Opened` leaves with the case's first commit after this one (its first step's), ahead of that
  // commit's events: the seller's request waits on one write (case-store.ts `insertCase`).
  await startWorkflow(record.caseId, record.family);
  return accepted(record, false);
};

export const handler = apiHandler(createCase);
