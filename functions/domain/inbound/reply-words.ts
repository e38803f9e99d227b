import render from 'dom-serializer';
import type { Element } from 'domhandler';
import { findAll, getAttributeValue, removeElement } from 'domutils';
import EmailReplyParser from 'email-reply-parser';
import { convert } from 'html-to-text';
import { parseDocument } from 'htmlparser2';

/**
 * The sender's own words from a reply, whatever client wrote it and in whatever language: quoted history,
 * attribution lines and signatures removed; answers written between quoted lines kept, without the quotes;
 * a forwarded message kept whole (a forward is evidence, not history).
 *
 * Plain text goes through `email-reply-parser` (Crisp's, maintained, which knows the quote headers of many
 * clients and locales); the rules here add what it does not do: forwards, HTML quote containers, and the
 * mobile-client signatures of more languages. An HTML-only reply is cleaned on its HTML first (the quote
 * containers of Gmail, Apple Mail, Thunderbird, Yahoo and Outlook), then turned into text.
 */
export interface ReplyWords {
  readonly words: string;
  /**
   * Nothing was left once history and signature were taken out, and the message carries no attachment:
   * `words` is then the whole visible text, so that what the sender wrote is never lost.
   */
  readonly unparsed: boolean;
}

/** Text past this many characters is not parsed (the raw mail keeps it): bounds the parser's regexes. */
const MAX_PARSED_CHARS = 100_000;

/** A forwarded message starts here, in the languages the clients write it in. */
const FORWARD = [
  /^-{2,}\s*(Forwarded message|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado|Messaggio inoltrato|Doorgestuurd bericht|Videresendt meddelelse|Vidarebefordrat meddelande|Wiadomość przekazana dalej|Mensagem encaminhada|Välitetty viesti|Пересылаемое сообщение|Forwarded Message)\s*-{2,}$/i,
  /^(Begin forwarded message|Anfang der weitergeleiteten Nachricht|Début du message réexpédié|Inicio del mensaje reenviado|Inizio messaggio inoltrato|Begin doorgestuurd bericht):$/i,
  /^-{5,}\s*Original forwarded/i,
];

/** Lines a mail client appends on its own ("Sent from my iPhone"), in the languages it writes them in. */
const CLIENT_SIGNATURE =
  /^(Sent from (my )?(iPhone|iPad|Android|Samsung|mobile|Mail for Windows|Yahoo Mail.*|Outlook.*)|Get Outlook for (iOS|Android)|Von meinem (iPhone|iPad|Android|Samsung.*) gesendet|Gesendet von (meinem )?(iPhone|iPad|Android|Mail für Windows)|Envoyé de (mon )?(iPhone|iPad|Android|Samsung.*|Courrier pour Windows)|Enviado desde (mi )?(iPhone|iPad|Android|Correo para Windows)|Inviato da (iPhone|iPad|Android|Posta per Windows)|Verzonden (vanaf|met) (mijn )?(iPhone|iPad|Android|E-mail voor Windows)|Skickat från (min )?(iPhone|iPad|Android|E-post för Windows)|Sendt fra (min )?(iPhone|iPad|Android|Mail til Windows)|Wysłane z (iPhone'?a|iPada|Androida|telefonu)|Enviado do (meu )?(iPhone|iPad|Android|Email para Windows)|Lähetetty (iPhonesta|iPadista|Androidista|Windowsin Sähköpostista)|Отправлено с (iPhone|iPad|Android)|iPhoneから送信|(Sent from|Gesendet von|Envoyé de|Enviado desde|Enviado do|Inviato da|Verzonden vanaf|Skickat från|Sendt fra|Wysłane z|Lähetetty) (my |mein(em)? |mon |mi |meu |mijn |min |minun )?(Galaxy|Samsung Galaxy .*|smartphone Samsung Galaxy)|Sent with Proton Mail secure email|Sent from my Android device with K-9 Mail\. Please excuse my brevity|(Sent from|Gesendet von|Envoyé de|Enviado desde|Inviato da) (Mail|Courrier|Correo|Posta) (for|für|pour|para|per) Windows( 10)?)\.?$/i;

/** Where quoted history starts on a line of its own: the headers some clients write without `>`. */
const QUOTE_HEADER = [
  // Outlook's separators, and their translations.
  /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Originalnachricht|Message d'origine|Message original|Mensaje original|Messaggio originale|Oorspronkelijk bericht|Oprindelig meddelelse|Ursprungligt meddelande|Wiadomość oryginalna|Oryginalna wiadomość|Mensagem original|Alkuperäinen viesti|Исходное сообщение)\s*-{2,}$/i,
  /^_{10,}$/,
  // Unusual attributions: "---- Dana wrote ----", "2014-10-17 11:28 GMT+03:00 Dana <dana@example.com>:".
  /^-{2,}\s*.{1,120}\s(wrote|schrieb|a écrit|escribió|ha scritto|schreef|skrev|napisał|escreveu|kirjoitti|пишет)\s*-{2,}$/i,
  /^\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}(:\d{2})? (GMT|UTC)?[+-]?\d{0,2}:?\d{0,2}\s.{1,120}:$/,
];

/** Outlook's header block (`From:`, `Sent:`) in the languages its desktop, web and mobile versions use. */
const HEADER_FROM = /^\*?(From|Von|De|Da|Van|Fra|Från|Od|Lähettäjä|От|差出人)\s?:\*?\s/i;
const HEADER_SENT =
  /^\*?(Sent|Date|Gesendet|Datum|Envoyé|Enviado|Fecha|Inviato|Data|Verzonden|Sendt|Skickat|Wysłano|Enviada|Lähetetty|Отправлено|Дата|送信日時)\s?:\*?\s/i;

const normalise = (text: string) =>
  text
    .replace(/\r\n?/g, '\n')
    .replace(/\u00a0/g, ' ')
    .slice(0, MAX_PARSED_CHARS);

const tidy = (text: string) =>
  text
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

/** The line a quote header starts on (a single-line marker, or Outlook's From/Sent pair), if any. */
const quoteHeaderAt = (lines: readonly string[]): number => {
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (QUOTE_HEADER.some((re) => re.test(line))) return i;
    // Outlook: a From line followed (within two lines, for a wrapped address) by Sent/Date; GMX and
    // web.de write Sent first.
    const near = lines.slice(i + 1, i + 3).map((next) => next.trim());
    if (HEADER_FROM.test(line) && near.some((next) => HEADER_SENT.test(next))) return i;
    if (HEADER_SENT.test(line) && near.some((next) => HEADER_FROM.test(next))) return i;
  }
  return -1;
};

