/**
 * A fixed corpus of seller statements, as sellers write them (typos, case, punctuation and all), across
 * two families. Each entry names the concern it is about: statements of one concern must group together,
 * statements of different concerns apart.
 */
export interface CorpusStatement {
  readonly family: 'payout-hold' | 'buyer-dispute';
  readonly reason: string;
  readonly concern: string;
  readonly text: string;
}

const payout = (reason: string, concern: string, texts: string[]): CorpusStatement[] =>
  texts.map((text) => ({ family: 'payout-hold', reason, concern, text }));
const dispute = (reason: string, concern: string, texts: string[]): CorpusStatement[] =>
  texts.map((text) => ({ family: 'buyer-dispute', reason, concern, text }));

export const CORPUS: readonly CorpusStatement[] = [
  ...payout('risk_review', 'when-released', [
    'When will my payout be released? It has been on hold for 10 days.',
    'My payout has been on hold for ten days, when will it be released?',
    'WHEN WILL MY PAYOUT BE RELEASED??? its been on hold 10 days!!!',
    'when will my payot be relesed, on hold for days now',
    'Hi team, could you tell me when my payout will be released? It is still on hold. Thanks',
  ]),
  ...payout('risk_review', 'why-held', [
    'Why was my payout put on hold? I have not been told the reason for the review.',
    'Nobody told me the reason for the review - why is my payout held?',
    'why was my payout held, what is the reason for this review',
  ]),
  ...payout('verification_required', 'document-uploaded', [
    'I already uploaded the bank statement but the payout is still on hold.',
    'I uploaded my bank statement twice, why is the payout still held?',
    'Bank statement was uploaded yesterday and the payout is still on hold',
    'i alredy uploaded the bank statment, payout still on hold',
  ]),
  ...payout('verification_required', 'which-documents', [
    'Which documents do you need to verify my business? The request does not say.',
    'What documents are needed to verify the business? Please list them.',
    'Please tell me which documents you need to verify my business.',
  ]),
  ...payout('verification_required', 'address-changed', [
    'We moved the business to a new registered address in October; the new registration certificate is ready to upload.',
    'Our registered business address changed in October, we have the new registration certificate ready.',
  ]),
  ...dispute('item_defective', 'cracked-lid', [
    'The kettle arrived with a cracked lid and leaks when filled.',
    'Buyer says the kettle lid was cracked on arrival and it leaks when filled with water.',
    'the kettle arrived with a crackd lid, leaks when filled',
    'Kettle arrived: lid cracked, leaks when filled!',
  ]),
  ...dispute('item_defective', 'wont-power-on', [
    'The blender does not turn on at all, the buyer tried two different outlets.',
    'Buyer reports the blender will not power on, tried two outlets.',
    'blender wont turn on, buyer tried different outlets',
  ]),
  ...dispute('not_received', 'tracking-delivered', [
    'Tracking shows the parcel was delivered but the buyer says it never arrived.',
    'The buyer claims the package never arrived even though tracking says delivered.',
    'tracking says DELIVERED, buyer says parcel never arrived',
    'Trackng shows delivered but buyer says the parcel never arived.',
  ]),
  ...dispute('not_received', 'wrong-address', [
    'The buyer gave us the wrong shipping address and the parcel went back to the sender.',
    'Parcel returned to sender because the buyer entered a wrong shipping address.',
  ]),
];
