// The reason line of a recommendation: what in the member's own history brought the paper up, in
// the order that explains most: a followed author, the saved or upvoted paper nearest in meaning,
// an author of papers they saved, a followed category, the words it shares with what they saved.
import type { Scored } from './model.js';

/** Similarity above which the nearest saved paper is named ("like ..."): below it, it explains nothing. */
export const LIKE_MIN = 0.3;
const TITLE_MAX = 80;

const short = (t: string) => (t.length > TITLE_MAX ? `${t.slice(0, TITLE_MAX - 1).trimEnd()}…` : t);

export function reasonOf(s: Scored, nearest: { title: string; how: 'saved' | 'upvoted'; sim: number } | null): string {
  const parts: string[] = [];
  const { author, authorFollowed, authorCount, category, words } = s.parts;
  if (author && authorFollowed) parts.push(`by ${author}, whom you follow`);
  if (nearest && nearest.sim >= LIKE_MIN) parts.push(`like “${short(nearest.title)}” (${nearest.how})`);
  if (author && !authorFollowed && authorCount > 0) parts.push(`by ${author}, author of ${authorCount === 1 ? 'a paper' : `${authorCount} papers`} you kept`);
  if (category) parts.push(`in ${category}, which you follow`);
  if (words.length) parts.push(`words: ${words.join(', ')}`);
  if (parts.length === 0 && nearest) parts.push(`closest to “${short(nearest.title)}” (${nearest.how})`);
  return parts.slice(0, 3).join(' · ') || 'new';
}
