import { z } from 'zod';
import { AGENT_ID, CASE_ID } from '#commons/http/request.ts';
import { agentIdSchema, agentSpecSchema, agentStatusSchema } from '#domain/assignment-policy.ts';
import { caseListQuery } from '#domain/case-list-query.ts';
import { replayCasesQuery } from '#domain/replay-query.ts';
import { LOW_SCORE, REVIEW_CRITERIA, REVIEW_DIMENSIONS } from '#domain/review-scores.ts';
import { MAX_UPLOAD_BYTES, UPLOAD_TYPES } from '#domain/uploads.ts';
import { ISO_WEEK } from '#domain/weekly-review.ts';
import { FAMILIES } from '#policy/families.ts';
import { FAMILY_IDS } from '#state-machines/catalog.ts';
import type { ROUTES } from './routes.ts';

/**
 * What each route of routes.ts takes and answers: its path parameters, query, headers and body as the zod
 * schemas its handler validates with, and its answers. The handlers import their request schemas from
 * here and the OpenAPI generator (openapi.ts) reads the same objects, so the document cannot drift from the
 * validation. Importing this module has no side effect (no configuration, no clients): keep it that way.
 */

// ---------------------------------------------------------------- request schemas the handlers validate

export const caseNoteBody = z.object({ text: z.string().trim().min(1).max(5000) }).strict();

export const evidenceBody = z
  .object({
    /** Evidence items of the family's contract that this submission provides. */
    kinds: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(10)
      .describe("evidence items of the family's contract that the seller provides (seller items only)"),
    text: z.string().trim().min(1).max(5000),
    /** `uploadId`s from `POST /cases/{caseId}/evidence/uploads`, already PUT. */
    uploads: z
      .array(z.string().min(1).max(300))
      .max(10)
      .optional()
      .describe('`uploadId`s from `POST /cases/{caseId}/evidence/uploads`, already PUT'),
  })
  .strict();

export const appealBody = z.object({ statement: z.string().trim().min(10).max(5000) }).strict();

export const assignBody = z
  .object({ agentId: agentIdSchema, reason: z.string().trim().min(1).max(500).optional() })
  .strict();

export const uploadBody = z
  .object({
    filename: z.string().trim().min(1).max(200),
    contentType: z.enum(UPLOAD_TYPES),
    size: z
      .number()
      .int()
      .positive()
      .max(MAX_UPLOAD_BYTES, `at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB`),
  })
  .strict();

export const executionQuery = z
  .object({ name: z.string().min(1).max(80).optional().describe('a run of the case; the latest if absent') })
  .strict();

export const metricsQuery = z
  .object({
    since: z.iso
      .datetime({ error: 'an ISO 8601 instant' })
      .optional()
      .describe('count the cases opened from this UTC day on'),
  })
  .strict();

const familyIds = Object.keys(FAMILIES) as [keyof typeof FAMILIES, ...(keyof typeof FAMILIES)[]];

export const faqQuery = z
  .object({
    family: z.enum(familyIds, { error: `one of ${familyIds.join(', ')}` }).describe('the issue family'),
    reason: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe("one of the family's reasons (the answer lists them); its first reason when absent"),
    candidates: z
      .enum(['true', 'false'], { error: 'true or false' })
      .optional()
      .describe('only the groups marked as FAQ candidates'),
    limit: z
      .string()
      .regex(/^\d{1,3}$/, 'a whole number from 1 to 100')
      .refine((n) => Number(n) >= 1 && Number(n) <= 100, 'a whole number from 1 to 100')
      .optional()
      .describe('groups a page (20 when absent)'),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,400}$/, 'a cursor from a previous answer')
      .optional(),
  })
  .strict()
  .superRefine((query, ctx) => {
    const family = FAMILIES[query.family];
    if (family && query.reason !== undefined && !Object.hasOwn(family.reasons, query.reason))
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: `one of ${Object.keys(family.reasons).join(', ')}`,
      });
  });

export const faqMarkBody = z
  .object({
    candidate: z.boolean().describe('true marks the group as an FAQ candidate; false clears the mark'),
    note: z.string().trim().min(1).max(500).optional().describe('why, for whoever writes the FAQ'),
  })
  .strict();

export const weeklyReviewQuery = z
  .object({
    week: z
      .string()
      .regex(ISO_WEEK, { error: 'an ISO week, YYYY-Www (e.g. 2026-W49)' })
      .optional()
      .describe('the ISO week (UTC) to review; the current one when absent'),
  })
  .strict();

export const agentsQuery = z
  .object({
    team: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
  })
  .strict();

export const decisionBody = z
  .object({
    outcome: z.string().min(1).describe("one of the ops view's `allowedOutcomes[].id`"),
    rationale: z.string().trim().min(1).max(2000),
  })
  .strict();

export const reopenBody = z.object({ reason: z.string().trim().min(10).max(5000) }).strict();

