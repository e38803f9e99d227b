import { ConflictError, conflict, validationFailed } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireSeller } from '#commons/http/principal.ts';
import { caseIdParam, jsonBody } from '#commons/http/request.ts';
import { addPortalEvidence } from '#domain/evidence-wait.ts';
import { collectUploads } from '#domain/uploads.ts';
import { familyOf } from '#policy/families.ts';
import { caseFor } from './case-access.ts';
import { evidenceBody } from './contracts.ts';

/**
 * `POST /cases/{caseId}/evidence`: the seller provides evidence on the portal instead of by email. Items
 * must be ones the family's contract asks sellers for. If the case is waiting for the seller's evidence,
 * this answers that wait — exactly once, whichever of this or an email reply commits first; the other is
 * appended as additional evidence (evidence-wait.ts). Both answer 202.
 */
export const addEvidence = async (event: ApiEvent) => {
  const seller = requireSeller(event);
  const caseId = caseIdParam(event);
  const { kinds, text, uploads = [] } = jsonBody(event, evidenceBody);
  const record = await caseFor(seller, caseId);
  const family = familyOf(record.family);
  const known = family.evidence.filter((e) => e.provider === 'seller').map((e) => e.kind);
  const unknown = kinds.flatMap((kind, i) =>
    known.includes(kind)
      ? []
      : [
          {
            path: `kinds.${i}`,
            reason: `not a seller evidence item of ${family.id}; one of ${known.join(', ')}`,
          },
        ],
  );
  if (unknown.length > 0) throw validationFailed(unknown);
  const { attachments, issues } = await collectUploads(caseId, uploads);
  if (issues.length > 0) throw validationFailed(issues);

  try {
    const added = await addPortalEvidence({ caseId, sellerId: seller.sellerId, kinds, text, attachments });
    return json(202, { caseId, ...added });
  } catch (error) {
    if (error instanceof ConflictError)
      throw conflict(`case ${caseId} is changing right now; send the evidence again`);
    throw error;
  }
};

export const handler = apiHandler(addEvidence);
