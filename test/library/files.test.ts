// The library's files and API on every dialect: exports that real parsers read back (Citation.js's
// BibTeX and RIS plugins, and its CSL-JSON input), with the right Content-Type and file name;
// imports of an id list and of BibTeX whose bad lines are named by number while the good ones are
// kept (an id not stored here fetched from the arXiv stand-in through the API client); the API's
// collections, saves and library with read and write tokens.
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-ris';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionPaperIds } from '../../src/store/collections.js';
import { getPaper } from '../../src/store/papers.js';
import { FEATURED } from '../api/fixtures.js';
import { DIALECTS } from '../harness/db.js';
import type { Client } from '../members/client.js';
import { collectionOf, libraryApp, REMOTE } from './helpers.js';

const ids = [FEATURED[0]!.id, FEATURED[1]!.id, FEATURED[2]!.id];

describe.each(DIALECTS)('library files and API (%s)', (dialect) => {
  let l: Awaited<ReturnType<typeof libraryApp>>;
  let ada: Client;
  let col: string;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  beforeAll(async () => {
    l = await libraryApp(dialect);
    ada = await l.login('ada');
    for (const id of ids) await ada.post(`/papers/${id}/save`);
    col = collectionOf(await ada.post('/library/collections', { title: 'Games: a reading list', visibility: 'unlisted' }));
    for (const id of ids.slice(0, 2)) await ada.post(`/collections/${col}/papers`, { paper: id });
  });
  afterAll(async () => l.close());

  it('exports the library as BibTeX, RIS and CSL-JSON that Citation.js reads back', async () => {
    const get = async (path: string) => {
      const res = await ada.request(path);
      expect(res.status).toBe(200);
      return { res, text: await res.text() };
    };
    const bib = await get('/library/export/bibtex');
    expect(bib.res.headers.get('content-type')).toBe('application/x-bibtex; charset=utf-8');
    expect(bib.res.headers.get('content-disposition')).toBe('attachment; filename="library-ada.bib"');
    const fromBib = new Cite(bib.text).data;
    expect(fromBib).toHaveLength(3);
    // Same first author, year and title word: the keys still differ.
    expect(new Set(fromBib.map((x) => x.id)).size).toBe(3);
    const first = fromBib.find((x) => x.title?.includes('Paper 0'))!;
    expect(first.title).toBe('Paper 0: Gradients & <Games> for "Agents"');
    expect(first.author.map((a: { family: string }) => a.family)).toEqual(['Example', 'Ünicode']);
    expect(first.issued['date-parts'][0][0]).toBe(2025);

    const ris = await get('/library/export/ris');
    expect(ris.res.headers.get('content-type')).toBe('application/x-research-info-systems; charset=utf-8');
    expect(ris.res.headers.get('content-disposition')).toBe('attachment; filename="library-ada.ris"');
    const fromRis = new Cite(ris.text).data;
    expect(fromRis).toHaveLength(3);
    expect(fromRis.map((x) => x.title).sort()).toEqual(fromBib.map((x) => x.title).sort());
    expect(fromRis.find((x) => x.title?.includes('Paper 0'))!.author[0]).toMatchObject({ family: 'Example', given: 'Ada' });
    expect(fromRis.map((x) => x.URL).sort()).toEqual(ids.map((id) => `https://arxiv.org/abs/${id}`).sort());

    const csl = await get('/library/export/csl');
    expect(csl.res.headers.get('content-type')).toBe('application/vnd.citationstyles.csl+json; charset=utf-8');
    expect(csl.res.headers.get('content-disposition')).toBe('attachment; filename="library-ada.json"');
    const items = JSON.parse(csl.text);
    const fromCsl = new Cite(items).data;
    expect(fromCsl).toHaveLength(3);
    expect(fromCsl.map((x) => x.number).sort()).toEqual(ids.map((id) => `arXiv:${id}`).sort());
    // A citation style renders them: the data is CSL that a processor accepts.
    expect(new Cite(items).format('bibtex')).toContain('@');

    // A collection in its own order, named after its title; unlisted, so anyone with the link.
    const colBib = await l.visitor().get(`/collections/${col}/export/bibtex`);
    expect(colBib.res.headers.get('content-disposition')).toBe('attachment; filename="games-a-reading-list.bib"');
    expect(new Cite(colBib.html).data.map((x) => x.title)).toEqual(['Paper 0: Gradients & <Games> for "Agents"', 'Paper 1: Gradients & <Games> for "Agents"']);
    expect((await ada.get('/library/export/docx')).res.status).toBe(404);
    expect((await l.visitor().get('/library/export/bibtex')).res.status).not.toBe(200);
  });

  it('imports a list of ids: bad lines named by number, unknown ids fetched from arXiv, the rest kept', async () => {
    const form = new FormData();
    form.set('csrf', ada.csrf);
    form.set(
      'text',
      [`${FEATURED[2]!.id}`, 'not an id at all', `https://arxiv.org/abs/${REMOTE}v1`, '# a comment', '2502.99999', `arXiv:${FEATURED[0]!.id}`].join('\n'),
    );
    const res = await ada.request(`/collections/${col}/import`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('2 added, 1 already there, 2 not imported');
    expect(page).toContain('line 2: &#39;not an id at all&#39; is not an arXiv id or URL');
    expect(page).toContain('line 5: arXiv has no paper 2502.99999');
    expect((await getPaper(l.t.db.db, REMOTE))?.title).toBe('Fetched from arXiv for an import');
    expect(await collectionPaperIds(l.t.db.db, col, { offset: 0, limit: 10 })).toEqual([FEATURED[0]!.id, FEATURED[1]!.id, FEATURED[2]!.id, REMOTE]);
    expect(l.arxiv.requests.filter((r) => r.kind === 'api').length).toBeGreaterThan(0);
  });

  it('imports BibTeX through the API: a broken entry and one with no arXiv id are reported with their lines', async () => {
    const created = await l.visitor().json('POST', '/api/collections', { title: 'From Zotero' }, bearer(l.users.ada!.write));
    expect(created.res.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'From Zotero', visibility: 'private', owner: 'ada', papers: 0 });
    const bib = [
      '@misc{vaswani, title = {A paper}, eprint = {' + FEATURED[3]!.id + '}, archivePrefix = {arXiv}}', // line 1
      '',
      '@article{broken, title = {Unclosed', // line 3
      '  author = {Nobody}',
      '',
      '@book{nothing, title = {A book}, year = 1999}', // line 6
      '@article{byurl,', // line 7
      `  url = {https://arxiv.org/abs/${FEATURED[4]!.id}v2},`,
      '}',
      `@misc{bydoi, doi = {10.48550/arXiv.${FEATURED[5]!.id}}}`, // line 10
    ].join('\n');
    const r = await l.visitor().json('POST', `/api/collections/${created.body.id}/import`, { text: bib }, bearer(l.users.ada!.write));
    expect(r.res.status).toBe(200);
    expect(r.body.format).toBe('bibtex');
    expect(r.body.added).toEqual([FEATURED[3]!.id, FEATURED[4]!.id, FEATURED[5]!.id]);
    expect(r.body.bad.map((b: { line: number }) => b.line)).toEqual([3, 6]);
    expect(r.body.bad[1].message).toContain("entry 'nothing' names no arXiv paper");
    // Someone else's collection, or a read token: no import.
    expect((await l.visitor().json('POST', `/api/collections/${created.body.id}/import`, { text: bib }, bearer(l.users.bob!.write))).res.status).toBe(404);
    expect((await l.visitor().json('POST', `/api/collections/${created.body.id}/import`, { text: bib }, bearer(l.users.ada!.read))).res.status).toBe(403);
  });

  it('reads and writes collections, saves and the library through the API with scoped tokens', async () => {
    const read = bearer(l.users.ada!.read);
    const write = bearer(l.users.ada!.write);
    const api = (method: string, path: string, body?: unknown, h: Record<string, string> = write) => l.visitor().json(method, path, body, h);
    expect((await api('POST', '/api/collections', { title: 'Nope' }, read)).res.status).toBe(403);
    expect((await api('POST', '/api/collections', { title: '' })).res.status).toBe(400);
    expect((await api('POST', '/api/collections', { title: 'x', visibility: 'secret' })).body.error).toContain('visibility');
    const made = await api('POST', '/api/collections', { title: 'API list', description: 'made by a script', visibility: 'unlisted' });
    const id = made.body.id as string;
    expect(made.body.url).toBe(`${l.t.config.baseUrl}/collections/${id}`);
    // A change of one field leaves the others as they were.
    const changed = await api('POST', `/api/collections/${id}`, { title: 'API list, renamed' });
    expect(changed.body).toMatchObject({ title: 'API list, renamed', description: 'made by a script', visibility: 'unlisted' });
    expect((await api('POST', `/api/collections/${id}/papers`, { arxivId: FEATURED[8]!.id })).res.status).toBe(201);
    expect((await api('POST', `/api/collections/${id}/papers`, { arxivId: FEATURED[8]!.id })).res.status).toBe(200);
    expect((await api('POST', `/api/collections/${id}/papers`, { arxivId: '2501.99999' })).res.status).toBe(404);
    const one = await api('GET', `/api/collections/${id}`, undefined, {});
    expect(one.body.items.map((p: { id: string }) => p.id)).toEqual([FEATURED[8]!.id]);
    expect((await api('DELETE', `/api/collections/${id}/papers/${FEATURED[8]!.id}`)).res.status).toBe(200);
    const mine = await api('GET', '/api/collections', undefined, read);
    expect(mine.res.headers.get('cache-control')).toBe('private, no-store');
    expect(mine.body.map((x: { title: string }) => x.title)).toEqual(expect.arrayContaining(['Games: a reading list', 'From Zotero', 'API list, renamed']));
    expect((await api('DELETE', `/api/collections/${id}`)).body).toEqual({ ok: true });
    expect((await api('GET', `/api/collections/${id}`, undefined, read)).res.status).toBe(404);

    expect((await api('POST', `/api/papers/${FEATURED[9]!.id}/save`, undefined, read)).res.status).toBe(403);
    expect((await api('POST', `/api/papers/${FEATURED[9]!.id}/save`)).body).toEqual({ id: FEATURED[9]!.id, saved: true });
    const lib = await api('GET', '/api/library?limit=2', undefined, read);
    expect(lib.res.headers.get('x-total-count')).toBe('4');
    expect(lib.body.map((p: { id: string }) => p.id)[0]).toBe(FEATURED[9]!.id);
    expect(lib.body).toHaveLength(2);
    expect((await api('DELETE', `/api/papers/${FEATURED[9]!.id}/save`)).body).toEqual({ id: FEATURED[9]!.id, saved: false });
    expect((await l.visitor().json('GET', '/api/library')).res.status).toBe(401);
  });
});