export const followUpBody = z
  .object({
    handled: z
      .boolean()
      .describe('whether the concern was handled; `false` reopens the case within its window'),
    rating: z.number().int().min(1).max(5).optional().describe('how well it was handled, 1 (very poor) to 5'),
    comment: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .optional()
      .describe("the seller's own words, kept on the case (never in events or logs)"),
  })
  .strict();

export const replyBody = z
  .object({
    snippet: z.string().min(1).max(64).describe("one of the ops view's `replySnippets[].id`"),
    text: z.string().max(4000).optional().describe('only where the snippet takes free text'),
    evidence: z
      .array(z.string().min(1).max(64))
      .max(20)
      .optional()
      .describe('seller evidence items to ask for, exactly when the snippet asks for more'),
  })
  .strict();

export const mediationBody = z.object({ accept: z.boolean() }).strict();

export const transferBody = z
  .object({
    team: z.string().min(1).max(64),
    reason: z.string().trim().min(5).max(2000),
    /** Required to send a case back to a team that already passed it on: ping-pong needs a reason. */
    returnReason: z
      .string()
      .trim()
      .min(10)
      .max(2000)
      .optional()
      .describe('required to send the case back to a team that already handed it off'),
  })
  .strict();

/** `GET /ops/reviews/queue`: one family's queue or all of them, a page at a time, oldest first. */
export const reviewQueueQuery = z
  .object({
    family: z
      .enum(FAMILY_IDS, { error: `one of ${FAMILY_IDS.join(', ')}` })
      .optional()
      .describe('one family’s queue; every family’s, merged, if absent'),
    limit: z
      .string()
      .regex(/^[0-9]{1,3}$/, 'a whole number from 1 to 100')
      .transform(Number)
      .pipe(z.number().int().min(1, 'a whole number from 1 to 100').max(100, 'a whole number from 1 to 100'))
      .default(25),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,200}$/, 'the `nextCursor` of a page')
      .optional()
      .describe('the previous page’s `nextCursor`'),
  })
  .strict();

const reviewScore = z
  .number({ error: 'a whole number from 1 to 5' })
  .int('a whole number from 1 to 5')
  .min(1, 'a whole number from 1 to 5')
  .max(5, 'a whole number from 1 to 5');
const reviewComment = z.string().trim().min(1, 'say something, or leave it out').max(2000);

/**
 * `POST /ops/reviews/{caseId}`: a score from 1 to 5 on each criterion, with comments; a score of
 * LOW_SCORE or less needs a comment on its criterion saying why (422 at `comments.<criterion>`).
 */
export const reviewBody = z
  .object({
    scores: z
      .object({
        decisionCorrectness: reviewScore.describe('was the outcome right, on the evidence and the policy'),
        explanationClarity: reviewScore.describe('could the seller understand why, and what they can do'),
        handoffCompleteness: reviewScore.describe('did the handoff carry what the team needed to decide'),
        policyAdherence: reviewScore.describe(
          'did the handling follow the family’s policy and its references',
        ),
      })
      .strict() satisfies z.ZodType<Record<(typeof REVIEW_CRITERIA)[number], number>>,
    comments: z
      .object({
        decisionCorrectness: reviewComment.exactOptional(),
        explanationClarity: reviewComment.exactOptional(),
        handoffCompleteness: reviewComment.exactOptional(),
        policyAdherence: reviewComment.exactOptional(),
        overall: reviewComment.exactOptional(),
      })
      .strict()
      .exactOptional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    for (const criterion of REVIEW_CRITERIA)
      if (body.scores[criterion] <= LOW_SCORE && !body.comments?.[criterion])
        ctx.addIssue({
          code: 'custom',
          path: ['comments', criterion],
          message: `a score of ${LOW_SCORE} or less needs a comment saying why`,
        });
  });

export const reviewScoresQuery = z.object({}).strict();

export { agentSpecSchema as agentBody, agentStatusSchema as agentStatusBody, caseListQuery };

/** `Idempotency-Key` on `POST /cases`: 8 to 128 visible ASCII characters, scoped to the seller. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,128}$/;

/**
 * `POST /cases`: one family's intake. The handler picks the family by `family` first (to name it in the
 * error) and then validates with that family's own schema — the same schemas this union is made of.
 */
export const createCaseBody = z.union(Object.values(FAMILIES).map((family) => family.intake));

// ---------------------------------------------------------------------------------- path parameters

const caseIdPath = z.object({
  caseId: z.string().regex(CASE_ID).describe('a case id (`case_…`); one that cannot be a case id is 404'),
});
const groupIdPath = z.object({
  groupId: z
    .string()
    .describe('a FAQ group id (`<family>.<reason>.<12 hex>`); one that names no group is 404'),
});
const agentIdPath = z.object({
  agentId: z.string().regex(AGENT_ID).describe('an agent id; one that cannot be an agent id is 404'),
});

