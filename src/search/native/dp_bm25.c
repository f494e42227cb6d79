/*
** dp_bm25: FTS5's bm25() with the inverse document frequencies given by the caller.
**
** FTS5's own bm25() computes each phrase's IDF at the start of every query by running the phrase
** over the whole table (xQueryPhrase, a callback per matching row): for a word in 800k of a
** million papers that is tens of milliseconds, paid again by every search, and at a million
** papers it was most of the time of a query of common words (docs/decisions/0010). The search
** service knows the document frequencies (it counts a term once and keeps the count), so here
** they come in as arguments and the rest is bm25() as sqlite/ext/fts5/fts5_aux.c computes it:
**
**   dp_bm25(fts, w_0, ..., w_{nCol-1}, idf_0, ..., idf_{nPhrase-1})
**
** w_i weighs column i (as bm25's arguments do), idf_j is phrase j's IDF (0 leaves it out).
** Built by scripts/build-native.mjs against better-sqlite3's own SQLite headers; loaded by
** src/db/connect.ts. Without it the service uses bm25() (same order, slower).
**
** dp_terms(text): the terms FTS5 indexes for `text`, space-separated, as papers_fts's tokenizer
** ('porter unicode61 remove_diacritics 2', migration 0008) makes them of a query: "Models" is
** "model". The search service looks a word's document frequency up by its term in a table it
** reads once from fts5vocab (term-stats.ts), rather than counting the word's papers.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1
#include <string.h>
#include <time.h>

/*
** Every row's length in tokens (all columns), read from papers_fts_docsize in one pass and kept
** by the connection. FTS5's xColumnSize reads a row's length with a statement of its own, about
** 1.5 us a row: at a million papers, a third of the time of ranking the 3,000 candidates of most
** of the words. The lengths are those of the index whose structure record (papers_fts_data, id
** 10) they were read under: any committed write to the index changes that record (a new segment,
** a merge), and a statement that finds it changed reads them again, at most once every
** RELOAD_SECONDS (a failed read too); until then it asks xColumnSize, so lengths are never stale.
*/
#define RELOAD_SECONDS 60

typedef struct DocLens {
  sqlite3 *db;
  sqlite3_stmt *pStruct; /* the index's structure record */
  sqlite3_int64 *aRowid; /* ascending */
  int *aLen;
  int n;
  unsigned char *aKey; /* the structure record the lengths were read under */
  int nKey;
  time_t loadedAt;
} DocLens;

static void docLensFree(void *p) {
  DocLens *d = (DocLens *)p;
  sqlite3_finalize(d->pStruct);
  sqlite3_free(d->aRowid);
  sqlite3_free(d->aLen);
  sqlite3_free(d->aKey);
  sqlite3_free(d);
}

/* Reads every row's length; 1 when done. */
static int docLensLoad(DocLens *d) {
  sqlite3_stmt *s = 0;
  int n = 0, cap = 0, rc;
  sqlite3_int64 *aRowid = 0;
  int *aLen = 0;
  if (sqlite3_prepare_v2(d->db, "SELECT id, sz FROM main.papers_fts_docsize ORDER BY id", -1, &s, 0) != SQLITE_OK) return 0;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    const unsigned char *z = (const unsigned char *)sqlite3_column_blob(s, 1);
    int nz = sqlite3_column_bytes(s, 1), i = 0, len = 0;
    if (n == cap) {
      int c = cap ? cap * 2 : 1024;
      sqlite3_int64 *r = (sqlite3_int64 *)sqlite3_realloc64(aRowid, sizeof(sqlite3_int64) * (sqlite3_uint64)c);
      int *l = r ? (int *)sqlite3_realloc64(aLen, sizeof(int) * (sqlite3_uint64)c) : 0;
      if (r) aRowid = r;
      if (l == 0) { rc = SQLITE_NOMEM; break; }
      aLen = l;
      cap = c;
    }
    /* One varint a column (SQLite's varint; lengths fit in 28 bits). */
    while (i < nz) {
      int v = 0;
      while (i < nz && (z[i] & 0x80)) v = (v << 7) | (z[i++] & 0x7f);
      if (i < nz) v = (v << 7) | z[i++];
      len += v;
    }
    aRowid[n] = sqlite3_column_int64(s, 0);
    aLen[n++] = len;
  }
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) { sqlite3_free(aRowid); sqlite3_free(aLen); return 0; }
  sqlite3_free(d->aRowid);
  sqlite3_free(d->aLen);
  d->aRowid = aRowid;
  d->aLen = aLen;
  d->n = n;
  return 1;
}

