// OpenAPI 3.1 for the JSON API, generated from the zod schemas that validate the requests and
// describe the responses (zod 4's own z.toJSONSchema, JSON Schema 2020-12, which OpenAPI 3.1
// adopts whole: OAS 3.1 §4.8.24). The operations below are the only hand-written part: one entry
// per route, each naming its schemas; decision 0012 says why not @hono/zod-openapi.
import { z } from 'zod';
import { CommentBody, IndexBody } from './members.js';
import { CollectionPatch, CollectionsQuery, ImportBody, PageQuery, PaperRef } from './library.js';
import { CollectionInput } from '../../members/library.js';
import { LimitParam, SearchParams } from './search.js';
import { apiSchemas, DailyPapersQuery, NewPapersQuery, PapersQuery } from './schemas.js';

type JsonSchema = Record<string, unknown>;

export interface Operation {
  method: 'get' | 'post' | 'delete';
  /** OpenAPI path template, e.g. /api/papers/{id}. */
  path: string;
  summary: string;
  description?: string;
  query?: z.ZodType;
  pathId?: boolean;
  /** Other path parameters ({id} of a collection, {paper}), each with what it is. */
  pathParams?: Record<string, string>;
  /** A JSON request body, checked by this schema. */
  body?: z.ZodType;
  /** Needs a bearer token (or a session with its CSRF token). */
  auth?: boolean;
  /** The success status, 200 unless said. */
  status?: number;
  /** The success body: a component name, or [name] for an array of them. */
  returns: string | [string];
  errors: number[];
  /** Response headers worth naming. */
  link?: boolean;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/daily_papers',
    summary: 'Featured papers (Hugging Face daily_papers)',
    description:
      'Featured papers, newest first by default. At most one of date, week and month. Pages are 0-based; a Link header with rel="next" points to the next page when there is one.',
    query: DailyPapersQuery,
    returns: ['DailyPaper'],
    errors: [400, 429],
    link: true,
  },
  {
    method: 'get',
    path: '/api/papers/new',
    summary: "A day's new arXiv papers",
    description:
      'The papers arXiv announced on a day (in the instance\'s TIMEZONE) in the categories asked for, grouped as arXiv\'s /new pages group them: new submissions, cross-lists, replacements. Items are shaped like daily_papers. Pages are 0-based; Link rel="next" and X-Total-Count say what follows.',
    query: NewPapersQuery,
    returns: ['DailyPaper'],
    errors: [400, 429],
    link: true,
  },
  {
    method: 'get',
    path: '/api/papers',
    summary: 'Every indexed paper, newest first',
    description: 'Keyset-paged: follow the Link rel="next" header, whose cursor is opaque.',
    query: PapersQuery,
    returns: ['Paper'],
    errors: [400, 429],
    link: true,
  },
  {
    method: 'get',
    path: '/api/papers/search',
    summary: 'Hybrid (full-text and semantic) search',
    description: 'The query language of the /search page: words, "phrases", -exclusions, and filters such as cat:cs.LG.',
    query: SearchParams,
    returns: ['SearchItem'],
    errors: [400, 429],
  },
  {
    method: 'get',
    path: '/api/papers/{id}',
    summary: 'One paper',
    description: 'The id is an arXiv identifier, with or without version.',
    pathId: true,
    returns: 'Paper',
    errors: [400, 404, 429],
  },
  {
    method: 'get',
    path: '/api/papers/{id}/similar',
    summary: 'Nearest papers by meaning',
    pathId: true,
    query: LimitParam,
    returns: ['SearchItem'],
    errors: [400, 404, 429],
  },
  // The members' write routes (src/web/api/members.ts), described from their body schemas.
  {
    method: 'post',
    path: '/api/papers/index',
    summary: 'Submit a paper: fetch it from arXiv and feature it',
    description: '409 (with the id and url) when it is already featured.',
    body: IndexBody,
    auth: true,
    status: 201,
    returns: 'Indexed',
    errors: [400, 401, 403, 404, 409, 429],
  },
  {
    method: 'post',
    path: '/api/papers/{id}/upvote',
    summary: 'Upvote a featured paper',
    description: 'Idempotent: upvoting twice is one upvote, and both answers are 200 with upvoted: true.',
    pathId: true,
    auth: true,
    returns: 'Vote',
    errors: [400, 401, 403, 404, 429],
  },
  {
    method: 'delete',
    path: '/api/papers/{id}/upvote',
    summary: 'Take an upvote back',
    description: 'Idempotent: 200 with upvoted: false whether or not there was a vote.',
    pathId: true,
    auth: true,
    returns: 'Vote',
    errors: [400, 401, 403, 404, 429],
  },
  {
    method: 'get',
    path: '/api/papers/{id}/comments',
    summary: 'The discussion of a paper, oldest first',
    pathId: true,
    returns: ['Comment'],
    errors: [400, 404],
  },
  {
    method: 'post',
    path: '/api/papers/{id}/comments',
    summary: 'Comment on a paper (Markdown with $math$)',
    pathId: true,
    body: CommentBody,
    auth: true,
    status: 201,
    returns: 'Comment',
    errors: [400, 401, 403, 404, 413, 429],
  },
  ...libraryOperations(),
];