// ------------------------------------------------------------------------------------- answers

const links = (...names: string[]) =>
  z.object(Object.fromEntries(names.map((n) => [n, z.string()]))).describe('related resources');
const iso = z.string().describe('an ISO 8601 instant');
const timelineEntry = z.looseObject({
  at: iso,
  type: z.string(),
  actor: z.looseObject({ kind: z.string(), id: z.string().optional() }),
  detail: z.string(),
});
const evidenceItem = z.looseObject({
  evidenceId: z.string(),
  kinds: z.array(z.string()),
  provider: z.string(),
  source: z.string(),
  receivedAt: iso,
});

const sellerCase = z
  .looseObject({
    caseId: z.string(),
    family: z.string(),
    familyName: z.string(),
    subject: z.string(),
    status: z.string().describe('the lifecycle status'),
    statusLabel: z.string().describe('what is expected next, and from whom, in the seller’s words'),
    sla: z.looseObject({}).optional().describe('the case’s SLA clocks'),
    next: z.looseObject({ from: z.string().optional(), action: z.string().optional(), dueBy: z.unknown() }),
    createdAt: iso,
    updatedAt: iso,
    intake: z.looseObject({}).describe('the intake as the family validated it'),
    evidenceChecklist: z.array(
      z.looseObject({
        kind: z.string(),
        label: z.string(),
        provider: z.string(),
        status: z.enum(['received', 'missing']),
        dueBy: iso.optional(),
      }),
    ),
    evidence: z.array(evidenceItem),
    followUp: z
      .object({
        id: z.string(),
        status: z.enum(['scheduled', 'asked', 'answered']),
        dueAt: iso,
        askedAt: iso.optional(),
        answer: z
          .object({
            handled: z.boolean(),
            rating: z.number().int().min(1).max(5).optional(),
            at: iso,
            reopened: z.boolean(),
          })
          .optional(),
      })
      .optional()
      .describe(
        'the follow-up of the latest resolution: `scheduled` (asked at `dueAt`), `asked` (answer it with POST /cases/{caseId}/follow-up), `answered`',
      ),
    messages: z.array(
      z.looseObject({
        messageId: z.string(),
        audience: z.string(),
        sentAt: iso,
        subject: z.string(),
        text: z.string(),
        template: z.string().describe('template id@version'),
      }),
    ),
    decision: z.looseObject({ outcome: z.string(), decidedAt: iso }).optional(),
    timeline: z.array(timelineEntry),
  })
  .describe('the case as its seller sees it');

const opsCase = sellerCase
  .extend({
    sellerId: z.string(),
    sellerTier: z.string(),
    version: z.number().int(),
    assignee: z
      .looseObject({ agentId: z.string(), name: z.string().optional(), assignedAt: iso.optional() })
      .nullable(),
    priority: z.looseObject({ level: z.string() }).optional(),
    queue: z
      .looseObject({ team: z.string(), position: z.number().int(), priority: z.string().nullable() })
      .optional(),
    triage: z.looseObject({}).optional(),
    routing: z
      .looseObject({
        team: z.string(),
        ruleId: z.string(),
        reason: z.string(),
        matched: z.unknown(),
        rulesetVersion: z.string(),
      })
      .optional(),
    waiting: z.looseObject({ step: z.string() }).optional(),
    allowedOutcomes: z
      .array(z.looseObject({ id: z.string(), label: z.string(), policyRef: z.string().optional() }))
      .optional(),
    replySnippets: z.array(z.looseObject({ id: z.string(), label: z.string() })).optional(),
    askableEvidence: z.array(z.unknown()).optional(),
    transferTo: z.array(z.string()).optional(),
    escalationLevel: z.number().int(),
  })
  .describe(
    'the ops view: the seller view plus routing, triage, waiting, counts and, while a decision is awaited, allowed outcomes, assignee or queue place; protected evidence comes redacted for a team without the right',
  );

const agent = z.looseObject({
  agentId: z.string(),
  team: z.string(),
  name: z.string(),
  skills: z.looseObject({}),
  capacity: z.number().int(),
  status: z.enum(['available', 'away']),
  load: z.number().int().describe('how many cases the agent holds'),
  cases: z.array(z.string()),
  lastAssignedAt: iso.optional(),
  updatedAt: iso,
});

const faqGroup = z.object({
  groupId: z.string(),
  family: z.string(),
  reason: z.string(),
  size: z.number().int().describe('statements in the group'),
  cases: z.number().int().describe('distinct cases'),
  representative: z.string().describe('the statement that started the group, shortened'),
  sources: z.record(z.string(), z.number().int()).describe('statements by source: intake, email'),
  trend: z.object({
    direction: z.enum(['rising', 'falling', 'steady']),
    weeks: z.array(z.object({ week: z.string(), count: z.number().int() })).describe('the last 8 ISO weeks'),
  }),
  examples: z.array(z.string()).describe('the latest case ids, at most 5'),
  templates: z
    .array(z.object({ template: z.string(), cases: z.number().int() }))
    .describe("seller emails sent on the group's cases, by template id@version"),
  firstSeen: iso,
  lastSeen: iso,
  candidate: z.object({ markedBy: z.string(), markedAt: iso, note: z.string().optional() }).nullable(),
});

