/**
 * The plain text a connector posts: the message, then its link on a line of its own, cut to the
 * platform's limit. Limits count UTF-16 code units, as Telegram's does (and never fewer than
 * Discord's characters), and a cut never splits a surrogate pair; the link is kept whole and
 * the text before it is shortened, ending in an ellipsis.
 */
import type { OutboundMessage } from './types.js';

export const ELLIPSIS = '…';

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = max - ELLIPSIS.length;
  if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut--;
  return text.slice(0, cut) + ELLIPSIS;
}

export function plainText(m: Pick<OutboundMessage, 'text' | 'link'>, max: number): string {
  if (!m.link) return truncate(m.text, max);
  const room = max - m.link.length - 1;
  if (room <= 0) return truncate(m.link, max);
  return `${truncate(m.text, room)}\n${m.link}`;
}
