// GET /api: the API's documentation as a page, rendered from the same operation list and zod
// schemas as /api/openapi.json, plus what differs from Hugging Face's API and why. A page of its
// own, with its few styles inline: the API surface imports nothing of the pages' (web/ui).
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { OPERATIONS, parameters } from './openapi.js';
import { API_MAX_AGE } from './http.js';
import { READ_POLICY, WRITE_POLICY } from './ratelimit.js';

/** Every place this API differs from Hugging Face's, and why (also in docs/decisions/0011). */
export const DIFFERENCES: Array<[string, string]> = [
  [
    'No _id on authors, users, organizations, and no paper.discussionId',
    'Hugging Face mints database ids for these; we have none, and a made-up id would look real. Comments are addressed by the paper id: /api/papers/ID/comments.',
  ],
  [
    'No avatarUrl, isPro, followerCount, thumbnail, mediaUrls, githubStars, githubRepoAddedBy, ai_summary_model, isAuthorParticipating',
    'Facts about Hugging Face accounts and their media servers, or that we do not track. Left out rather than faked.',
  ],
  [
    'Optional keys are left out, never null',
    'As Hugging Face does for a paper without a repository; a null where a client expects a string breaks typed clients.',
  ],
  ['organization.fullname may repeat the handle', 'When an import carried only the handle, the handle is the best display name we have.'],
  ['submittedBy has name (and paper.submittedOnDailyBy name and user) only', 'Submitters carried over from Hugging Face imports are known by user name only.'],
  ['Extra sort=upvotes and organization= on /api/daily_papers', 'The pages offer both; unknown to Hugging Face clients, who never send them.'],
  [
    'Top-level publishedAt is the time the paper was featured here',
    "Hugging Face's is its own submission time, which an import keeps; for papers featured here it is ours.",
  ],
  [
    'GET /api/papers/ID adds arXiv metadata',
    'version, updatedAt, categories, primaryCategory, comments, journalRef, doi, license, withdrawn, arxivUrl, pdfUrl, numComments: additions only; every Hugging Face field keeps its name and type.',
  ],
  ['GET /api/papers pages by an opaque cursor', 'Keyset paging over (publishedAt, id) stays fast at any depth; follow Link rel="next".'],
  [
    'Rate limits are per instance and per client address',
    `In memory: ${READ_POLICY.quota} reads and ${WRITE_POLICY.quota} writes per ${READ_POLICY.windowSeconds} s. Several instances behind a balancer each count on their own.`,
  ],
  ['Search limit is 1..100 and takes page and sort', 'Hugging Face caps search at 120 results in one answer; here search pages instead.'],
  ['Search items carry highlightedSummary', 'The abstract with the matches in <mark>, HTML-escaped, for result pages: an addition.'],
  ['Authors have name and hidden only', "Hugging Face's author user, status and statusLastChangedAt describe claims by its accounts."],
];

// Readable on a phone and in either colour scheme, without the site's stylesheet.
const STYLE = `body{font:16px/1.55 system-ui,sans-serif;margin:0 auto;max-width:52rem;padding:1rem}
header a{font-weight:700;text-decoration:none}code{font-size:.92em}h2 code{font-size:1em}
table{border-collapse:collapse;display:block;overflow-x:auto}th,td{border:1px solid #8886;padding:.25rem .5rem;text-align:left;vertical-align:top}
dt{font-weight:600;margin-top:.75rem}dd{margin-left:1.25rem}`;

function DocsPage(props: { title: string; description: string; canonical: string; children: Child }) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{props.title}</title>
          <meta name="description" content={props.description} />
          <meta name="color-scheme" content="light dark" />
          <link rel="canonical" href={props.canonical} />
          <style>{raw(STYLE)}</style>
        </head>
        <body>
          <header>
            <a href="/papers">dailypapers</a>
          </header>
          <main>{props.children}</main>
        </body>
      </html>
    </>
  );
}