/* 1 when `d` holds the lengths of the index as this statement sees it, read again if need be. */
static int docLensCurrent(DocLens *d) {
  const void *key;
  int nKey, ok = 0;
  if (d->pStruct == 0 && sqlite3_prepare_v3(d->db, "SELECT block FROM main.papers_fts_data WHERE id = 10", -1, SQLITE_PREPARE_PERSISTENT, &d->pStruct, 0) != SQLITE_OK) return 0;
  if (sqlite3_step(d->pStruct) == SQLITE_ROW) {
    key = sqlite3_column_blob(d->pStruct, 0);
    nKey = sqlite3_column_bytes(d->pStruct, 0);
    if (d->aKey && nKey == d->nKey && memcmp(key, d->aKey, (size_t)nKey) == 0) {
      ok = 1;
    } else if (d->loadedAt == 0 || time(0) - d->loadedAt >= RELOAD_SECONDS) {
      unsigned char *copy = (unsigned char *)sqlite3_malloc(nKey > 0 ? nKey : 1);
      if (copy) {
        memcpy(copy, key, (size_t)nKey);
        d->loadedAt = time(0);
        sqlite3_free(d->aKey);
        d->aKey = 0;
        if (docLensLoad(d)) {
          d->aKey = copy;
          d->nKey = nKey;
          ok = 1;
        } else sqlite3_free(copy);
      }
    }
  }
  sqlite3_reset(d->pStruct);
  return ok;
}

/* The length of row `rowid`, or -1 when `d` does not have it. */
static int docLen(const DocLens *d, sqlite3_int64 rowid) {
  int lo = 0, hi = d->n - 1;
  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2;
    if (d->aRowid[mid] < rowid) lo = mid + 1;
    else if (d->aRowid[mid] > rowid) hi = mid - 1;
    else return d->aLen[mid];
  }
  return -1;
}

typedef struct Bm25Data {
  double avgdl; /* average tokens a row, over every column */
  int nPhrase;
  const DocLens *lens; /* the rows' lengths, when current for this statement */
} Bm25Data;

static void dpBm25Free(void *p) { sqlite3_free(p); }

static void dpBm25(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx, int nVal, sqlite3_value **apVal) {
  const double k1 = 1.2;
  const double b = 0.75;
  int rc = SQLITE_OK;
  int nCol = pApi->xColumnCount(pFts);
  Bm25Data *pData = (Bm25Data *)pApi->xGetAuxdata(pFts, 0);
  int i, nTok = -1;
  double score = 0.0, D = 0.0;

  if (pData == 0) {
    sqlite3_int64 nRow = 0, nToken = 0;
    int nPhrase = pApi->xPhraseCount(pFts);
    pData = (Bm25Data *)sqlite3_malloc64(sizeof(Bm25Data));
    if (pData == 0) { sqlite3_result_error_nomem(pCtx); return; }
    memset(pData, 0, sizeof(Bm25Data));
    pData->nPhrase = nPhrase;
    rc = pApi->xRowCount(pFts, &nRow);
    if (rc == SQLITE_OK) rc = pApi->xColumnTotalSize(pFts, -1, &nToken);
    if (rc == SQLITE_OK) {
      pData->avgdl = nRow > 0 ? (double)nToken / (double)nRow : 1.0;
      if (pData->avgdl <= 0.0) pData->avgdl = 1.0;
      /* The kept lengths are papers_fts's, the one table dp_bm25 ranks. (Its row count cannot
      ** tell: FTS5 counts a contentless_delete table's rows up on insert but not down on delete.) */
      {
        DocLens *d = (DocLens *)pApi->xUserData(pFts);
        if (d && docLensCurrent(d)) pData->lens = d;
      }
      rc = pApi->xSetAuxdata(pFts, pData, dpBm25Free);
    } else {
      sqlite3_free(pData);
    }
    if (rc != SQLITE_OK) { sqlite3_result_error_code(pCtx, rc); return; }
  }

  /* Each ranked phrase's weighted frequency, read from its own position list (xPhraseFirst):
  ** xInst would merge every phrase's positions into one sorted list first, those of the phrases
  ** that do not rank (IDF 0: required words, tags, exclusions) included. */
  for (i = 0; rc == SQLITE_OK && i < pData->nPhrase; i++) {
    double idf = (nCol + i < nVal) ? sqlite3_value_double(apVal[nCol + i]) : 0.0;
    double f = 0.0;
    Fts5PhraseIter it;
    int ic = -1, io = 0;
    if (idf == 0.0) continue;
    for (rc = pApi->xPhraseFirst(pFts, i, &it, &ic, &io); rc == SQLITE_OK && ic >= 0; pApi->xPhraseNext(pFts, &it, &ic, &io)) {
      f += ic < nVal ? sqlite3_value_double(apVal[ic]) : 1.0; /* apVal starts after the table */
    }
    if (rc == SQLITE_OK && f > 0.0) {
      if (nTok < 0) {
        if (pData->lens) nTok = docLen(pData->lens, pApi->xRowid(pFts));
        if (nTok < 0) rc = pApi->xColumnSize(pFts, -1, &nTok);
        D = (double)nTok;
      }
      if (rc == SQLITE_OK) score += idf * ((f * (k1 + 1.0)) / (f + k1 * (1 - b + b * D / pData->avgdl)));
    }
  }
  if (rc != SQLITE_OK) { sqlite3_result_error_code(pCtx, rc); return; }
  sqlite3_result_double(pCtx, -1.0 * score);
}