/** A figure's example cases: the first few it counts (`examplesPerFigure`), each a case id. */
const exampleCases = z.array(z.string()).describe('example case ids (at most `examplesPerFigure`)');
const counted = <K extends string>(key: K) =>
  z.array(z.object({ [key]: z.string(), count: z.number().int(), cases: exampleCases }));
const templateLine = z.object({
  template: z.string().describe('template id@version: the last email to the seller before the resolution'),
  resolved: z.number().int(),
  reopened: z.number().int(),
  reopenRate: z.number().nullable(),
  csat: z.object({
    responses: z.number().int(),
    ratings: z.number().int(),
    meanRating: z.number().nullable(),
    notHandled: z.number().int(),
  }),
  cases: exampleCases,
});

const weeklyReviewAnswer = z.object({
  week: z.string(),
  from: iso,
  to: iso,
  timeToResolution: z
    .object({
      stretches: z
        .number()
        .int()
        .describe('resolutions in the week (each from intake, a reopen or an appeal)'),
      hours: z.number(),
      meanHours: z.number().nullable(),
      phases: z.array(
        z.object({
          phase: z.string(),
          label: z.string(),
          hours: z.number(),
          share: z.number().nullable(),
          stretches: z.number().int(),
          cases: exampleCases,
        }),
      ),
      teams: z.array(
        z.object({
          team: z.string(),
          hours: z.number(),
          share: z.number().nullable(),
          queuedHours: z.number(),
          withAgentHours: z.number(),
          escalatedHours: z.number(),
          stretches: z.number().int(),
          cases: exampleCases,
        }),
      ),
    })
    .describe('where the time to resolution went: by phase, and by the team holding the case'),
  escalationReasons: counted('reason'),
  reopens: z.object({
    total: z.number().int(),
    families: counted('family'),
    reasons: z.array(
      z.object({ family: z.string(), reason: z.string(), count: z.number().int(), cases: exampleCases }),
    ),
  }),
  bouncedTransfers: z.array(
    z.object({
      path: z.array(z.string()).describe('from, to, and where `to` passed it on'),
      kind: z.enum(['back', 'onward']),
      count: z.number().int(),
      cases: exampleCases,
    }),
  ),
  slaBreaches: counted('team'),
  templates: z.object({ worstReopenRate: z.array(templateLine), worstCsat: z.array(templateLine) }),
  examplesPerFigure: z.number().int(),
});

const scoreboardLine = z
  .looseObject({})
  .describe(
    'cases, resolved, times (count, median, p90, mean hours), rates, and `csat` (follow-up answers: responses, handledShare, rated, meanRating, ratings per 1–5)',
  );

const reviewLine = z
  .looseObject({
    segment: z.string(),
    reviews: z.number().int(),
    overall: z.number().nullable(),
    lowScored: z.number().int(),
    criteria: z.record(
      z.string(),
      z.object({ mean: z.number().nullable(), distribution: z.array(z.number().int()) }),
    ),
  })
  .describe('a segment’s review results');

// ------------------------------------------------------------------------------------- contracts

/** Who may call a route: any signed-in caller, a seller, ops, or anyone (no token). */
export type Audience = 'any' | 'seller' | 'ops' | 'public';

export interface Answer {
  readonly description: string;
  readonly schema?: z.ZodType;
  /** Response headers, by name, with what each says. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The body's media type when it is not JSON (a page). */
  readonly mediaType?: string;
}

export interface RouteContract {
  readonly summary: string;
  readonly audience: Audience;
  /** Who exactly, when the role alone does not say (a supervisor, the case's assignee). */
  readonly who?: string;
  readonly path?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** Request headers the handler reads, with their schema and whether they are required. */
  readonly headers?: Readonly<Record<string, { schema: z.ZodType; required: boolean; description: string }>>;
  /** The success answers, by status. */
  readonly answers: Readonly<Record<number, Answer>>;
  /**
   * Error statuses the handler gives beyond those every route of its kind has (the generator adds 401,
   * 403, 429, 500 and 503 to every authenticated route; 400, 413, 415 and 422 to one with a body; 400
   * and 404 to one with path parameters; 422 to one with a query).
   */
  readonly errors?: readonly number[];
  /** The body may also come as an HTML form (`application/x-www-form-urlencoded`). */
  readonly formBody?: boolean;
}

