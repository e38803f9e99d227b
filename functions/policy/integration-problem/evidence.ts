import type { EvidenceItemSpec } from '../family-policy.ts';
import { IMAGE, replyEvidence } from '../standard-policy.ts';

const ALL_REASONS = ['api_error', 'feed_rejected', 'webhook_failure', 'auth_failure'];

/** What engineering needs to reproduce a problem, by reason; all of it comes from the seller. */
export const integrationProblemEvidence: readonly EvidenceItemSpec[] = [
  {
    kind: 'reproduction_steps',
    label: 'Steps to reproduce the problem',
    provider: 'seller',
    requiredFor: ALL_REASONS,
  },
  {
    kind: 'request_response_log',
    label:
      'The request and response of a failing call, pasted into your reply or attached as a file, with API keys, tokens and passwords removed',
    provider: 'seller',
    requiredFor: ['api_error', 'webhook_failure'],
  },
  {
    kind: 'rejected_feed_file',
    label: 'The feed file that was rejected, exactly as you uploaded it',
    provider: 'seller',
    requiredFor: ['feed_rejected'],
  },
  {
    kind: 'screenshots',
    label: 'Screenshots of the error (optional)',
    provider: 'seller',
    requiredFor: [],
  },
];

/** The intake refuses a problem without reproduction steps, so they always arrive with it. */
export const integrationProblemEvidenceAtIntake = (): string[] => ['reproduction_steps'];

/** Log and trace files: plain text, JSON and HAR exports. */
const LOG_FILE = /^(text\/plain|text\/x-log|application\/json|application\/har\+json)$/;
/** Feed files as sellers upload them. */
const FEED_FILE =
  /^(text\/(csv|tab-separated-values|xml|plain)|application\/(xml|json|zip|gzip|vnd\.ms-excel|vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet))$/;
/** A pasted HTTP exchange: a request line or a status line. */
const HTTP_TRACE = /\b(GET|POST|PUT|PATCH|DELETE) (\/|https?:\/\/)\S*|\bHTTP\/\d(\.\d)? \d{3}\b/;

/**
 * Which evidence kinds a seller's reply provides. Log and feed files overlap (JSON, plain text); a kind
 * only matters for the reasons that require it.
 */
export const evidenceFromReply = replyEvidence([
  { kind: 'request_response_log', party: 'seller', attachment: LOG_FILE },
  { kind: 'request_response_log', party: 'seller', textMatches: HTTP_TRACE },
  { kind: 'rejected_feed_file', party: 'seller', attachment: FEED_FILE },
  { kind: 'screenshots', party: 'seller', attachment: IMAGE },
]);
