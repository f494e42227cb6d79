// PostgreSQL's frequent statements prepared once per connection. node-postgres sends every query
// unnamed by default, so the server parses and plans it on every call: under the cluster benchmark
// planning took 40% of the statements' time in the database (pg_stat_statements), four times the
// execution of a paper's primary-key read. A named statement is parsed once per connection, and
// after five executions PostgreSQL keeps a generic plan when it costs no more than the custom ones.
//
// Left unnamed, and planned with their parameters each time:
// - full-text and vector searches, whose best plan depends on what the query matches;
// - statements with no parameters (DDL, migrations) or many (long `in` lists: each length would
//   be one more statement kept on every connection);
// - everything once a connection holds MAX_PER_CONNECTION statements.
// A statement prepared before another instance changed the schema can fail with "cached plan must
// not change result type": the connection then stops naming statements and the query is sent
// again unnamed (inside a transaction the transaction has failed already, and the error stands).
import { createHash } from 'node:crypto';
import pg from 'pg';

const PLANNED_EACH_TIME = /@@|<=>|<->|<#>|tsquery|tsvector|::vector/;
const MAX_PARAMETERS = 24;
const MAX_PER_CONNECTION = 400;
const MAX_TEXT = 8_000;

/** The name a statement is prepared under, or null to send it unnamed. */
export function statementName(text: string, parameters: number): string | null {
  if (parameters === 0 || parameters > MAX_PARAMETERS || text.length > MAX_TEXT || PLANNED_EACH_TIME.test(text)) return null;
  return `dp_${createHash('sha1').update(text).digest('base64url')}`;
}

type Callback = (err: Error, result: pg.QueryResult) => void;

/** A pg client (for pg.Pool's `Client` option) that prepares frequent statements by name. */
export class PreparingClient extends pg.Client {
  private readonly named = new Set<string>();
  private naming = true;

  // biome-ignore lint/suspicious/noExplicitAny: pg's query() has a dozen overloads; this forwards them all
  override query(config: any, values?: any, callback?: any): any {
    if (!this.naming || typeof config !== 'string' || !Array.isArray(values) || typeof callback === 'function')
      return super.query(config, values, callback as Callback);
    const name = statementName(config, values.length);
    if (!name || (!this.named.has(name) && this.named.size >= MAX_PER_CONNECTION)) return super.query(config, values);
    this.named.add(name);
    return (super.query({ name, text: config, values }) as Promise<pg.QueryResult>).catch((e: { code?: string; message?: string }) => {
      if (e.code !== '0A000' || !e.message?.includes('cached plan')) throw e;
      this.naming = false;
      return super.query(config, values);
    });
  }
}
