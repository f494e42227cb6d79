// The PostgreSQL text-search queries of a parsed query (lexical-postgres.ts): the words, phrases
// and exclusions as websearch_to_tsquery input, author: names and the filter lexemes of migration
// 0010 (cat:, has:code, featured:) as tsquery text.
import { type RawBuilder, sql } from 'kysely';
import { type ParsedQuery, wordsOf } from './query.js';

const quote = (words: string[]) => (words.length > 1 ? `"${words.join(' ')}"` : words[0]!);

/** The websearch_to_tsquery input: words, "phrases" and -exclusions, already reduced to words. */
export function websearchText(q: ParsedQuery): string {
  return [...q.words, ...q.phrases.map(quote), ...q.excluded.map((e) => `-${quote(e)}`)].join(' ');
}

/**
 * author: names as a tsquery on the authors' part of the tsvector (weight B, 'simple'
 * configuration), so that the text index finds them; a name of several words is also checked by
 * the ILIKE of filters.ts (a phrase in the tsvector may span two names).
 */
export function authorTsquery(q: ParsedQuery): RawBuilder<unknown> | null {
  const names = q.authors.map(wordsOf).filter((w) => w.length > 0);
  if (names.length === 0) return null;
  const text = names.map((w) => `(${w.map((x) => `${x}:B`).join(' <-> ')})`).join(' & ');
  return sql`to_tsquery('simple', ${text})`;
}

/** A lexeme of migration 0010 as tsquery text: quoted, backslash and quote escaped. */
export const lexeme = (s: string) => `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;

/**
 * cat:, has:code and featured: as tsquery text over the tag lexemes of migration 0010, or null
 * when the query has none of them.
 */
export function tagQueryText(q: ParsedQuery): string | null {
  const parts: string[] = [];
  if (q.categories.length) parts.push(`(${q.categories.map((c) => lexeme(`cat ${c.toLowerCase()}`)).join(' | ')})`);
  if (q.hasCode) parts.push(lexeme('has code'));
  if (q.featured === true) parts.push(lexeme('is featured'));
  if (q.featured === false) parts.push(`!${lexeme('is featured')}`);
  return parts.length ? parts.join(' & ') : null;
}

export function excludedTsquery(q: ParsedQuery): RawBuilder<unknown> {
  return sql`websearch_to_tsquery('english', ${q.excluded.map(quote).join(' or ')})`;
}
