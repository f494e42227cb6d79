// PostgreSQL: each paper's tsvector also holds word pairs, the lexemes of two adjacent positions
// as one positionless lexeme with two spaces ('reason  model'), so that a "phrase" of common words
// is found by the index instead of by reading every paper that has all its words. GIN keeps no
// positions: `'reason' <-> 'model'` was answered by fetching each paper holding both lexemes (at a
// million papers, tens of thousands for two common words) and checking positions in its tsvector,
// 0.3 to 0.7 s. The pairs are what Elasticsearch's `index_phrases` indexes, for the same reason
// (decision 0020). Two spaces: the parser never puts a space in a lexeme, and the tags of migration
// 0010 have one.
//
// Only pairs of two COMMON lexemes are kept (the 500 in most papers of the real sample, frozen
// here): a phrase with a rarer word is cheap already, GIN intersects that word's shorter list, and
// every pair would cost more GIN work for keys that are each in a few papers. Papers written
// after this migration get their pairs in the background (below).
//
// A paper matching a phrase has every adjacent pair of the phrase's lexemes (positions one apart)
// among its pairs, so AND-ing the phrase's common pairs (paper_search_phrase_pairs, the same
// function on the phrase's own tsvector) with the tsquery narrows the candidates and never loses a
// match; the positions are still checked. Words a stop word separates (`state <3> art`) make no
// pair, on either side. The list must never change without rebuilding every paper's pairs.
//
// The rebuild reuses each stored tsvector (the tags and months stay, positionless lexemes make no
// pairs) into a new table swapped in, as 0010 did.
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * The 500 lexemes in most papers (english configuration, title and abstract) of the real sample in
 * ../shared/data (89,245 papers; the last is in 4.7% of them), most frequent first: `select word
 * from ts_stat('select to_tsvector(''english'', title || '' '' || abstract) from papers') order by
 * ndoc desc, word limit 500`. Frozen: the pairs stored and the pairs asked must agree.
 */
