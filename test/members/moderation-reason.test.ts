// The reason a moderator gives: optional, one line, at most MAX_REASON characters; shown on the
// public /moderation log and in the admin's, for every kind of moderation form; a reason too long
// is refused before the action takes effect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REASON, parseReason } from '../../src/members/moderation.js';
import { listModeration } from '../../src/store/moderation.js';
import { hfItem } from '../fixtures/records.js';
import { DIALECTS } from '../harness/db.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { type Client, member, memberApp } from './client.js';

describe('parseReason', () => {
  it('keeps one trimmed line, and refuses more than MAX_REASON characters', () => {
    expect(parseReason(undefined)).toEqual({ ok: true, reason: '' });
    expect(parseReason('  spam,\r\n\tagain \u0007 ')).toEqual({ ok: true, reason: 'spam, again' });
    expect(parseReason('x'.repeat(MAX_REASON))).toEqual({ ok: true, reason: 'x'.repeat(MAX_REASON) });
    expect(parseReason(`${'x'.repeat(MAX_REASON)}y`)).toMatchObject({ ok: false, message: expect.stringContaining(`at most ${MAX_REASON}`) });
  });
});

describe.each(DIALECTS)('moderation reasons (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  let smtp: TestSmtp;
  let admin: Client;
  let ann: Client;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await memberApp(dialect, { smtpUrl: smtp.url });
    await t.load([hfItem(), hfItem({ paper: { id: '2501.05678', title: 'A Second Paper' } })]);
    admin = await member(t.app, smtp, 'root'); // the first account is the administrator
    ann = await member(t.app, smtp, 'ann');
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const log = async () => (await t.app.request('/moderation')).text();

  it('offers a reason field on each moderation form', async () => {
    await ann.get('/papers/2501.01234');
    await ann.post('/papers/2501.01234/comments', { body: 'a comment to moderate' });
    const paper = (await admin.get('/papers/2501.01234')).html;
    expect(paper).toMatch(
      new RegExp(`action="/comments/\\d+/hide"[^>]*>\\s*<input[^>]*name="csrf"[^>]*>\\s*<input class="reason" name="reason" maxlength="${MAX_REASON}"`),
    );
    const dashboard = (await admin.get('/admin')).html;
    expect(dashboard).toMatch(
      /<label for="remove-reason">Reason \(optional; shown on the public moderation log\)<\/label><input id="remove-reason" name="reason"/,
    );
    expect(dashboard).toMatch(/action="\/admin\/users\/\d+\/suspend"[\s\S]*?name="reason"/);
    expect(dashboard).toMatch(/action="\/comments\/\d+\/hide"[\s\S]*?name="reason"/);
  });

  it('shows the reason on the public log and in the admin log, with the action it explains', async () => {
    await ann.get('/papers/2501.01234');
    const loc = (await ann.post('/papers/2501.01234/comments', { body: 'buy cheap watches' })).headers.get('location')!;
    const cid = /#c(\d+)$/.exec(loc)![1];
    await admin.get('/papers/2501.01234');
    expect((await admin.post(`/comments/${cid}/hide`, { reason: 'Spam:\nadvertising <b>watches</b>' })).status).toBe(303);
    expect((await admin.post('/papers/2501.05678/feature', { reason: 'a strong result' })).status).toBe(303);
    await admin.get('/admin');
    expect((await admin.post('/admin/featured/remove', { paperId: '2501.05678', reason: 'picked by mistake' })).status).toBe(303);

    const pub = await log();
    expect(pub).toContain(`href="/papers/2501.01234#c${cid}">comment ${cid}</a></td><td>Spam: advertising &lt;b&gt;watches&lt;/b&gt;</td>`);
    expect(pub).toMatch(/<td>picked paper<\/td><td><a href="\/papers\/2501.05678">paper 2501.05678<\/a><\/td><td>a strong result<\/td>/);
    expect(pub).toMatch(/<td>removed featured paper<\/td><td>[\s\S]*?<\/td><td>picked by mistake<\/td>/);
    expect(pub).not.toContain('<td>root</td>');
    const audit = (await admin.get('/admin')).html;
    expect(audit).toMatch(/<td>root<\/td><td>hid comment<\/td><td>[\s\S]*?<\/td><td>Spam: advertising &lt;b&gt;watches&lt;\/b&gt;<\/td>/);
    // A form sent without one records an empty reason.
    expect((await admin.post(`/comments/${cid}/unhide`)).status).toBe(303);
    const [last] = await listModeration(t.db.db, 1);
    expect(last).toMatchObject({ action: 'restored comment', reason: '' });
  });

  it('refuses a reason that is too long, and leaves the subject as it was', async () => {
    await ann.get('/papers/2501.01234');
    const loc = (await ann.post('/papers/2501.01234/comments', { body: 'stays visible' })).headers.get('location')!;
    const cid = /#c(\d+)$/.exec(loc)![1];
    const before = (await listModeration(t.db.db, 1))[0]?.id;
    await admin.get('/papers/2501.01234');
    const long = 'x'.repeat(MAX_REASON + 1);
    const hide = await admin.post(`/comments/${cid}/hide`, { reason: long });
    expect(hide.status).toBe(400);
    expect(await hide.text()).toContain(`A reason is at most ${MAX_REASON} characters`);
    expect((await admin.get('/papers/2501.01234')).html).toContain('stays visible');
    expect((await admin.post('/papers/2501.05678/feature', { reason: long })).status).toBe(400);
    await admin.get('/admin');
    expect((await admin.post('/admin/featured/remove', { paperId: '2501.01234', reason: long })).status).toBe(400);
    const dashboard = (await admin.get('/admin')).html;
    const annId = /action="\/admin\/users\/(\d+)\/suspend"/.exec(dashboard.slice(dashboard.indexOf('/users/ann"')))![1]!;
    expect((await admin.post(`/admin/users/${annId}/suspend`, { suspended: '1', reason: long })).status).toBe(400);
    expect((await ann.get('/settings')).res.status).toBe(200); // not suspended
    expect(await (await t.app.request('/papers/2501.01234')).text()).toContain('Featured on'); // still featured
    expect((await listModeration(t.db.db, 1))[0]?.id).toBe(before); // nothing recorded
  });
});
