// Presenters: the API's contract, field by field, in the shapes of Hugging Face's papers API
// (GET https://huggingface.co/api/papers/ID). Only whitelisted fields leave the server.
import { arxivLinks, type Paper } from '../../papers/types.js';
import type { FeaturedPaper } from '../../store/papers.js';

export function presentPaper(paper: Paper, featured: FeaturedPaper | null) {
  return {
    id: paper.id,
    version: paper.version,
    title: paper.title,
    summary: paper.abstract,
    authors: paper.authors.map((name) => ({ name })),
    publishedAt: paper.publishedAt,
    updatedAt: paper.updatedAt,
    categories: paper.categories,
    primaryCategory: paper.primaryCategory,
    comments: paper.comments,
    journalRef: paper.journalRef,
    doi: paper.doi,
    license: paper.license,
    withdrawn: paper.withdrawn,
    githubRepo: paper.codeUrl,
    projectPage: paper.projectUrl,
    arxivUrl: arxivLinks(paper.id).abs,
    pdfUrl: arxivLinks(paper.id).pdf,
    upvotes: featured?.upvotes ?? 0,
    numComments: featured?.commentCount ?? 0,
    submittedOnDailyAt: featured?.featured.featuredAt ?? null,
    ai_summary: featured?.featured.aiSummary ?? null,
    ai_keywords: featured?.featured.aiKeywords ?? [],
    organization: featured?.featured.organization
      ? { name: featured.featured.organization, fullname: featured.featured.organizationName }
      : null,
  };
}