// biome-ignore format: a word list, kept dense
export const COMMON_LEXEMES = [
  'model', 'propos', 'base', 'perform', 'use', 'method', 'introduc', 'demonstr', 'languag', 'larg',
  'framework', 'across', 'generat', 'achiev', 'evalu', 'train', 'task', 'result', 'improv',
  'approach', 'exist', 'dataset', 'experi', 'learn', 'benchmark', 'show', 'effect', 'data',
  'challeng', 'howev', 'high', 'address', 'limit', 'state', 'enabl', 'provid', 'imag', 'signific',
  'specif', 'multi', 'consist', 'design', 'structur', 'two', 'work', 'effici', 'remain', 'often',
  'system', 'present', 'paper', 'art', 'enhanc', 'level', 'novel', 'requir', 'time', 'reason',
  'llms', 'inform', 'scale', 'code', 'accuraci', 'first', 'set', 'state-of-the-art', 'real',
  'process', 'comput', 'studi', 'extens', 'integr', 'outperform', 'qualiti', 'fine', 'optim',
  'adapt', 'via', 'compar', 'complex', 'general', 'capabl', 'robust', 'featur', 'align', 'divers',
  'llm', 'visual', 'baselin', 'human', 'represent', 'domain', 'without', 'includ', 'leverag',
  'avail', 'strategi', 'analysi', 'text', 'recent', 'semant', 'find', 'also', 'reduc', 'world',
  'dynam', 'direct', 'predict', 'multipl', 'differ', 'three', 'applic', 'object', 'yet', 'context',
  'awar', 'develop', 'advanc', 'infer', 'agent', 'architectur', 'singl', 'new', 'tune', 'reli',
  'vision', 'critic', 'increas', 'addit', 'make', 'strong', 'captur', 'support', 'condit',
  'mechan', 'detect', 'research', 'understand', 'knowledg', 'sourc', 'transform', 'gap', 'open',
  'key', 'identifi', 'valid', 'control', 'combin', 'current', 'real-world', 'prompt', 'guid',
  'github.com', 'offer', 'cross', 'problem', '1', 'prior', 'cost', 'preserv', 'interact', 'natur',
  'due', 'one', 'within', 'ground', '2', 'focus', 'construct', 'low', 'sampl', 'reveal', 'score',
  'practic', 'relat', 'fine-tun', 'test', 'reliabl', 'network', 'input', 'ai', 'token', 'pipelin',
  'supervis', 'scenario', 'local', 'lead', 'produc', 'select', 'target', 'space', 'attent',
  'potenti', 'explicit', 'substanti', 'distribut', 'standard', 'comprehens', 'encod', 'multimod',
  'highlight', 'long', 'paramet', 'step', 'appli', 'assess', 'observ', 'question', 'annot',
  'accur', 'output', 'explor', 'metric', 'maintain', 'deploy', 'video', 'modul', 'interpret',
  'depend', 'oper', 'extract', 'abil', 'particular', 'spatial', 'driven', 'lack', 'self', 'public',
  'like', 'toward', 'experiment', 'establish', 'systemat', 'util', 'stage', 'need', 'environ',
  'user', '3d', 'answer', 'final', 'end', 'paradigm', 'employ', 'behavior', 'fail', 'error',
  'signal', 'retriev', 'estim', 'diffus', 'non', 'modal', 'unifi', 'gain', 'augment', 'foundat',
  'precis', 'tempor', 'point', 'various', 'incorpor', 'match', 'progress', 'large-scal', 'well',
  'label', 'issu', 'solut', 'tool', 'map', 'decis', 'sever', 'refin', 'scalabl', 'ensur', 'yield',
  'furthermor', 'even', 'pair', 'rate', 'respons', 'deep', 'typic', 'build', 'exhibit', 'techniqu',
  'continu', 'measur', 'embed', 'promis', 'correct', 'mitig', 'resourc', 'free', 'repres',
  'content', 'global', 'grain', 'scene', 'pre', 'segment', 'rather', 'superior', 'emerg',
  'classif', 'pattern', 'struggl', 'four', 'compon', 'autom', 'similar', 'weight', 'function',
  'fine-grain', 'rang', 'reconstruct', 'constraint', 'import', '3', 'insight', 'algorithm',
  'reinforc', 'success', 'case', 'aim', 'futur', 'joint', 'degrad', 'loss', 'action', 'neural',
  'layer', 'detail', 'region', 'better', 'term', 'tradit', 'investig', 'relev', 'simul', 'allow',
  'shot', 'high-qual', 'posit', 'suggest', 'averag', 'wide', 'fundament', 'despit', 'view',
  'deriv', 'beyond', 'evid', 'lightweight', 'queri', 'trajectori', 'e.g', 'memori', 'fidel',
  'expert', 'may', 'full', 'type', 'zero', 'transfer', 'field', 'activ', 'whether', 'small',
  'second', 'empir', 'vision-languag', 'contrast', 'releas', 'synthet', 'polici', 'previous',
  'pose', 'face', 'analyz', 'power', 'form', 'contribut', 'sequenc', 'crucial', 'follow', 'best',
  'conduct', 'instruct', 'indic', 'extend', 'constrain', 'becom', 'bridg', 'share', 'refer',
  'decod', 'shift', 'frame', 'mani', 'close', 'iter', 'still', 'simpl', 'bias', 'overal', 'latent',
  'essenti', 'downstream', 'class', 'valu', 'inher', 'reward', 'size', 'per', 'minim', 'distinct',
  'chang', 'verifi', 'project', 'higher', 'pre-train', 'vari', 'intellig', 'competit', 'execut',
  'graph', 'creat', 'automat', 'collect', 'fix', 'span', 'common', 'complet', 'implement', 'nois',
  'autonom', 'pretrain', 'special', 'balanc', 'contain', 'core', 'separ', 'geometr', 'suffer',
  'role', 'open-sourc', 'failur', 'sensit', 'post', 'five', 'recognit', 'coher', 'clinic',
  'access', 'physic', 'moreov', 'mask', 'resolut', 'percept', 'updat', 'synthesi', 'mean',
  'number', 'among', 'origin', 'plan', 'adopt', 'report', 'given', 'machin', 'motion', 'individu',
  'therebi', 'altern', 'textual', 'safeti', 'serv', 'fulli', 'initi', 'spars', 'independ', 'chain',
  'search', 'risk', 'reflect', 'facilit', 'attribut', 'distil', 'caus', 'variat', 'fusion',
  'handl', 'correspond', 'medic', 'especi', 'order', 'dual', 'solv',
] as const;

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  // The list is a constant array in the body, so `= any` is a hash lookup (PostgreSQL 14+).
  const common = sql.raw(`'{${COMMON_LEXEMES.join(',')}}'::text[]`);
  await sql`create function paper_search_pairs(v tsvector) returns tsvector language sql immutable parallel safe as $$
      with x as (select lexeme, unnest(positions) as pos from unnest(v) where lexeme = any(${common}))
      select coalesce(array_to_tsvector(array_agg(distinct a.lexeme || '  ' || b.lexeme)), ''::tsvector)
      from x a join x b on b.pos = a.pos + 1
    $$`.execute(db);
  // The pairs of some phrases as a tsquery AND, quoted (backslash and quote escaped); null when
  // they make none (one word, or words apart).
  await sql`create function paper_search_phrase_pairs(phrases text[]) returns tsquery language sql immutable parallel safe as $$
      select string_agg('''' || replace(replace(x.lexeme, '\\', '\\\\'), '''', '\\''') || '''', ' & ')::tsquery
      from unnest(phrases) ph, unnest(paper_search_pairs(to_tsvector('english', ph))) x
    $$`.execute(db);
  // A paper written by the trigger (or reindex) gets its pairs later, in the background: the
  // trigger adds the tag lexeme 'pairs pending' instead (computing pairs and indexing them made a
  // PostgreSQL import about twice as slow), phrase queries accept it in place of the pairs (the
  // positions are checked either way), and paper_search_add_pairs() replaces it, a batch at a
  // time, after imports and every minute in `serve` (search/maintenance.ts).
  await sql`create or replace view paper_search_source as
    select p.id as paper_id, p.published_at,
      paper_search_tsv(p.title, p.authors, p.abstract)
        || paper_search_tags(p.categories, p.code_url, p.published_at, fe.paper_id is not null)
        || array_to_tsvector('{pairs pending}') as tsv
    from papers p left join featured fe on fe.paper_id = p.id`.execute(db);
  await sql`create function paper_search_add_pairs(n int) returns int language sql as $$
      with todo as (select paper_id from paper_search where tsv @@ '''pairs pending'''::tsquery limit n for update skip locked),
      done as (update paper_search s set tsv = ts_delete(s.tsv, 'pairs pending'::text) || paper_search_pairs(s.tsv)
        from todo where s.paper_id = todo.paper_id returning 1)
      select count(*)::int from done
    $$`.execute(db);

  await sql`create table paper_search_new as select paper_id, published_at, tsv || paper_search_pairs(tsv) as tsv from paper_search`.execute(db);
  await sql`drop table paper_search`.execute(db);
  await sql`alter table paper_search_new rename to paper_search`.execute(db);
  await sql`alter table paper_search alter column paper_id set not null, alter column tsv set not null,
    add primary key (paper_id), add foreign key (paper_id) references papers(id) on delete cascade`.execute(db);
  await sql`set local maintenance_work_mem = '512MB'`.execute(db);
  await sql`create index paper_search_tsv_gin on paper_search using gin (tsv)`.execute(db);
  await sql`analyze paper_search`.execute(db);
}
