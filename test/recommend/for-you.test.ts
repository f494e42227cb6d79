// For you and the map on every dialect, through app.request(): a member's saves rank the papers of
// their topic first with the saved paper named in the reason; a followed author is named; a hidden
// paper leaves the list (a negative example); the private For-you feed needs the token; the map
// job runs under the scheduler's lease and /map/points.json serves the stored points.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickedByModel } from '../../src/digests/picked.js';
import { mapJob } from '../../src/recommend/map-job.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { getJob } from '../../src/store/jobs.js';
import { addToCollection, createCollection } from '../../src/store/collections.js';
import { setSaved } from '../../src/store/library.js';
import { getUserByName } from '../../src/store/users.js';
import { DIALECTS } from '../harness/db.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { Client, member, memberApp, nextIp } from '../members/client.js';
import { corpus } from '../search/corpus.js';

/** Card ids of a /for-you page, in order. */
const cards = (html: string) => [...html.matchAll(/<article class="card" id="p-([^"]+)"/g)].map((m) => m[1]!);
/** The reason line (the badge) of a card. */
const reasonOf = (html: string, id: string) => {
  const at = html.indexOf(`id="p-${id}"`);
  return /<li class="badge">([^<]*)<\/li>/.exec(html.slice(at, html.indexOf('</article>', at)))?.[1]?.replaceAll('&amp;', '&') ?? '';
};

