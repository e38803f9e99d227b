/**
 * What the ops API answers, typed from the modules that build the answers (type-only imports: nothing of
 * the server reaches the bundle), so the console and the API cannot drift apart unnoticed.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { agentsWithFigures } from '../../functions/domain/agents.ts';
import type {
  CaseListRow,
  CaseListPage as ListedCases,
  listFilters,
} from '../../functions/domain/case-list.ts';
import type { opsView } from '../../functions/domain/case-view.ts';
import type { ExecutionSummary } from '../../functions/domain/executions.ts';
import type { FaqGroupView } from '../../functions/domain/faq/faq-groups.ts';
import type { SegmentDimension, SegmentFigures } from '../../functions/domain/metrics.ts';
import type {
  ReviewCriterion,
  ReviewDimension,
  ReviewFigures,
} from '../../functions/domain/review-scores.ts';
import type { QueueLine } from '../../functions/domain/reviews.ts';
import type { slaBoard } from '../../functions/domain/sla-board.ts';

export type {
  CaseListRow,
  ExecutionSummary,
  FaqGroupView,
  QueueLine,
  ReviewCriterion,
  ReviewDimension,
  ReviewFigures,
  SegmentDimension,
  SegmentFigures,
};

export interface CaseListPage extends ListedCases {
  readonly filters: ReturnType<typeof listFilters>;
}

export type OpsCase = ReturnType<typeof opsView>;

export type AgentView = Awaited<ReturnType<typeof agentsWithFigures>>[number];

export interface CaseExecution {
  readonly caseId: string;
  readonly executions: ExecutionSummary[];
  readonly execution: ExecutionSummary;
  readonly stateMachine: { readonly name: string; readonly arn: string };
  readonly definition: unknown;
  readonly events: (Omit<HistoryEvent, 'timestamp'> & { readonly timestamp: string | null })[];
}

export interface Metrics {
  readonly since?: string;
  readonly all: SegmentFigures;
  readonly segments: Record<SegmentDimension, SegmentFigures[]>;
}

export type SlaBoard = Awaited<ReturnType<typeof slaBoard>>;

export interface OutboxEntry {
  readonly channel: 'email' | 'sns' | 'eventbridge';
  readonly to: string;
  readonly from: string;
  readonly subject: string;
  readonly text: string;
  readonly caseId: string | null;
  readonly sentAt: string;
  readonly messageId: string;
}

/** A timer that ran out of attempts (`/dev/timers/failed`, local runtime only). */
export interface FailedTimer {
  readonly schedule: string;
  readonly caseId: string | null;
  readonly timer: string | null;
  readonly dueAt: string;
  readonly attempts: number;
  readonly failedAt: string | null;
  readonly error: { readonly error: string; readonly message: string } | null;
}

/** `GET /ops/faq`: one page of a family and reason's groups of seller statements, and the family's reasons. */
export interface FaqPage {
  readonly family: string;
  readonly reason: string;
  readonly reasons: readonly { readonly id: string; readonly label: string }[];
  readonly candidates: boolean;
  readonly groups: readonly FaqGroupView[];
  readonly nextCursor: string | null;
}

/** `GET /ops/reviews/queue`: one page of the quality-review queue. */
export interface ReviewQueuePage {
  readonly entries: QueueLine[];
  readonly nextCursor: string | null;
}

/** `GET /ops/reviews/scores`. */
export interface ReviewResults {
  readonly all: ReviewFigures;
  readonly segments: Record<ReviewDimension, ReviewFigures[]>;
}
