// /llms.txt (the llms.txt convention, https://llmstxt.org/): an H1 with the site's name, a
// blockquote saying what it is, then H2 sections of links, each "- [name](url): what it holds".
// Everything an agent needs to find its way: the Markdown pages, the JSON API and the MCP endpoint.

export const MCP_TOOLS = ['search_papers', 'get_paper', 'daily_papers', 'similar_papers', 'trending'] as const;
export const MCP_MEMBER_TOOLS = ['my_feed', 'save_paper', 'upvote'] as const;

export function llmsTxt(base: string): string {
  return `# dailypapers at ${base}

> A self-hosted Daily Papers hub: arXiv papers featured day by day by this group's members, with
> their upvotes, comments and AI summaries, searchable by words and by meaning. Every page has a
> Markdown twin (append .md); the JSON API speaks Hugging Face's papers API; an MCP server answers
> at /mcp.

Paper ids are arXiv ids (2405.15738, hep-th/9901001). Dates are feed days in YYYY-MM-DD, weeks
YYYY-Www (ISO 8601), months YYYY-MM. Abstracts keep their TeX.

## Markdown
- [Latest day](${base}/papers.md): the papers featured on the latest day, most upvoted first
- [A paper](${base}/papers/2405.15738.md): one paper (use its arXiv id): authors, dates, links, upvotes, abstract, AI summary and the discussion
- [A day](${base}/papers/date/2024-05-27.md): one feed day; ?sort=upvotes|trending|newest and ?p=2 for the next page
- [A week](${base}/papers/week/2024-W22.md): one ISO week
- [A month](${base}/papers/month/2024-05.md): one month
- [Trending](${base}/papers/trending.md): upvotes that fade with age
- [New on arXiv](${base}/papers/new.md): the latest announcement day's new papers in this instance's categories (/papers/new/YYYY-MM-DD.md for another day)
- [Search](${base}/search.md?q=diffusion+distillation): words and meaning; filters in the query: author:NAME, cat:cs.LG, after:YYYY-MM-DD, before:YYYY-MM-DD, has:code

## API
- [API documentation](${base}/api): the JSON API, in the shapes of Hugging Face's papers API (huggingface_hub works with HF_ENDPOINT=${base})
- [OpenAPI](${base}/api/openapi.json): OpenAPI 3.1 description of every route
- [Daily papers](${base}/api/daily_papers): ?date=, ?week=, ?month=, ?sort=publishedAt|trending, ?p=, ?limit=
- [New papers](${base}/api/papers/new): a day's new arXiv papers, ?date=, ?categories=cs.LG,-cs.CV, ?groups=new,cross,replaced, ?p=, ?limit=

## MCP
- [MCP endpoint](${base}/mcp): Model Context Protocol over streamable HTTP (POST); tools ${MCP_TOOLS.join(', ')}; with a member's API token (Authorization: Bearer dp_...) also ${MCP_MEMBER_TOOLS.join(', ')} (save_paper and upvote need the write scope)

## Optional
- [About](${base}/about): how trending and featuring work
- [Feeds](${base}/papers/feed.atom): Atom and RSS feeds of every listing (append /feed.atom or /feed.rss)
`;
}