describe.each(DIALECTS)('For you and the map (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  let smtp: TestSmtp;
  let ann: Client;
  let annId: number;
  // The authors as the records write them (the fixture's authors_parsed would name others).
  const papers = corpus(10).map((p) => ({ ...p, record: { ...p.record, authors_parsed: undefined } as Record<string, unknown> }));
  const ofTopic = (topic: string) => papers.filter((p) => p.topic === topic).map((p) => p.record.id as string);
  const titleOf = (id: string) => papers.find((p) => p.record.id === id)!.record.title as string;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await memberApp(dialect, { smtpUrl: smtp.url });
    await t.load(papers.map((p) => p.record));
    await t.deps.search.embedPending();
    ann = await member(t.app, smtp, 'ann');
    annId = (await getUserByName(t.db.db, 'ann'))!.id;
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('offers the cold start to a member with nothing to learn from, and refuses visitors', async () => {
    const page = await ann.get('/for-you');
    expect(page.res.status).toBe(200);
    expect(page.html).toContain('Start your feed');
    expect(page.html).toContain('href="/library#import"');
    const visitor = await new Client(t.app, nextIp()).request('/for-you');
    expect([302, 303, 401]).toContain(visitor.status);
  });

  it("ranks the saved papers' topic first and names the nearest saved paper", async () => {
    const games = ofTopic('games');
    await setSaved(t.db.db, annId, games[0]!, true);
    await setSaved(t.db.db, annId, games[1]!, true);
    const { html } = await ann.get('/for-you');
    expect(html).not.toContain('Start your feed');
    const ids = cards(html);
    // The saved papers are not recommended; the rest of their topic comes first.
    expect(ids).not.toContain(games[0]);
    expect(ids.slice(0, 5).every((id) => games.includes(id))).toBe(true);
    const reason = reasonOf(html, ids[0]!);
    const named = /like “([^”]+)” \(saved\)/.exec(reason)?.[1];
    expect([titleOf(games[0]!), titleOf(games[1]!)]).toContain(named);
    // The digest's "Picked for you" is the same model's list, with the same reasons.
    const picked = await pickedByModel(t.db, t.deps.recommender, annId, 5);
    expect(picked.map((p) => p.id)).toEqual(ids.slice(0, 5));
    expect(picked[0]!.why).toBe(reason);
    // The whole-corpus tab ranks by the same model.
    const all = await ann.get('/for-you?tab=all');
    expect(
      cards(all.html)
        .slice(0, 3)
        .every((id) => games.includes(id)),
    ).toBe(true);
  });

  it('names a followed author', async () => {
    const vision = ofTopic('vision');
    expect((await ann.post('/following', { kind: 'author', value: 'Author vision 3', next: '/for-you' })).status).toBe(303);
    const { html } = await ann.get('/for-you');
    expect(reasonOf(html, vision[3]!)).toContain('by Author vision 3, whom you follow');
  });

  it('leaves out a hidden paper, and learns from it', async () => {
    const before = cards((await ann.get('/for-you')).html);
    const top = before[0]!;
    expect((await ann.post(`/papers/${top}/hide`, { next: '/for-you' })).status).toBe(303);
    const after = cards((await ann.get('/for-you')).html);
    expect(after).not.toContain(top);
    expect(after.length).toBe(before.length - 1);
  });

  it('serves the private For-you feed only with the token', async () => {
    const visitor = new Client(t.app, nextIp());
    expect((await visitor.request('/for-you/feed.atom')).status).toBe(404);
    expect((await visitor.request('/for-you/feed.atom?token=dpf_wrong')).status).toBe(404);
    const made = await ann.post('/following/feed-token');
    const token = /feed\.atom\?token=(dpf_[A-Za-z0-9_-]+)/.exec(await made.text())?.[1];
    expect(token).toBeTruthy();
    const res = await visitor.request(`/for-you/feed.atom?token=${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const feed = await res.text();
    const top = cards((await ann.get('/for-you')).html)[0]!;
    expect(feed).toContain(`${top}`);
    expect(feed).toMatch(/like “[^”]+” \(saved\)/);
  });

  it('lays the map out under the lease and serves the stored points', async () => {
    expect((await t.app.request('/map/points.json')).status).toBe(404);
    const scheduler = await startScheduler({ db: t.db.db, jobs: [mapJob({ db: t.db.db, search: t.deps.search })], tickMs: 3_600_000, owner: 'test-a' });
    await scheduler.tick();
    await scheduler.stop();
    const job = await getJob(t.db.db, 'paper-map');
    expect(job?.last_outcome).toBe('ok');
    expect(job?.locked_until).toBeNull();
    const res = await t.app.request('/map/points.json', { headers: { 'accept-encoding': 'identity' } });
    expect(res.status).toBe(200);
    const data = (await res.json()) as { n: number; ids: string[]; x: number[]; y: number[]; labels: Array<{ text: string }>; cats: string[] };
    expect(data.n).toBe(papers.length);
    expect(new Set(data.ids)).toEqual(new Set(papers.map((p) => p.record.id)));
    expect(data.x.every((v) => v >= 0 && v < 4096)).toBe(true);
    expect(data.cats.sort()).toEqual(['cs.CL', 'cs.CV', 'cs.GT']);
    const page = await ann.get('/map');
    expect(page.html).toContain('<canvas id="map"');
    const marks = (await ann.json('GET', '/map/highlight.json?q=nash')).body as { saved: string[]; hits: string[] };
    expect(marks.saved.sort()).toEqual(ofTopic('games').slice(0, 2).sort());
    expect(marks.hits.length).toBeGreaterThan(0);
    // A collection on the map: its papers drawn like hits, for those who may see it; a private
    // one is unknown to anyone else.
    const games = ofTopic('games');
    const colId = await createCollection(t.db.db, annId, { title: 'Games', description: '', visibility: 'private' });
    await addToCollection(t.db.db, annId, colId, games.slice(0, 3));
    const own = (await ann.json('GET', `/map/highlight.json?collection=${colId}`)).body as { hits: string[] };
    expect(own.hits.sort()).toEqual(games.slice(0, 3).sort());
    expect((await t.app.request(`/map/highlight.json?collection=${colId}`)).status).toBe(404);
    expect((await t.app.request('/map/highlight.json?collection=nope')).status).toBe(404);
    expect((await ann.get(`/map?collection=${colId}`)).html).toContain(`data-highlight="/map/highlight.json?collection=${colId}"`);
    // A second instance finds nothing due: the job ran, and its next run is hours away.
    const other = await startScheduler({ db: t.db.db, jobs: [mapJob({ db: t.db.db, search: t.deps.search })], tickMs: 3_600_000, owner: 'test-b' });
    await other.tick();
    await other.stop();
    expect((await getJob(t.db.db, 'paper-map'))?.last_started_at).toBe(job?.last_started_at);
  });
});