/* The table's tokenizer, created once a connection. */
typedef struct Terms {
  fts5_tokenizer tok;
  Fts5Tokenizer *p;
} Terms;

typedef struct TermBuf {
  char *z;
  sqlite3_int64 n, cap;
  int rc;
} TermBuf;

static int termsCollect(void *pCtx, int tflags, const char *pToken, int nToken, int iStart, int iEnd) {
  TermBuf *b = (TermBuf *)pCtx;
  (void)iStart;
  (void)iEnd;
  if (tflags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
  if (b->n + nToken + 2 > b->cap) {
    sqlite3_int64 cap = (b->cap ? b->cap * 2 : 64) + nToken + 2;
    char *z = (char *)sqlite3_realloc64(b->z, cap);
    if (z == 0) return SQLITE_NOMEM;
    b->z = z;
    b->cap = cap;
  }
  if (b->n > 0) b->z[b->n++] = ' ';
  memcpy(b->z + b->n, pToken, nToken);
  b->n += nToken;
  return SQLITE_OK;
}

static void dpTerms(sqlite3_context *pCtx, int nVal, sqlite3_value **apVal) {
  Terms *t = (Terms *)sqlite3_user_data(pCtx);
  const char *z;
  int n, rc;
  TermBuf b = {0, 0, 0, 0};
  (void)nVal;
  z = (const char *)sqlite3_value_text(apVal[0]);
  if (z == 0) { sqlite3_result_null(pCtx); return; }
  n = sqlite3_value_bytes(apVal[0]);
  rc = t->tok.xTokenize(t->p, (void *)&b, FTS5_TOKENIZE_QUERY, z, n, termsCollect);
  if (rc != SQLITE_OK) { sqlite3_free(b.z); sqlite3_result_error_code(pCtx, rc); return; }
  if (b.z == 0) { sqlite3_result_text(pCtx, "", 0, SQLITE_STATIC); return; }
  sqlite3_result_text64(pCtx, b.z, (sqlite3_uint64)b.n, sqlite3_free, SQLITE_UTF8);
}

static void termsFree(void *p) {
  Terms *t = (Terms *)p;
  if (t->p) t->tok.xDelete(t->p);
  sqlite3_free(t);
}

/* dp_terms, with the tokenizer papers_fts is created with. */
static int createTerms(sqlite3 *db, fts5_api *fts, char **pzErrMsg) {
  const char *azArg[] = {"unicode61", "remove_diacritics", "2"};
  void *pUser = 0;
  int rc;
  Terms *t = (Terms *)sqlite3_malloc(sizeof(Terms));
  if (t == 0) return SQLITE_NOMEM;
  memset(t, 0, sizeof(Terms));
  rc = fts->xFindTokenizer(fts, "porter", &pUser, &t->tok);
  if (rc == SQLITE_OK) rc = t->tok.xCreate(pUser, azArg, 3, &t->p);
  if (rc != SQLITE_OK) {
    sqlite3_free(t);
    *pzErrMsg = sqlite3_mprintf("dp_terms: FTS5's porter tokenizer not found");
    return rc;
  }
  return sqlite3_create_function_v2(db, "dp_terms", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, t, dpTerms, 0, 0, termsFree);
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_dpbm_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  fts5_api *fts = 0;
  sqlite3_stmt *stmt = 0;
  DocLens *lens;
  SQLITE_EXTENSION_INIT2(pApi);
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, 0) != SQLITE_OK) {
    *pzErrMsg = sqlite3_mprintf("dp_bm25: this SQLite has no FTS5");
    return SQLITE_ERROR;
  }
  sqlite3_bind_pointer(stmt, 1, (void *)&fts, "fts5_api_ptr", 0);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (fts == 0 || fts->iVersion < 2) {
    *pzErrMsg = sqlite3_mprintf("dp_bm25: FTS5 API not found");
    return SQLITE_ERROR;
  }
  lens = (DocLens *)sqlite3_malloc(sizeof(DocLens));
  if (lens == 0) return SQLITE_NOMEM;
  memset(lens, 0, sizeof(DocLens));
  lens->db = db;
  if (fts->xCreateFunction(fts, "dp_bm25", lens, dpBm25, docLensFree) != SQLITE_OK) {
    *pzErrMsg = sqlite3_mprintf("dp_bm25: could not register the function");
    return SQLITE_ERROR;
  }
  return createTerms(db, fts, pzErrMsg);
}
