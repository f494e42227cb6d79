// A member's library, as pages, API, MCP and CLI use it: saving, collections (with who may see
// them), private notes (Markdown with math, rendered within the comments' bounds before anything is
// stored), exports as citation files and imports from a BibTeX file or a list of arXiv ids.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log.js';
import { CommentBoundError, renderComment } from '../markdown/render.js';
import { type ExportFormat, exportPapers } from '../papers/citations.js';
import { type BadLine, readReadingList } from '../papers/reading-list.js';
import type { Paper } from '../papers/types.js';
import { addToCollection, type Collection, collectionPaperIds, MAX_COLLECTION_PAPERS, VISIBILITIES } from '../store/collections.js';
import { savedPage, setNote } from '../store/library.js';
import { getPapers, upsertRecords } from '../store/papers.js';
import type { User } from '../store/users.js';
import type { ArxivLookup } from './submit.js';

/** A note is as long as a comment may be, and its math as bounded (markdown/render.ts). */
export const NOTE_MAX = 10_000;
export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 2_000;

const fields = {
  title: z.string({ message: 'title: give a title' }).trim().min(1, 'title: give a title').max(TITLE_MAX, `title: at most ${TITLE_MAX} characters`),
  description: z.string().trim().max(DESCRIPTION_MAX, `description: at most ${DESCRIPTION_MAX} characters`),
  visibility: z.enum(VISIBILITIES as [string, ...string[]], { message: 'visibility: private, unlisted or public' }),
};
export const CollectionInput = z.object({ ...fields, description: fields.description.default(''), visibility: fields.visibility.default('private') });
/** A change of some fields (no defaults: what is left out stays as it is). */
export const CollectionPatch = z.object(fields).partial();
export type CollectionInput = { title: string; description: string; visibility: Collection['visibility'] };

/** The checked fields of a collection form or API body, or the message naming what is wrong. */
export function checkCollection(raw: unknown): { ok: true; value: CollectionInput } | { ok: false; error: string } {
  const r = CollectionInput.safeParse(raw);
  if (!r.success) return { ok: false, error: r.error.issues.map((i) => i.message).join('; ') };
  return { ok: true, value: r.data as CollectionInput };
}

/**
 * Who may see a collection: its owner always; anyone with its URL when unlisted or public. A
 * private collection is answered as missing to everyone else (404, not 403), so its existence
 * does not leak.
 */
export const canView = (c: Collection, user: User | null) => c.visibility !== 'private' || (user !== null && user.id === c.userId);

export type NoteOutcome = { ok: true } | { ok: false; status: 400 | 404; message: string };

/** Writes the member's note (empty: deletes it), rendered and bounded before it is stored. */
export async function writeNote(db: Kysely<Database>, user: User, paperId: string, body: string): Promise<NoteOutcome> {
  const text = body.trim();
  if (text.length > NOTE_MAX) return { ok: false, status: 400, message: `A note has at most ${NOTE_MAX} characters.` };
  let html = '';
  if (text) {
    try {
      html = renderComment(text);
    } catch (e) {
      if (e instanceof CommentBoundError) return { ok: false, status: 400, message: e.message };
      throw e;
    }
  }
  if (!(await setNote(db, user.id, paperId, text, html))) return { ok: false, status: 404, message: `There is no paper ${paperId}.` };
  return { ok: true };
}

/** Papers by id in the order given (stored ones only), read in slices the databases take. */
async function papersInOrder(db: Kysely<Database>, ids: string[]): Promise<Paper[]> {
  const byId = new Map<string, Paper>();
  for (let i = 0; i < ids.length; i += 500) for (const p of await getPapers(db, ids.slice(i, i + 500))) byId.set(p.id, p);
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Most papers of a library export: a large library in one file, bounded like a collection. */
export const LIBRARY_EXPORT_MAX = 10_000;

/** The member's library, or one collection, as a citation file, with its file name. */
export async function exportFile(
  db: Kysely<Database>,
  what: { library: User } | { collection: Collection },
  format: ExportFormat,
): Promise<{ text: string; name: string }> {
  const ids =
    'library' in what
      ? (await savedPage(db, what.library.id, { offset: 0, limit: LIBRARY_EXPORT_MAX })).ids.map((r) => r.id)
      : await collectionPaperIds(db, what.collection.id, { offset: 0, limit: MAX_COLLECTION_PAPERS });
  const stem =
    'library' in what
      ? `library-${what.library.username}`
      : what.collection.title
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '')
          .slice(0, 60) || 'collection';
  const extension = format === 'bibtex' ? 'bib' : format === 'ris' ? 'ris' : 'json';
  return { text: exportPapers(await papersInOrder(db, ids), format), name: `${stem}.${extension}` };
}

export interface ImportDeps {
  db: Kysely<Database>;
  arxiv: ArxivLookup;
  log?: Logger | undefined;
}

export interface ImportReport {
  format: 'bibtex' | 'ids';
  added: string[];
  already: string[];
  /** Lines not imported, each with its number and why; the rest were kept. */
  bad: BadLine[];
}

/** Most bytes of an import: 1 MB is a BibTeX library of two to three thousand entries. */
export const IMPORT_MAX_BYTES = 1_000_000;

/**
 * Imports a BibTeX file or a list of arXiv ids into the member's collection. Papers not stored
 * here are fetched through the arXiv API client (as submissions are); an id arXiv does not know, or
 * a fetch that fails, becomes a bad line, and the good ones are kept.
 */
export async function importIntoCollection(d: ImportDeps, user: User, collectionId: string, text: string): Promise<ImportReport | null> {
  const list = readReadingList(text);
  const bad = [...list.bad];
  const ids = list.ids.map((f) => f.id);
  const stored = new Set((await getPapers(d.db, ids)).map((p) => p.id));
  const missing = list.ids.filter((f) => !stored.has(f.id));
  for (let i = 0; i < missing.length; i += 100) {
    const batch = missing.slice(i, i + 100);
    try {
      const found = await d.arxiv(batch.map((f) => f.id));
      if (found.length)
        await upsertRecords(
          d.db,
          found.map((paper) => ({ paper, source: 'api' })),
        );
      const got = new Set(found.map((p) => p.id));
      for (const f of batch) if (!got.has(f.id)) bad.push({ line: f.line, message: `arXiv has no paper ${f.id}` });
    } catch (e) {
      d.log?.warn({ err: e }, 'import: arXiv lookup failed');
      for (const f of batch) bad.push({ line: f.line, message: `arXiv did not answer for ${f.id}; try again later` });
    }
  }
  const outcome = await addToCollection(d.db, user.id, collectionId, ids);
  if (ids.length && Object.values(outcome).every((o) => o === 'no-collection')) return null;
  const lineOf = new Map(list.ids.map((f) => [f.id, f.line]));
  const report: ImportReport = { format: list.format, added: [], already: [], bad };
  for (const [id, o] of Object.entries(outcome)) {
    if (o === 'added') report.added.push(id);
    else if (o === 'already') report.already.push(id);
    else if (o === 'full') bad.push({ line: lineOf.get(id) ?? 0, message: `the collection is full (${MAX_COLLECTION_PAPERS} papers)` });
  }
  bad.sort((a, b) => a.line - b.line);
  return report;
}
