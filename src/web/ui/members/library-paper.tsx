// What a member sees of their own library on a paper's page: their private note (shown to them
// alone: the paper page is rendered for each member, never from the shared cache) and their
// collections, each with "add" or "remove" for this paper.
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { NOTE_MAX } from '../../../members/library.js';
import { collectionsHolding, listCollections } from '../../../store/collections.js';
import { getNote } from '../../../store/library.js';
import type { User } from '../../../store/users.js';
import { CsrfField } from '../components/account.js';

export async function libraryBox(db: Kysely<Database>, user: User, paperId: string) {
  const [note, collections, holding] = await Promise.all([
    getNote(db, user.id, paperId),
    listCollections(db, user.id),
    collectionsHolding(db, user.id, paperId),
  ]);
  const back = `/papers/${paperId}`;
  // The page loads KaTeX's stylesheet when the note has a formula.
  const math = note?.html.includes('class="katex') ?? false;
  const box = (
    <div class="box library-box" id="library">
      <h2>Your note</h2>
      {note ? <div class="note comment-body" dangerouslySetInnerHTML={{ __html: note.html }} /> : null}
      <form method="post" action={`/papers/${paperId}/note`} class="stack">
        <CsrfField />
        <label for="note-body">{note ? 'Edit your private note' : 'A private note (Markdown, $math$), seen by you alone'}</label>
        <textarea id="note-body" name="body" maxlength={NOTE_MAX}>
          {note?.body ?? ''}
        </textarea>
        <button class="btn" type="submit">
          {note ? 'Save note' : 'Add note'}
        </button>
      </form>
      <h2>Your collections</h2>
      {collections.length ? (
        <ul class="collections-of-paper">
          {collections.map((col) => {
            const inIt = holding.has(col.id);
            return (
              <li>
                <form method="post" action={`/collections/${col.id}/papers${inIt ? '/remove' : ''}`} class="inline">
                  <CsrfField />
                  <input type="hidden" name="paper" value={paperId} />
                  <input type="hidden" name="next" value={back} />
                  <button class="linklike" type="submit" aria-label={`${inIt ? 'Remove from' : 'Add to'} ${col.title}`}>
                    {inIt ? '✓ remove from' : '+ add to'}
                  </button>
                </form>{' '}
                <a href={`/collections/${col.id}`}>{col.title}</a>
              </li>
            );
          })}
        </ul>
      ) : (
        <p class="slot">
          No collections yet: make one in <a href="/library">your library</a>.
        </p>
      )}
    </div>
  );
  return { box, math };
}
