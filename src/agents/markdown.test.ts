// The pure Markdown renderers: link texts that cannot break their link, and the discussion's
// shape (replies inside their comment; removed comments keep their place only when answered).
import { describe, expect, it } from 'vitest';
import type { Comment } from '../store/comments.js';
import { discussion, linkText } from './markdown.js';

const comment = (id: number, parentId: number | null, body: string, extra: Partial<Comment> = {}): Comment => ({
  id,
  paperId: '2501.01234',
  parentId,
  userId: id,
  username: `user${id}`,
  body,
  html: '',
  createdAt: '2025-01-03T10:00:00.000Z',
  editedAt: null,
  deleted: false,
  hidden: false,
  ...extra,
});

describe('linkText', () => {
  it('escapes what would end or nest a link, and keeps one line', () => {
    expect(linkText('A [survey]\nof \\ methods')).toBe('A \\[survey\\] of \\\\ methods');
    expect(`[${linkText('x] (y')}](u)`).toBe('[x\\] (y](u)');
  });
});

describe('discussion', () => {
  it('quotes each thread, its replies one level deeper, each with its author and day', () => {
    const text = discussion([comment(1, null, 'First\nsecond line'), comment(2, 1, 'A reply'), comment(3, null, 'Another')]);
    expect(text).toBe(
      [
        '> **user1** on 2025-01-03:',
        '>',
        '> First',
        '> second line',
        '>',
        '> > **user2** on 2025-01-03:',
        '> >',
        '> > A reply',
        '',
        '> **user3** on 2025-01-03:',
        '>',
        '> Another',
      ].join('\n'),
    );
  });

  it('keeps a removed comment that was answered, without its text, and drops one nobody answered', () => {
    const text = discussion([comment(1, null, 'secret one', { deleted: true }), comment(2, 1, 'The answer'), comment(3, null, 'secret two', { hidden: true })]);
    expect(text).toContain('> *(deleted)*');
    expect(text).toContain('> > The answer');
    expect(text).not.toContain('secret');
    expect(text).not.toContain('hidden by a moderator');
    expect(discussion([])).toBe('');
  });
});
