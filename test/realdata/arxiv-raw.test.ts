// arXiv's real responses (../shared/data/raw): every XML file parses to the expected records with
// sane fields, and the real 1,000-record ListRecords page, served split into pages by the local
// arXiv, is ingested by `bin/dailypapers ingest arxiv` exactly once across a SIGKILL and a restart.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAtomFeed } from '../../src/ingest/arxiv-api-parse.js';
import { parseOaiPage } from '../../src/ingest/oai-parse.js';
import { getHarvest } from '../../src/store/harvests.js';
import { countPapers, getPaper } from '../../src/store/papers.js';
import { type ArxivServer, splitRecords, startArxivServer } from '../harness/arxiv-server.js';
import { startCli, runCli } from '../harness/cli.js';
import { DIALECTS, openTestDb } from '../harness/db.js';

const RAW = path.resolve(import.meta.dirname, '../../../shared/data/raw');
const BIG = 'arxiv-oai-pmh_ListRecords_arXivRaw_page-47001.xml';
const read = (f: string) => readFileSync(path.join(RAW, f), 'utf8');

// What each file holds: records (OAI) or entries (Atom), the token, the error code.
const EXPECTED: Record<string, { kind: 'oai' | 'atom'; records: number; token?: string | null; error?: string }> = {
  [BIG]: { kind: 'oai', records: 1000, token: '496549|47001' },
  'arxiv-oai-pmh_arXivRaw_ListRecordsResponse.xml': { kind: 'oai', records: 6, token: '726959|1001' },
  'arxiv-oai-pmh_arXivRaw_GetRecordResponse.xml': { kind: 'oai', records: 1, token: null },
  'arxiv-oai-pmh_arXivRaw_ErrorResponseBadResumptionToken.xml': { kind: 'oai', records: 0, error: 'badResumptionToken' },
  'arxiv-oai-pmh_arXivRaw_ErrorResponseIdDoesNotExist.xml': { kind: 'oai', records: 0, error: 'idDoesNotExist' },
  'arxiv-oai-pmh_arXivRaw_ErrorResponseNoRecordsMatch.xml': { kind: 'oai', records: 0, error: 'noRecordsMatch' },
  'arxiv-api-atom_id_list=1707.08567.xml': { kind: 'atom', records: 1 },
  'arxiv-api-atom_search_query=testing_max10.xml': { kind: 'atom', records: 10 },
};