export function apiDocs(baseUrl: string) {
  return (
    <DocsPage
      title="API - dailypapers"
      description="The dailypapers JSON API: Hugging Face's papers API shapes, OpenAPI 3.1, RSS and Atom feeds."
      canonical={`${baseUrl}/api`}
    >
      <div class="prose">
        <h1>API</h1>
        <p>
          The JSON API answers in the shapes of Hugging Face's papers API, so scripts written for it work against this instance: point them at{' '}
          <code>{baseUrl}</code>. The machine-readable description is <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).
        </p>
        <p>
          Errors are JSON <code>{'{"error": "message"}'}</code>: 400 for a bad parameter (the message names it), 401 without a valid token, 404 for an unknown
          paper, 429 over the rate limit. Every answer carries <code>RateLimit</code> and <code>RateLimit-Policy</code> headers; GETs carry an <code>ETag</code>{' '}
          and <code>Cache-Control: public, max-age={API_MAX_AGE}</code>, and any site may read them (CORS). Write routes take{' '}
          <code>Authorization: Bearer TOKEN</code>, with a token from <a href="/settings">settings</a>.
        </p>
        {OPERATIONS.map((op) => (
          <section>
            <h2 id={op.path}>
              <code>
                {op.method.toUpperCase()} {op.path}
              </code>
            </h2>
            <p>
              {op.summary}. {op.description ?? ''}
            </p>
            {op.query ? (
              <table>
                <thead>
                  <tr>
                    <th scope="col">parameter</th>
                    <th scope="col">type</th>
                    <th scope="col">meaning</th>
                  </tr>
                </thead>
                <tbody>
                  {parameters(op.query).map((p) => {
                    const s = p.schema as Record<string, unknown>;
                    const range = s.minimum !== undefined ? ` ${s.minimum}..${s.maximum}` : '';
                    const values = Array.isArray(s.enum) ? ` (${(s.enum as string[]).join(' | ')})` : '';
                    return (
                      <tr>
                        <td>
                          <code>{String(p.name)}</code>
                        </td>
                        <td>
                          {String(s.type ?? 'string')}
                          {range}
                          {values}
                          {s.default !== undefined ? `, default ${String(s.default)}` : ''}
                        </td>
                        <td>{String(p.description ?? '')}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            ) : null}
            {op.body ? (
              <p>
                Body (JSON):{' '}
                {parameters(op.body)
                  .map((p) => `${String(p.name)}${p.required ? '' : ' (optional)'}`)
                  .join(', ')}
                .
              </p>
            ) : null}
            {op.auth ? (
              <p>
                Needs <code>Authorization: Bearer TOKEN</code> with the write scope (or a session and its <code>X-CSRF-Token</code>).
              </p>
            ) : null}
            <p>
              Answers {op.status ?? 200} with {Array.isArray(op.returns) ? `an array of ${op.returns[0]}` : `one ${op.returns}`}; errors {op.errors.join(', ')}.
            </p>
          </section>
        ))}
        <h2 id="feeds">Feeds</h2>
        <p>
          Append <code>/feed.rss</code> (RSS 2.0) or <code>/feed.atom</code> (Atom) to a listing: <code>/papers/feed.atom</code>,{' '}
          <code>/papers/date/2026-01-05/feed.rss</code>, <code>/papers/week/2026-W02/feed.atom</code>, <code>/papers/month/2026-01/feed.rss</code>,{' '}
          <code>/papers/trending/feed.rss</code>, <code>/search/feed.atom?q=...</code>, <code>/orgs/NAME/feed.rss</code>, <code>/authors/NAME/feed.atom</code>.
        </p>
        <h2 id="differences">Where this API differs from Hugging Face's</h2>
        <dl>
          {DIFFERENCES.map(([what, why]) => (
            <>
              <dt>{what}</dt>
              <dd>{why}</dd>
            </>
          ))}
        </dl>
      </div>
    </DocsPage>
  );
}
