// A small featured archive for the API and feed tests, written here in Hugging Face's daily_papers
// format (test/fixtures/records.ts): papers over three weeks, two submitters, two organizations,
// and a few arXiv-only papers (one without any date) that were never featured.
import { hfItem, sampleRecord } from '../fixtures/records.js';

export interface FixturePaper {
  id: string;
  day: string;
  upvotes: number;
  submitter: string;
  org: string | null;
}

const DAYS = ['2025-01-06', '2025-01-07', '2025-01-08', '2025-01-13', '2025-01-14', '2025-01-20', '2025-02-03'];

export const FEATURED: FixturePaper[] = Array.from({ length: 14 }, (_, i) => ({
  id: `2501.${String(10000 + i)}`,
  day: DAYS[i % DAYS.length]!,
  upvotes: (i * 7) % 23,
  submitter: i % 3 === 0 ? 'carol' : 'dave',
  org: i % 4 === 0 ? 'example-lab' : i % 4 === 1 ? 'other-org' : null,
}));

export function featuredRecords(): Array<Record<string, unknown>> {
  return FEATURED.map((f, i) =>
    hfItem({
      paper: {
        id: f.id,
        title: `Paper ${i}: Gradients & <Games> for "Agents"`,
        upvotes: f.upvotes,
        publishedAt: `${f.day}T00:00:00.000Z`,
        submittedOnDailyAt: `${f.day}T0${i % 10}:00:00.000Z`,
        githubRepo: i % 2 ? `https://github.com/example/p${i}` : undefined,
        projectPage: undefined,
        ai_summary: i === 5 ? undefined : `Summary ${i}.`,
        ai_keywords: i === 5 ? undefined : ['games', `k${i}`],
        organization: f.org ? { _id: 'o', name: f.org, fullname: f.org === 'example-lab' ? 'Example Lab' : 'Other Org' } : undefined,
        submittedOnDailyBy: { _id: 'u', fullname: f.submitter, user: f.submitter, type: 'user' },
        authors: [
          { _id: 'a', name: 'Ada Example', hidden: false },
          { _id: 'b', name: i % 2 ? 'Bo Sample' : 'Zoë Ünicode', hidden: false },
        ],
      },
      title: `Paper ${i}: Gradients & <Games> for "Agents"`,
      publishedAt: `${f.day}T0${i % 10}:00:00.000Z`,
      numComments: i % 5,
      submittedBy: { _id: 'u', fullname: f.submitter, name: f.submitter, type: 'user' },
      organization: f.org ? { _id: 'o', name: f.org, fullname: f.org === 'example-lab' ? 'Example Lab' : 'Other Org' } : undefined,
      _listed_date: f.day,
    }),
  );
}

/** arXiv-only papers: two dated, one with no date at all. */
export function arxivOnlyRecords(): Array<Record<string, unknown>> {
  return [
    sampleRecord({ id: '2412.00001', _listed_on: '2024-12-02', authors: 'Ada Example' }),
    sampleRecord({ id: '2412.00002', _listed_on: '2024-12-03' }),
    sampleRecord({ id: '2412.00003', _listed_on: undefined }),
  ];
}

export const ALL_IDS = [...FEATURED.map((f) => f.id), '2412.00001', '2412.00002', '2412.00003'];
