// Presenters: the API's contract, field by field, in the shapes of Hugging Face's papers API
// (GET https://huggingface.co/api/daily_papers and /api/papers/ID). Only whitelisted fields leave
// the server. Where Hugging Face sends a string we either send a string or leave the key out, as
// Hugging Face itself does for a paper without a repository: a null would break typed clients.
import type { z } from 'zod';
import { arxivLinks } from '../../papers/types.js';
import type { FeaturedPaper, ListedPaper } from '../../store/papers.js';
import type { DailyPaperItem, PaperCore, PaperDetail } from './schemas.js';

const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;

/** The `paper` object: the same in daily-papers items and, extended, in GET /api/papers/ID. */
export function presentPaperCore(item: ListedPaper): z.infer<typeof PaperCore> {
  const { paper, featured } = item;
  const submitter = featured?.submittedByName ?? undefined;
  return defined({
    id: paper.id,
    authors: paper.authors.map((name) => ({ name, hidden: false })),
    publishedAt: paper.publishedAt ?? undefined,
    title: paper.title,
    summary: paper.abstract,
    upvotes: item.upvotes,
    submittedOnDailyAt: featured?.featuredAt,
    submittedOnDailyBy: submitter ? { name: submitter, user: submitter, type: 'user' as const } : undefined,
    githubRepo: paper.codeUrl ?? undefined,
    projectPage: paper.projectUrl ?? undefined,
    ai_summary: featured?.aiSummary ?? undefined,
    ai_keywords: featured && (featured.aiSummary || featured.aiKeywords.length) ? featured.aiKeywords : undefined,
    organization: featured?.organization ? { name: featured.organization, fullname: featured.organizationName ?? featured.organization } : undefined,
  });
}

export function presentPaper(item: ListedPaper): z.infer<typeof PaperDetail> {
  const { paper } = item;
  const links = arxivLinks(paper.id);
  return {
    ...presentPaperCore(item),
    numComments: item.commentCount,
    version: paper.version,
    updatedAt: paper.updatedAt,
    categories: paper.categories,
    primaryCategory: paper.primaryCategory,
    comments: paper.comments,
    journalRef: paper.journalRef,
    doi: paper.doi,
    license: paper.license,
    withdrawn: paper.withdrawn,
    arxivUrl: links.abs,
    pdfUrl: links.pdf,
  };
}

/**
 * One item of GET /api/daily_papers, and of /api/papers/new, where a paper not featured yet has
 * the time arXiv announced it as `publishedAt` and no submitter.
 */
export function presentDailyPaper(item: FeaturedPaper | (ListedPaper & { announcedAt: string })): z.infer<typeof DailyPaperItem> {
  const f = item.featured;
  return defined({
    paper: presentPaperCore(item),
    publishedAt: f?.featuredAt ?? (item as { announcedAt: string }).announcedAt,
    title: item.paper.title,
    summary: item.paper.abstract,
    numComments: item.commentCount,
    // fullname too: `hf papers ls` prints the submitter's fullname (or a `user` key it reads).
    submittedBy: f?.submittedByName ? { name: f.submittedByName, fullname: f.submittedByName, type: 'user' as const } : undefined,
    organization: f?.organization ? { name: f.organization, fullname: f.organizationName ?? f.organization } : undefined,
  });
}