const followUpTokenPath = z.object({
  token: z
    .string()
    .describe("the signed token of the follow-up's email link: case, follow-up and an HMAC binding them"),
});
export const followUpPreselect = z.object({
  rating: z.enum(['1', '2', '3', '4', '5']).optional().describe('the rating the link preselects'),
  handled: z.enum(['yes', 'no']).optional().describe('`no`: the "not handled" link'),
});
/** The page's form: the same answer, as a form sends it (`handled` yes/no, rating as text, empty comment). */
export const followUpLinkBody = z
  .object({
    handled: z.union([z.boolean(), z.enum(['yes', 'no'])]),
    rating: z.union([z.number(), z.string()]).optional(),
    comment: z.string().optional(),
  })
  .describe(
    '`handled`, `rating` and `comment` as in `POST /cases/{caseId}/follow-up`; a form may send yes/no',
  );
const followUpAnswer = z.object({
  caseId: z.string(),
  followUpId: z.string(),
  handled: z.boolean(),
  rating: z.number().int().min(1).max(5).nullable(),
  template: z.string().describe('`id@version` of the last email before the resolution the answer is about'),
  reopened: z.boolean(),
  note: z.string().optional(),
  status: z.string(),
  links: links('self'),
});

/** The operation a route is: its own name where one function serves several routes, else its function's id. */
type OperationOf<R> = R extends { readonly operation: infer O extends string }
  ? O
  : R extends { readonly functionId: infer F extends string }
    ? F
    : never;
export type RouteOperationId = OperationOf<(typeof ROUTES)[number]>;