/** The library's routes (src/web/api/library.ts). */
function libraryOperations(): Operation[] {
  const col = { id: 'A collection id (from its URL).' };
  return [
    {
      method: 'post',
      path: '/api/papers/{id}/save',
      summary: "Save a paper to the caller's library",
      description: 'Idempotent.',
      pathId: true,
      auth: true,
      returns: 'Saved',
      errors: [400, 401, 403, 404, 429],
    },
    {
      method: 'delete',
      path: '/api/papers/{id}/save',
      summary: "Take a paper out of the caller's library",
      pathId: true,
      auth: true,
      returns: 'Saved',
      errors: [400, 401, 403, 429],
    },
    {
      method: 'get',
      path: '/api/library',
      summary: "The caller's saved papers, newest first",
      description: 'X-Total-Count says how many there are.',
      query: PageQuery,
      auth: true,
      returns: ['Paper'],
      errors: [400, 401, 429],
    },
    {
      method: 'get',
      path: '/api/collections',
      summary: 'Collections',
      description:
        "With a token or session and no owner: the caller's own collections, private ones included. With owner: that member's public collections (all of them for the owner). Without either: everyone's public collections, the latest changed first.",
      query: CollectionsQuery,
      returns: ['Collection'],
      errors: [400, 404, 429],
    },
    {
      method: 'post',
      path: '/api/collections',
      summary: 'Create a collection',
      body: CollectionInput,
      auth: true,
      status: 201,
      returns: 'Collection',
      errors: [400, 401, 403, 429],
    },
    {
      method: 'get',
      path: '/api/collections/{id}',
      summary: 'A collection and its papers, in order',
      description: 'A private collection is a 404 to everyone but its owner; an unlisted one is readable by anyone who has its id.',
      pathParams: col,
      query: PageQuery,
      returns: 'CollectionDetail',
      errors: [400, 404, 429],
    },
    {
      method: 'post',
      path: '/api/collections/{id}',
      summary: "Change a collection's title, description or visibility",
      pathParams: col,
      body: CollectionPatch,
      auth: true,
      returns: 'Collection',
      errors: [400, 401, 403, 404, 429],
    },
    {
      method: 'delete',
      path: '/api/collections/{id}',
      summary: 'Delete a collection (its papers stay in the library)',
      pathParams: col,
      auth: true,
      returns: 'Ok',
      errors: [401, 403, 404, 429],
    },
    {
      method: 'post',
      path: '/api/collections/{id}/papers',
      summary: 'Add a paper to a collection',
      description: '201 when added, 200 when it was there already.',
      pathParams: col,
      body: PaperRef,
      auth: true,
      status: 201,
      returns: 'Ok',
      errors: [400, 401, 403, 404, 429],
    },
    {
      method: 'delete',
      path: '/api/collections/{id}/papers/{paper}',
      summary: 'Take a paper out of a collection',
      pathParams: { ...col, paper: 'An arXiv identifier.' },
      auth: true,
      returns: 'Ok',
      errors: [400, 401, 403, 404, 429],
    },
    {
      method: 'post',
      path: '/api/collections/{id}/import',
      summary: 'Import BibTeX or a list of arXiv ids into a collection',
      description: 'Papers not here yet are fetched from arXiv. Lines that name no paper are reported with their number; the rest are kept.',
      pathParams: col,
      body: ImportBody,
      auth: true,
      returns: 'ImportReport',
      errors: [400, 401, 403, 404, 413, 429],
    },
  ];
}

