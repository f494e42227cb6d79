// The one HTML escaper, for every string we write into HTML or XML by hand: digests, the search
// API's highlighted summaries, the feeds' XML (web/feeds/xml.ts), the text around formulas
// (papers/math.ts, markdown/render.ts). JSX escapes on its own. The five characters that can end text or a quoted attribute (HTML Living Standard
// §13.1.4; XML 1.0 §2.4); the apostrophe as &#39;, which HTML and XML both read (&apos; is not in
// HTML 4, which old mail clients follow).
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
