// The project's own arXiv: a local HTTP server that answers OAI-PMH ListRecords/GetRecord
// (arXivRaw, with resumption tokens) and the API's `id_list` query like arXiv does, and misbehaves
// on request: 503 with Retry-After, pages cut off in transit, expired tokens, 500s. Every request
// is recorded with its arrival time and User-Agent.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { atomEntry, atomErrorEntry, atomFeed, type AtomPaper, listRecordsPage, oaiErrorPage } from '../fixtures/arxiv-xml.js';

export interface ServedRecord {
  /** A complete `<record>...</record>` element. */
  xml: string;
  datestamp: string;
  setSpecs: string[];
  id: string;
}

/** Reads the header fields the server filters on; the harness may use patterns, the product may not. */
export function servedRecord(xml: string): ServedRecord {
  const datestamp = /<datestamp>([^<]+)<\/datestamp>/.exec(xml)?.[1] ?? '';
  const setSpecs = [...xml.matchAll(/<setSpec>([^<]+)<\/setSpec>/g)].map((m) => m[1]!);
  const id = /<identifier>oai:arXiv\.org:([^<]+)<\/identifier>/.exec(xml)?.[1] ?? '';
  return { xml, datestamp, setSpecs, id };
}

/** Splits a real ListRecords response into its `<record>` elements. */
export function splitRecords(listRecordsXml: string): ServedRecord[] {
  return [...listRecordsXml.matchAll(/<record>[\s\S]*?<\/record>\s*/g)].map((m) => servedRecord(m[0]));
}

export interface Fault {
  /** 1-based number of the OAI request (counting every OAI request, retries included). */
  onRequest: number;
  kind: 'retry-after' | 'truncate' | 'bad-token' | 'error-500' | 'reset';
  retryAfterSeconds?: number;
}

export interface RecordedRequest {
  at: number;
  kind: 'oai' | 'api' | 'other';
  url: string;
  userAgent: string;
  status: number;
}

export interface ArxivServer {
  oaiUrl: string;
  apiUrl: string;
  records: ServedRecord[];
  apiPapers: Map<string, AtomPaper>;
  faults: Fault[];
  pageSize: number;
  /** Every OAI request is answered with this status from now on (arXiv down), until set to null. */
  down: number | null;
  /** OAI requests for which this is true are never answered: the client hangs there, to be killed. */
  hang: ((url: URL, n: number) => boolean) | null;
  requests: RecordedRequest[];
  /** Invalidates every token handed out so far, as arXiv does after a while. */
  expireTokens(): void;
  close(): Promise<void>;
}

