// The domain model: what arXiv and Hugging Face tell us about a paper, and a paper's appearance in
// the daily feed. Plain data, shared by importers, stores, pages and the API.

/** A paper as arXiv describes it (one row per arXiv id, whatever its version). */
export interface Paper {
  /** arXiv identifier without version: `2405.15738` or `hep-th/9901001`. */
  id: string;
  /** Latest version number known (v1 = 1); null when the source did not say. */
  version: number | null;
  title: string;
  abstract: string;
  /** Author names in the order of the paper. */
  authors: string[];
  primaryCategory: string | null;
  /** All categories, the primary one first. */
  categories: string[];
  /** When v1 appeared (ISO 8601). */
  publishedAt: string | null;
  /** When the latest version appeared or the metadata last changed (ISO 8601). */
  updatedAt: string | null;
  submitter: string | null;
  comments: string | null;
  journalRef: string | null;
  doi: string | null;
  reportNo: string | null;
  license: string | null;
  codeUrl: string | null;
  projectUrl: string | null;
  withdrawn: boolean;
}

/** A paper's appearance in the daily feed (at most one per paper, as on Hugging Face). */
export interface Featured {
  paperId: string;
  /** The feed day, YYYY-MM-DD, in the instance's time zone. */
  day: string;
  /** When it was featured (ISO 8601); trending ages are counted from here. */
  featuredAt: string;
  /** Local submitter (users arrive with the members issue). */
  submittedByUserId: number | null;
  /** Submitter name carried over from an import (e.g. a Hugging Face username). */
  submittedByName: string | null;
  /** Organization handle and display name, when the source gives one. */
  organization: string | null;
  organizationName: string | null;
  /** Counts carried over from an import; local upvotes and comments add to them. */
  importedUpvotes: number;
  importedComments: number;
  aiSummary: string | null;
  aiKeywords: string[];
}

/** Links derived from the id: arXiv's abstract page and PDF. */
export function arxivLinks(id: string, version?: number | null) {
  const v = version ? `v${version}` : '';
  return {
    abs: `https://arxiv.org/abs/${id}${v}`,
    pdf: `https://arxiv.org/pdf/${id}${v}`,
  };
}