/** The forward marker's line, if the message forwards one before any quoted history. */
const forwardAt = (lines: readonly string[]): number => {
  const forward = lines.findIndex((line) => FORWARD.some((re) => re.test(line.trim())));
  if (forward < 0) return -1;
  const quote = lines.findIndex((line) => line.trim().startsWith('>'));
  const header = quoteHeaderAt(lines);
  return (quote < 0 || quote > forward) && (header < 0 || header > forward) ? forward : -1;
};

/** A line the client wrote on its own, links (`<https://…>`) aside. */
const isClientSignature = (line: string) =>
  CLIENT_SIGNATURE.test(
    line
      .replace(/<https?:\/\/[^>\s]*>/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  );

/** Drops the client's own signature lines, and separator lines left at the end of a block. */
const withoutClientSignature = (block: string) => {
  const lines = block.split('\n').filter((line) => !isClientSignature(line));
  while (lines.length > 0 && /^\s*([-_=*]{5,})?\s*$/.test(lines.at(-1) ?? '')) lines.pop();
  return lines.join('\n');
};

/**
 * An attribution ("On … wrote:", in any language, wrapped over up to four lines) at the end of a block
 * that quoted text follows: the last paragraph, if it ends with a colon and names an address or a date.
 */
const withoutAttribution = (block: string) => {
  const paragraphs = block.replace(/\s+$/, '').split(/\n\s*\n/);
  const last = paragraphs.at(-1) ?? '';
  const attribution =
    /[:：]$/.test(last.trim()) &&
    last.split('\n').length <= 4 &&
    /@|\d|Quoting|Zitat von|Citando/i.test(last);
  return attribution ? paragraphs.slice(0, -1).join('\n\n') : block;
};

/** A subject that says the message forwards one (Fwd:, FW:, WG:, TR:, RV:, I:, Doorst:, VB:, VL:, PD:, ENC:; not VS:, a Finnish reply). */
const FORWARD_SUBJECT = /^\s*(Fwd?|FW|WG|TR|RV|I|Doorst|VB|VL|PD|ENC|Пересл)\s*:/i;

/** The sender's words from plain text (`subject` tells a forward whose separator reads like a reply's). */
export const plainReplyWords = (text: string, subject = ''): string => {
  const lines = normalise(text).split('\n');
  const header = quoteHeaderAt(lines);
  // A forward keeps what it forwards: marked as one, or (Outlook, Thunderbird) sent as one under a
  // separator that a reply would use too.
  if (forwardAt(lines) >= 0 || (header >= 0 && FORWARD_SUBJECT.test(subject)))
    return tidy(withoutClientSignature(lines.join('\n')));
  // History that starts with a header the parser does not know: cut there first.
  const own = header >= 0 ? lines.slice(0, header) : lines;
  const fragments = new EmailReplyParser().read(own.join('\n')).getFragments();
  // The parser counts a sign-off ("Kind regards, Dana") as a signature; the case keeps it, as a reader
  // of the reply would. A signature proper (after a `-- ` line) and the client's own lines go, and so
  // does an attribution the parser did not know, left above the quote it introduces.
  const blocks = fragments.flatMap((fragment, i) => {
    if (fragment.isQuoted() || (fragment.isHidden() && !fragment.isSignature())) return [];
    if (fragment.isSignature() && /^--\s*$/.test(fragment.getContent().split('\n')[0] ?? '')) return [];
    const quoteFollows = fragments.slice(i + 1).some((next) => next.isQuoted());
    const content =
      quoteFollows || i === fragments.length - 1
        ? withoutAttribution(fragment.getContent())
        : fragment.getContent();
    const block = tidy(withoutClientSignature(content));
    return block === '' ? [] : [block];
  });
  return blocks.join('\n\n');
};

const hasClass = (element: Element, name: string) =>
  (getAttributeValue(element, 'class') ?? '').split(/\s+/).includes(name);

/** Removes `element` and everything after it in the document order of its ancestors (the rest is history). */
const removeFrom = (element: Element) => {
  let node: Element | null = element;
  while (node?.parent) {
    const parent = node.parent as Element;
    const siblings = parent.children;
    for (const sibling of siblings.slice(siblings.indexOf(node) + 1)) removeElement(sibling);
    if (node === element) removeElement(node);
    node = parent.type === 'tag' ? parent : null;
  }
};

/**
 * The HTML of a reply without its quoted history: quote elements removed (Gmail's `gmail_quote`
 * blockquotes and attribution, Apple Mail's and Thunderbird's `<blockquote type="cite">` and
 * `moz-cite-prefix`, Yahoo's `yahoo_quoted`), and everything from Outlook's and Hotmail's reply header
 * on (`divRplyFwdMsg`, `appendonsend`, the bordered From/Sent block, `<hr id="stopSpelling">`).
 * Answers written between quote elements stay.
 */
const htmlWithoutHistory = (html: string): string => {
  const document = parseDocument(html.slice(0, MAX_PARSED_CHARS * 4));
  const elements = findAll(() => true, document.children);
  const from = elements.find((element) => {
    const id = getAttributeValue(element, 'id') ?? '';
    const style = (getAttributeValue(element, 'style') ?? '').toLowerCase().replace(/\s+/g, '');
    return (
      id === 'divRplyFwdMsg' ||
      id === 'appendonsend' ||
      (element.name === 'hr' && id === 'stopSpelling') ||
      (element.name === 'div' &&
        /border-top:solid#(e1e1e1|b5c4df)/.test(style) &&
        /padding:3\.0pt/.test(style))
    );
  });
  if (from) removeFrom(from);
  for (const element of findAll(() => true, document.children)) {
    if (
      element.name === 'blockquote' ||
      hasClass(element, 'gmail_attr') ||
      hasClass(element, 'moz-cite-prefix') ||
      hasClass(element, 'yahoo_quoted') ||
      hasClass(element, 'gmail_signature')
    )
      removeElement(element);
  }
  return render(document);
};

/** HTML as a reader sees it: paragraphs and breaks as lines, links as their text, images left out. */
export const htmlText = (html: string): string =>
  convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable' },
    ],
  });

/**
 * The sender's words from a parsed message: the text part when there is one, else the HTML cleaned of its
 * quotes. With no words left and no attachment, the whole visible text, marked unparsed.
 */
export const replyWords = (
  message: {
    readonly text?: string | undefined;
    readonly html?: string | undefined;
    readonly subject?: string | undefined;
  },
  hasAttachments: boolean,
): ReplyWords => {
  const text = message.text?.trim() ? message.text : undefined;
  const subject = message.subject ?? '';
  const words = text
    ? plainReplyWords(text, subject)
    : message.html
      ? plainReplyWords(htmlText(htmlWithoutHistory(message.html)), subject)
      : '';
  if (words !== '' || hasAttachments) return { words, unparsed: false };
  const whole = tidy(normalise(text ?? (message.html ? htmlText(message.html) : '')));
  return { words: whole, unparsed: whole !== '' };
};