export async function startArxivServer(init: { records?: ServedRecord[]; pageSize?: number; apiPapers?: AtomPaper[] } = {}): Promise<ArxivServer> {
  let epoch = 1;
  let oaiCount = 0;
  const state = {
    records: init.records ?? [],
    apiPapers: new Map((init.apiPapers ?? []).map((p) => [p.id, p])),
    faults: [] as Fault[],
    pageSize: init.pageSize ?? 100,
    down: null as number | null,
    hang: null as ((url: URL, n: number) => boolean) | null,
    requests: [] as RecordedRequest[],
  };

  function listRecords(q: URLSearchParams, res: ServerResponse, fault: Fault | undefined) {
    let set: string;
    let from: string;
    let until: string;
    let offset: number;
    const token = q.get('resumptionToken');
    if (token !== null) {
      const parts = token.split('|');
      if (fault?.kind === 'bad-token' || parts.length !== 5 || Number(parts[0]) !== epoch) {
        return send(res, 200, oaiErrorPage('badResumptionToken', 'The resumptionToken supplied is illegal for this repository'));
      }
      [set, from, until] = [parts[1]!, parts[2]!, parts[3]!];
      offset = Number(parts[4]);
    } else {
      if (q.get('metadataPrefix') !== 'arXivRaw') return send(res, 200, oaiErrorPage('cannotDisseminateFormat', `${q.get('metadataPrefix')} is not supported`));
      [set, from, until, offset] = [q.get('set') ?? '', q.get('from') ?? '', q.get('until') ?? '', 0];
    }
    const matching = state.records.filter(
      (r) => (!set || r.setSpecs.some((s) => s === set || s.startsWith(set + ':'))) && (!from || r.datestamp >= from) && (!until || r.datestamp <= until),
    );
    if (matching.length === 0) {
      return send(
        res,
        200,
        oaiErrorPage('noRecordsMatch', 'The combination of the values of the from, until, set and metadataPrefix arguments results in an empty list.'),
      );
    }
    const slice = matching.slice(offset, offset + state.pageSize);
    const end = offset + slice.length;
    const rt =
      end < matching.length
        ? { value: `${epoch}|${set}|${from}|${until}|${end}`, cursor: offset, total: matching.length }
        : offset > 0
          ? { value: null, cursor: offset, total: matching.length }
          : undefined;
    let body = listRecordsPage(
      slice.map((r) => r.xml),
      rt,
    );
    if (fault?.kind === 'truncate') body = body.slice(0, Math.floor(body.length / 2));
    send(res, 200, body);
  }

  function apiQuery(q: URLSearchParams, res: ServerResponse) {
    const ids = (q.get('id_list') ?? '').split(',').filter(Boolean);
    const max = Number(q.get('max_results') ?? '10');
    const entries: string[] = [];
    for (const raw of ids.slice(0, max)) {
      const m = /^(.+?)(?:v(\d+))?$/.exec(raw)!;
      const p = state.apiPapers.get(m[1]!);
      if (!/^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?\/\d{7})(v\d+)?$/.test(raw)) entries.push(atomErrorEntry(raw));
      else if (p) entries.push(atomEntry(p));
    }
    send(res, 200, atomFeed(entries, `id_list=${ids.join(',')}`), 'application/atom+xml; charset=utf-8');
  }

  function send(res: ServerResponse, status: number, body: string, type = 'text/xml; charset=utf-8', headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': type, ...headers });
    res.end(body);
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const kind = url.pathname === '/oai' ? 'oai' : url.pathname === '/api/query' ? 'api' : 'other';
    const rec: RecordedRequest = { at: Date.now(), kind, url: req.url ?? '', userAgent: req.headers['user-agent'] ?? '', status: 200 };
    state.requests.push(rec);
    res.on('finish', () => (rec.status = res.statusCode));
    if (kind === 'api') return apiQuery(url.searchParams, res);
    if (kind !== 'oai') return send(res, 404, 'not found', 'text/plain');
    oaiCount++;
    const fault = state.faults.find((f) => f.onRequest === oaiCount);
    if (state.down !== null) return send(res, state.down, 'Service Unavailable', 'text/plain');
    if (state.hang?.(url, oaiCount)) return; // left open until the client is killed or the server closes
    if (fault?.kind === 'retry-after') return send(res, 503, 'Retry later', 'text/plain', { 'retry-after': String(fault.retryAfterSeconds ?? 1) });
    if (fault?.kind === 'error-500') return send(res, 500, 'Internal Server Error', 'text/plain');
    if (fault?.kind === 'reset') return req.socket.destroy();
    const q = url.searchParams;
    if (q.get('verb') === 'ListRecords') return listRecords(q, res, fault);
    if (q.get('verb') === 'GetRecord') {
      const id = (q.get('identifier') ?? '').replace(/^oai:arXiv\.org:/, '');
      const r = state.records.find((x) => x.id === id);
      if (!r) return send(res, 200, oaiErrorPage('idDoesNotExist', `Identifier '${q.get('identifier')}' does not correspond to an item`));
      return send(res, 200, listRecordsPage([r.xml]).replaceAll('ListRecords>', 'GetRecord>'));
    }
    send(res, 200, oaiErrorPage('badVerb', `Illegal verb ${q.get('verb')}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    oaiUrl: `${base}/oai`,
    apiUrl: `${base}/api/query`,
    expireTokens: () => void epoch++,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