export const CONTRACTS = {
  ListFamilies: {
    summary: 'Every family with its intake JSON Schema, for portal forms',
    audience: 'any',
    answers: {
      200: {
        description: 'the family catalogue',
        schema: z.object({
          families: z.array(
            z.object({
              id: z.string(),
              name: z.string(),
              description: z.string(),
              reasons: z.array(z.object({ id: z.string(), label: z.string() })),
              appealDays: z.number(),
              reopenDays: z.number(),
              intakeSchema: z
                .looseObject({})
                .describe('JSON Schema of the intake, generated from its zod schema'),
            }),
          ),
        }),
      },
    },
  },
  CreateCase: {
    summary: 'Open a case',
    audience: 'seller',
    body: createCaseBody,
    headers: {
      'Idempotency-Key': {
        schema: z.string().regex(IDEMPOTENCY_KEY),
        required: true,
        description:
          '8 to 128 visible ASCII characters, scoped to the seller. A key opens one case: the same key and body answer that case (`Idempotent-Replayed: true`), whenever they are sent again; the same key with another body is 422 `idempotency_key_reused`; a key whose first request is still being applied is 409 (retry). Missing or malformed is 400.',
      },
    },
    answers: {
      202: {
        description:
          'the case was opened (or, for a repeated Idempotency-Key and body, this is the earlier one)',
        schema: z.object({
          caseId: z.string(),
          family: z.string(),
          status: z.string(),
          links: links('self'),
        }),
        headers: {
          Location: 'the case: `/cases/{caseId}`',
          'Idempotent-Replayed': '`true` when this answers an earlier request with the same key',
        },
      },
    },
    errors: [409],
  },
  GetCase: {
    summary: 'A case as its seller sees it',
    audience: 'any',
    who: "a seller (their own cases; another seller's case is 404) or ops",
    path: caseIdPath,
    answers: { 200: { description: 'the seller view', schema: sellerCase } },
  },
  CreateUpload: {
    summary: 'A presigned URL to PUT one evidence file to',
    audience: 'seller',
    path: caseIdPath,
    body: uploadBody,
    answers: {
      201: {
        description: 'name the `uploadId` in `POST /cases/{caseId}/evidence` once the file is PUT',
        schema: z.object({
          uploadId: z.string(),
          url: z.string(),
          method: z.literal('PUT'),
          headers: z.record(z.string(), z.string()),
          expiresAt: iso,
        }),
      },
    },
  },
  AddEvidence: {
    summary: 'Provide evidence on the portal',
    audience: 'seller',
    path: caseIdPath,
    body: evidenceBody,
    answers: {
      202: {
        description:
          'recorded; answers a waiting evidence request exactly once, else appended as additional evidence',
        schema: z.looseObject({ caseId: z.string() }),
      },
    },
    errors: [409],
  },
  AppealCase: {
    summary: "Appeal a case's decision within the family's appeal window (once)",
    audience: 'seller',
    path: caseIdPath,
    body: appealBody,
    answers: {
      202: {
        description: 'the case re-enters its workflow; another reviewer decides',
        schema: z.object({ caseId: z.string(), status: z.literal('appealed'), links: links('self') }),
      },
    },
    errors: [409],
  },
  ReopenCase: {
    summary: "Reopen a resolved case within the family's reopen window",
    audience: 'seller',
    path: caseIdPath,
    body: reopenBody,
    answers: {
      202: {
        description: 'the case goes back to its owning team',
        schema: z.object({
          caseId: z.string(),
          status: z.literal('reopened'),
          reopenCount: z.number().int(),
          links: links('self'),
        }),
      },
    },
    errors: [409],
  },
  RespondToMediation: {
    summary: 'Accept or decline the settlement offered in mediation',
    audience: 'seller',
    path: caseIdPath,
    body: mediationBody,
    answers: {
      202: {
        description: 'accepting resolves the case as settled; declining sends it to the deciding team',
        schema: z.object({ caseId: z.string(), accepted: z.boolean() }),
      },
    },
    errors: [409],
  },
  AnswerFollowUp: {
    summary: 'Answer the follow-up after resolution: handled or not, a 1–5 rating and a comment',
    audience: 'seller',
    path: caseIdPath,
    body: followUpBody,
    answers: {
      200: {
        description:
          'the answer is recorded (`reopened: false`; `note` says why "not handled" did not reopen)',
        schema: followUpAnswer,
      },
      202: {
        description: '"not handled" within the reopen window: recorded, and the case goes back to its team',
        schema: followUpAnswer,
      },
    },
    errors: [409],
  },
  ShowFollowUp: {
    summary:
      "The follow-up page an email's link opens: the question, the answer preselected; changes nothing",
    audience: 'public',
    path: followUpTokenPath,
    query: followUpPreselect,
    answers: {
      200: {
        description:
          'an HTML page: the form (handled, rating 1–5, comment) that posts to the same address, or, once answered, what was recorded',
        mediaType: 'text/html',
      },
    },
  },
  AnswerFollowUpLink: {
    summary: "Answer the follow-up through its email's signed link (the page's form, or JSON)",
    audience: 'public',
    path: followUpTokenPath,
    body: followUpLinkBody,
    formBody: true,
    answers: {
      200: {
        description:
          'recorded (`reopened: false`); an HTML page for a form post, the same JSON as `POST /cases/{caseId}/follow-up` for JSON',
        schema: followUpAnswer,
      },
      202: {
        description: '"not handled" within the reopen window: recorded and reopened',
        schema: followUpAnswer,
      },
    },
    errors: [409],
  },
  GetSlaBoard: {
    summary: 'At-risk and breached cases by team, soonest due first',
    audience: 'ops',
    who: 'ops (a team member sees their team)',
    answers: {
      200: {
        description: 'the SLA board',
        schema: z.object({
          at: iso,
          teams: z.array(
            z.object({
              team: z.string(),
              breached: z.number().int(),
              atRisk: z.number().int(),
              more: z.boolean().describe('more cases are past their warning than listed'),
              cases: z.array(
                z.looseObject({
                  caseId: z.string(),
                  risk: z.enum(['breached', 'at_risk']),
                  dueAt: iso,
                  usedHours: z.number(),
                  leftHours: z.number(),
                }),
              ),
            }),
          ),
        }),
      },
    },
  },
  GetMetrics: {
    summary: 'The support scoreboard, overall and by segment',
    audience: 'ops',
    query: metricsQuery,
    answers: {
      200: {
        description: 'the scoreboard (`countedFrom` says from when, with `since`)',
        schema: z.looseObject({
          since: iso.optional(),
          countedFrom: iso.optional(),
          all: scoreboardLine,
          segments: z
            .record(z.string(), z.array(scoreboardLine))
            .describe(
              'by family, sellerTier, channel, region, team, assignee and template (the `id@version` of the last email before resolution)',
            ),
        }),
      },
    },
  },
  ListFaqGroups: {
    summary: "A family and reason's recurring seller statements, grouped by similarity, largest first",
    audience: 'ops',
    query: faqQuery,
    answers: {
      200: {
        description:
          'groups of two statements or more (by size tier; exact size within a page), or only the FAQ candidates',
        schema: z.object({
          family: z.string(),
          reason: z.string().describe("the reason listed: the one asked for, or the family's first"),
          reasons: z
            .array(z.object({ id: z.string(), label: z.string() }))
            .describe("the family's reasons, in policy order: what a console or script may ask for next"),
          candidates: z.boolean(),
          groups: z.array(faqGroup),
          nextCursor: z.string().nullable(),
        }),
      },
    },
  },
  MarkFaqGroup: {
    summary: 'Mark a group of seller statements as an FAQ candidate, or clear the mark',
    audience: 'ops',
    path: groupIdPath,
    body: faqMarkBody,
    answers: {
      200: {
        description: 'the group as it is now (marking it again keeps the first mark)',
        schema: faqGroup,
      },
    },
  },
  GetWeeklyReview: {
    summary: 'The weekly review: where the time went, escalations, reopens, bounces, breaches, templates',
    audience: 'ops',
    query: weeklyReviewQuery,
    answers: {
      200: {
        description:
          "an ISO week's review, read off the rows kept per week (each figure with example case ids); a week " +
          'that has not begun, or that its year lacks, is 422 naming `week`',
        schema: weeklyReviewAnswer,
      },
    },
  },
  ListOpsCases: {
    summary: "The ops console's case list, one page at a time",
    audience: 'ops',
    query: caseListQuery,
    answers: {
      200: {
        description: 'one page, with the values each filter accepts',
        schema: z.object({
          cases: z.array(
            z.looseObject({
              caseId: z.string(),
              family: z.string(),
              status: z.string(),
              team: z.string().nullable(),
              createdAt: iso,
              sla: z.object({
                risk: z.string(),
                dueAt: iso.nullable(),
                leftHours: z.number().nullable(),
              }),
            }),
          ),
          nextCursor: z.string().nullable(),
          partial: z.boolean().describe('the read budget ran out before the page filled'),
          order: z.enum(['newest', 'most-urgent']),
          view: z.string().describe('the index the page read by key'),
          filters: z.record(z.string(), z.array(z.string())),
        }),
      },
    },
  },
  ListReplayCases: {
    summary: "Past cases' stored intakes and what the policy chose, for `sellerworks replay`",
    audience: 'ops',
    query: replayCasesQuery,
    answers: {
      200: {
        description:
          'one page, newest first (supervisors only): each case with its intake, triage facts and what ' +
          'happened (team, rule, priority level, SLA targets in hours, message templates)',
        schema: z.object({
          cases: z.array(
            z.looseObject({
              caseId: z.string(),
              family: z.string(),
              createdAt: iso,
              sellerTier: z.string(),
              region: z.string(),
              intake: z.looseObject({}),
              triage: z.looseObject({}).optional(),
              happened: z.looseObject({
                team: z.string().optional(),
                ruleId: z.string().optional(),
                priority: z.number().optional(),
                sla: z.object({ firstResponseHours: z.number(), resolutionHours: z.number() }).optional(),
                templates: z.array(z.string()),
              }),
            }),
          ),
          nextCursor: z.string().nullable(),
          partial: z.boolean().describe('the read budget ran out before the page filled'),
        }),
      },
    },
  },
  GetCaseExecution: {
    summary: "A case's workflow runs and one run's definition and history",
    audience: 'ops',
    path: caseIdPath,
    query: executionQuery,
    answers: {
      200: {
        description: 'what the console draws',
        schema: z.looseObject({
          caseId: z.string(),
          executions: z.array(z.looseObject({ name: z.string(), executionArn: z.string() })),
          execution: z.looseObject({ name: z.string(), executionArn: z.string() }),
          stateMachine: z.looseObject({}),
          definition: z.string().describe('the state machine definition (ASL)'),
          events: z.array(z.looseObject({})).describe('the run’s event history, without state input/output'),
        }),
      },
    },
  },
  GetOpsCase: {
    summary: 'The ops view of a case',
    audience: 'ops',
    path: caseIdPath,
    answers: { 200: { description: 'the ops view', schema: opsCase } },
  },
  GetReviewQueue: {
    summary: 'The quality-review queue: resolved cases waiting for a reviewer, oldest first',
    audience: 'ops',
    query: reviewQueueQuery,
    answers: {
      200: {
        description:
          'one page; each entry says why it is queued (`sample` or `appeal-overturned`), the decision under review, who decided it and whether the caller may review it',
        schema: z.object({
          entries: z.array(
            z.looseObject({
              caseId: z.string(),
              family: z.string(),
              reason: z.enum(['sample', 'appeal-overturned']),
              queuedAt: iso,
              outcome: z.string(),
              decidedBy: z.string(),
              decidedAt: iso,
              team: z.string(),
              agent: z.string(),
              template: z.string().describe('id@version of the last email to the seller before the decision'),
              deciders: z.array(z.string()),
              overturnedBy: z
                .object({ outcome: z.string(), decidedBy: z.string(), decidedAt: iso })
                .optional(),
              mayReview: z.boolean().describe('false for the decision’s own deciders'),
            }),
          ),
          nextCursor: z.string().nullable(),
        }),
      },
    },
  },
  SubmitReview: {
    summary: 'Score the decision of a case in the review queue',
    audience: 'ops',
    who: 'anyone in ops but the decision’s deciders (the agent who held the case when it was decided, and whoever recorded the decision)',
    path: caseIdPath,
    body: reviewBody,
    answers: {
      201: {
        description: 'the review, and the segments its scores count in',
        schema: z.looseObject({
          caseId: z.string(),
          reason: z.string(),
          decision: z.object({ outcome: z.string(), decidedBy: z.string(), decidedAt: iso }),
          counted: z.object({
            family: z.string(),
            team: z.string(),
            agent: z.string(),
            template: z.string(),
          }),
          reviewer: z.string(),
          reviewedAt: iso,
          scores: z.record(z.string(), z.number()),
          comments: z.record(z.string(), z.string()).optional(),
        }),
      },
    },
    errors: [409],
  },
  GetReviewScores: {
    summary: 'Quality-review results, overall and by family, team, agent, template version and reason',
    audience: 'ops',
    query: reviewScoresQuery,
    answers: {
      200: {
        description: 'each line: reviews, the mean of each criterion and its 1–5 distribution, overall mean',
        schema: z.object({
          all: reviewLine,
          segments: z.object(
            Object.fromEntries(REVIEW_DIMENSIONS.map((d) => [d, z.array(reviewLine)])) as Record<
              (typeof REVIEW_DIMENSIONS)[number],
              z.ZodArray<typeof reviewLine>
            >,
          ),
        }),
      },
    },
  },
  RecordDecision: {
    summary: "Record the owning team's decision",
    audience: 'ops',
    who: "the case's assignee — or, while it is queued, a member of the owning team — or a supervisor",
    path: caseIdPath,
    body: decisionBody,
    answers: {
      202: {
        description: 'the decision resumes the workflow',
        schema: z.object({
          caseId: z.string(),
          outcome: z.string(),
          status: z.literal('decided'),
          links: links('self'),
        }),
      },
    },
    errors: [409],
  },
  TransferCase: {
    summary: "Pass the case to another of the family's teams",
    audience: 'ops',
    who: 'the owning team, or a supervisor',
    path: caseIdPath,
    body: transferBody,
    answers: {
      200: {
        description: "the case joins the receiving team's queue",
        schema: z.object({ caseId: z.string(), team: z.string(), transferCount: z.number().int() }),
      },
    },
    errors: [409],
  },
  AssignCase: {
    summary: "Give a case waiting for its team to one of the team's agents",
    audience: 'ops',
    who: 'a supervisor (an ops token without a team)',
    path: caseIdPath,
    body: assignBody,
    answers: {
      200: {
        description: 'the case is assigned',
        schema: z.object({ caseId: z.string(), assignee: z.looseObject({ agentId: z.string() }) }),
      },
    },
    errors: [409],
  },
  AddCaseNote: {
    summary: "An internal note on the case's ops timeline",
    audience: 'ops',
    path: caseIdPath,
    body: caseNoteBody,
    answers: {
      201: {
        description: 'the note',
        schema: z.object({
          caseId: z.string(),
          noteId: z.string(),
          at: iso,
          author: z.string(),
          text: z.string(),
          links: links('case'),
        }),
      },
    },
    errors: [409],
  },
  ReplyToSeller: {
    summary: "Write to the seller from one of the family's approved snippets",
    audience: 'ops',
    who: 'the assignee, a supervisor, or while queued the owning team',
    path: caseIdPath,
    body: replyBody,
    answers: {
      202: {
        description: 'sent (or, for a snippet that asks for evidence, a new evidence wait opened)',
        schema: z.looseObject({
          caseId: z.string(),
          replyId: z.string(),
          sent: z.enum(['now', 'with-evidence-wait']),
          template: z.string().describe('template id@version'),
          links: links('case'),
        }),
      },
    },
    errors: [409],
  },
  TakeNextCase: {
    summary: "Take the highest-priority case of the team's queue the agent's skills cover",
    audience: 'ops',
    who: 'an agent (an ops token whose subject is an agent of its team)',
    answers: {
      200: {
        description: 'the case taken',
        schema: z.object({
          caseId: z.string(),
          assignee: z.looseObject({ agentId: z.string() }),
          priority: z.looseObject({ level: z.string() }).optional(),
          links: links('self'),
        }),
      },
      204: { description: 'the queue holds nothing for this agent' },
    },
    errors: [409],
  },
  ListAgents: {
    summary: "Each team's agents with their load and figures",
    audience: 'ops',
    who: 'ops (a team member sees their team)',
    query: agentsQuery,
    answers: {
      200: {
        description: 'the agents',
        schema: z.object({
          agents: z.array(
            agent.extend({
              metrics: z.looseObject({}).optional().describe('handled, medianHandleHours, reassignedAway'),
            }),
          ),
        }),
      },
    },
  },
  PutAgent: {
    summary: 'Create or change an agent',
    audience: 'ops',
    who: 'a supervisor (an ops token without a team)',
    path: agentIdPath,
    body: agentSpecSchema,
    answers: { 200: { description: 'the agent with their current load', schema: agent } },
    errors: [409],
  },
  SetAgentStatus: {
    summary: "Set an agent's status (available or away)",
    audience: 'ops',
    who: 'the agent themself, or a supervisor',
    path: agentIdPath,
    body: agentStatusSchema,
    answers: { 200: { description: 'the agent with their current load', schema: agent } },
    errors: [409],
  },
} as const satisfies Record<RouteOperationId, RouteContract>;