describe('the real arXiv responses', () => {
  const files = readdirSync(RAW)
    .filter((f) => f.endsWith('.xml'))
    .sort();

  it('are all known to this test', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files)('%s parses to the expected records with sane fields', (file) => {
    const want = EXPECTED[file]!;
    const xml = read(file);
    const papers = want.kind === 'oai' ? parseOaiPage(xml).records.map((r) => r.paper!) : parseAtomFeed(xml).papers;
    if (want.kind === 'oai') {
      const page = parseOaiPage(xml);
      expect(page.error?.code ?? undefined).toBe(want.error);
      expect(page.records.filter((r) => r.problem)).toEqual([]);
      if (want.token !== undefined) expect(page.resumptionToken?.token ?? null).toBe(want.token);
    } else {
      expect(parseAtomFeed(xml).errors).toEqual([]);
    }
    expect(papers).toHaveLength(want.records);
    for (const p of papers) {
      expect(p.id).toMatch(/^(\d{4}\.\d{4,5}|[a-z-]+\/\d{7})$/);
      expect(p.version).toBeGreaterThanOrEqual(1);
      expect(p.title.length).toBeGreaterThan(3);
      expect(p.title).not.toMatch(/\s{2}|\n/);
      expect(p.abstract).not.toMatch(/\n/);
      expect(p.authors.length).toBeGreaterThan(0);
      expect(p.categories.length).toBeGreaterThan(0);
      expect(p.primaryCategory).toBe(p.categories[0]);
      expect(p.publishedAt! <= p.updatedAt!).toBe(true);
    }
  });

  it('reads the fields of known records as arXiv shows them', () => {
    const get = parseOaiPage(read('arxiv-oai-pmh_arXivRaw_GetRecordResponse.xml')).records[0]!;
    expect(get.paper).toMatchObject({
      id: '1302.2146',
      version: 2,
      submitter: 'Michael Saelim',
      categories: ['hep-ph', 'hep-ex'],
      authors: ['Joshua Berger', 'Maxim Perelstein', 'Michael Saelim', 'Philip Tanedo'],
      publishedAt: '2013-02-08T21:00:01.000Z',
      updatedAt: '2013-04-02T01:50:08.000Z',
      license: 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/',
      withdrawn: false,
    });
    const big = parseOaiPage(read(BIG));
    expect(big.resumptionToken).toEqual({ token: '496549|47001', cursor: 46000, completeListSize: 907096 });
    expect(big.records.filter((r) => r.paper!.withdrawn).map((r) => r.paper!.id)).toContain('0801.4122');
    // A title with TeX in it keeps it: `Gr\"obner` as written.
    expect(big.records.find((r) => r.paper!.id === '0801.4243')!.paper).toMatchObject({
      title: 'A Gr\\"obner basis proof of the flat extension theorem for moment matrices',
      withdrawn: true,
    });
    const atom = parseAtomFeed(read('arxiv-api-atom_id_list=1707.08567.xml')).papers[0]!;
    expect(atom).toMatchObject({ id: '1707.08567', version: 1, primaryCategory: 'cs.IT', publishedAt: '2017-07-27T08:18:33.000Z' });
    expect(atom.authors).toHaveLength(34);
  });
});

describe.each(DIALECTS)('the real 1,000-record page, harvested on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof openTestDb>>;
  let server: ArxivServer;
  beforeEach(async () => {
    t = await openTestDb(dialect);
    server = await startArxivServer({ records: splitRecords(read(BIG)), pageSize: 100 });
  });
  afterEach(async () => {
    await server.close();
    await t.close();
  });

  it('is ingested once, across a SIGKILL and a restart', async () => {
    const archives = [...new Set(parseOaiPage(read(BIG)).records.flatMap((r) => r.paper!.categories.map((c) => c.split('.')[0]!)))].sort();
    const env = {
      DATABASE_URL: t.test.url,
      DATA_DIR: t.test.dataDir,
      ARXIV_OAI_URL: server.oaiUrl,
      ARXIV_INTERVAL_MS: '5',
      ARXIV_CATEGORIES: archives.join(','),
    };
    const args = ['ingest', 'arxiv', '--from', '2008-01-01', '--until', '2014-12-31'];
    // From the sixth request on, the first one that continues a set (a resumptionToken) is never
    // answered: the harvest is then certainly in the middle of a set, between pages, when killed
    // (a page is committed before the next request goes out).
    let hung = false;
    server.hang = (url, n) => (hung ||= n >= 6 && url.searchParams.has('resumptionToken'));
    const { child, done } = startCli(args, env);
    for (let i = 0; i < 3000 && !hung; i++) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    server.hang = null;
    expect((await done).signal).toBe('SIGKILL');
    const partial = (await countPapers(t.db.db)).papers;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(1000);

    const again = await runCli(args, env);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('resuming');
    expect(again.stderr).toMatch(/harvested completely on .*; skipping/);
    expect(again.stdout).toMatch(new RegExp(`: ${1000 - partial} new, 0 updated, \\d+ unchanged, \\d+ in other categories, \\d+ withdrawn, 0 unreadable`));
    expect(await countPapers(t.db.db)).toEqual({ papers: 1000, featured: 0 });
    expect(await getPaper(t.db.db, '0801.4122')).toMatchObject({ withdrawn: true, version: 3 });
    expect(await getHarvest(t.db.db, 'arXivRaw:cs:2008-01-01:2014-12-31')).toMatchObject({ status: 'done' });
  }, 300_000);
});
