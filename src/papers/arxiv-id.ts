// arXiv identifiers, old and new, and the URLs that carry them, normalised by one pure function.
// Schemes per https://info.arxiv.org/help/arxiv_identifier.html:
//   new (since 2007-04): YYMM.NNNN, and YYMM.NNNNN since 2015-01; optional vN
//   old: archive(.SUBJ-CLASS)?/YYMMNNN, e.g. hep-th/9901001, math.GT/0309136; optional vN

export interface ArxivId {
  /** Without version: the key papers are stored under. */
  id: string;
  /** Version number when the input named one. */
  version: number | null;
}

const NEW_ID = /^(\d{4})\.(\d{4,5})(?:v(\d+))?$/;
// Old ids may carry a subject class (math.GT/0309136); the paper's id proper is math/0309136.
const OLD_ID = /^([a-z-]+)(?:\.([A-Z]{2}))?\/(\d{7})(?:v(\d+))?$/;

/**
 * Parses an arXiv id or URL (`2405.15738`, `2405.15738v2`, `arXiv:2405.15738`, `hep-th/9901001`,
 * `https://arxiv.org/abs/2405.15738v2`, `https://arxiv.org/pdf/2405.15738.pdf`); null if it is none.
 */
export function parseArxivId(input: string): ArxivId | null {
  let s = input.trim();
  const url = /^(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html|format)\/(.+?)(?:\.pdf)?\/?(?:[?#].*)?$/i.exec(s);
  if (url) s = decodeURIComponent(url[1]!);
  s = s.replace(/^arxiv:/i, '');
  const m = NEW_ID.exec(s);
  if (m) {
    const month = Number(m[1]!.slice(2));
    if (month < 1 || month > 12) return null;
    // Five-digit numbers only exist from 2015 (1501) on; four-digit ones only before.
    if ((m[2]!.length === 5) !== m[1]! >= '1501') return null;
    return { id: `${m[1]}.${m[2]}`, version: m[3] ? Number(m[3]) : null };
  }
  const o = OLD_ID.exec(s);
  if (o) {
    const month = Number(o[3]!.slice(2, 4));
    if (month < 1 || month > 12) return null;
    return { id: `${o[1]}/${o[3]}`, version: o[4] ? Number(o[4]) : null };
  }
  return null;
}

/** Year and month an id was assigned, from its digits (YYMM): a fallback publication date. */
export function idMonth(id: string): string | null {
  const yymm = /^(\d{4})\./.exec(id)?.[1] ?? /\/(\d{4})\d{3}$/.exec(id)?.[1];
  if (!yymm) return null;
  const yy = Number(yymm.slice(0, 2));
  const year = yy >= 91 ? 1900 + yy : 2000 + yy;
  return `${year}-${yymm.slice(2)}`;
}