const STATUS_TEXT: Record<number, string> = {
  400: 'A bad parameter; the message names it.',
  401: 'No valid bearer token.',
  403: 'The token lacks the write scope, or a session write lacks its X-CSRF-Token.',
  404: 'No such paper (or collection).',
  409: 'Already there.',
  413: 'The body is too large.',
  429: 'Rate limit exceeded; see Retry-After and RateLimit.',
};

const RATE_HEADERS = {
  RateLimit: { description: 'Remaining requests r and seconds t until the window resets (draft-ietf-httpapi-ratelimit-headers).', schema: { type: 'string' } },
  'RateLimit-Policy': { description: 'Quota q per window of w seconds.', schema: { type: 'string' } },
  ETag: { description: 'Send it back in If-None-Match to get a 304 when nothing changed.', schema: { type: 'string' } },
};

/** Query parameters of a zod object schema, with its JSON Schema per parameter. */
export function parameters(schema: z.ZodType): JsonSchema[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: 'query', required: json.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: rest };
  });
}

/** A request body's JSON Schema, as the client sends it. */
function body(schema: z.ZodType): JsonSchema {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function components(): Record<string, JsonSchema> {
  const out = z.toJSONSchema(apiSchemas, { uri: (id) => `#/components/schemas/${id}` }) as { schemas: Record<string, JsonSchema> };
  // Each component is a schema inside the document, not a resource of its own: no $schema or $id.
  return Object.fromEntries(Object.entries(out.schemas).map(([k, { $schema: _s, $id: _i, ...s }]) => [k, s]));
}

export function openApiDocument(baseUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const params = [
      ...(op.pathId
        ? [{ name: 'id', in: 'path', required: true, description: 'arXiv identifier, e.g. 2501.01234 or hep-th/9901001', schema: { type: 'string' } }]
        : []),
      ...Object.entries(op.pathParams ?? {}).map(([name, description]) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } })),
      ...(op.query ? parameters(op.query) : []),
    ];
    const returned = Array.isArray(op.returns) ? { type: 'array', items: ref(op.returns[0]) } : ref(op.returns);
    const headers = {
      ...RATE_HEADERS,
      ...(op.link ? { Link: { description: 'RFC 8288: <next page URL>; rel="next", when there is one.', schema: { type: 'string' } } } : {}),
    };
    const success = op.status ?? 200;
    const item = paths[op.path] ?? {};
    paths[op.path] = item;
    item[op.method] = {
      ...(op.auth ? { security: [{ bearer: [] }] } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: body(op.body) } } } } : {}),
      operationId: `${op.method}${op.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^a-zA-Z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ?? '').toUpperCase())}`,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      ...(params.length ? { parameters: params } : {}),
      responses: {
        [success]: {
          description: success === 201 ? 'Created' : 'OK',
          ...(op.method === 'get' ? { headers } : {}),
          content: { 'application/json': { schema: returned } },
        },
        ...Object.fromEntries(op.errors.map((s) => [s, { description: STATUS_TEXT[s] ?? 'Error', content: { 'application/json': { schema: ref('Error') } } }])),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'dailypapers API',
      version: '1',
      description: "Hugging Face's papers API shapes (daily_papers, papers, search), served by a self-hosted dailypapers. Differences are listed at /api.",
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: baseUrl }],
    paths,
    components: {
      schemas: components(),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A token created in /settings.' } },
    },
  };
}
