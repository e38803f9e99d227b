import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { sfn } from '#commons/clients/sfn.ts';
import { TABLE, type TransactItem } from './case-store.ts';

/**
 * Marks an evidence wait's reply token used, inside the transaction that records the evidence: whichever
 * answer (an email, a portal upload) commits first resumes the wait; any later one is refused.
 */
export const consumeReplyToken = (tokenId: string, usedBy: string, at: string): TransactItem => ({
  Update: {
    TableName: TABLE.name,
    Key: { pk: `TOKEN#${tokenId}`, sk: 'TOKEN' },
    UpdateExpression: 'SET #status = :used, usedAt = :now, usedBy = :by',
    ConditionExpression: '#status = :open',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':used': 'used', ':open': 'open', ':now': at, ':by': usedBy },
  },
});

/**
 * Resumes a waiting step; `false` when the wait had already ended (it hit its cap a moment before, or a
 * redelivered answer already resumed it) — not an error, but the caller may need to say so.
 */
export const resumeWait = async (taskToken: string, output: unknown): Promise<boolean> => {
  try {
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    return true;
  } catch (error) {
    const name = (error as Error).name;
    if (name !== 'TaskTimedOut' && name !== 'InvalidToken') throw error;
    return false;
  }
};
