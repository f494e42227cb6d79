// The little XML our feeds need: escaped text and attributes, and dates in the two formats the
// feed specifications require. Writing XML is this simple only because every value goes through
// `text()`: nothing else may reach the output unescaped.
import { escapeHtml } from '../../papers/html.js';

/**
 * Characters XML 1.0 does not allow at all, even escaped (XML 1.0 §2.2 Char): the C0 controls
 * other than tab, newline and carriage return, lone surrogates, and U+FFFE/U+FFFF. arXiv
 * abstracts do carry form feeds and stray control bytes; one would make the whole feed unreadable.
 */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text content or an attribute value (quoted with "), escaped. */
export function text(s: string): string {
  return escapeHtml(s.replace(NOT_XML, ''));
}

/** `<name attr="v">escaped text</name>`, or nothing for an absent value. */
export function el(name: string, value: string | null | undefined, attrs: Record<string, string> = {}): string {
  if (value === null || value === undefined) return '';
  return `<${name}${attributes(attrs)}>${text(value)}</${name}>`;
}

/** An empty element: `<link href="..."/>`. */
export function empty(name: string, attrs: Record<string, string>): string {
  return `<${name}${attributes(attrs)}/>`;
}

function attributes(attrs: Record<string, string>): string {
  return Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${text(v)}"`)
    .join('');
}

/**
 * RSS 2.0 dates are RFC 822 date-times (RSS 2.0 spec, "Elements of <item>"), with the four-digit
 * year RFC 1123 §5.2.14 allows: `Tue, 07 Jan 2025 04:12:00 GMT`, which is what toUTCString gives.
 */
export function rfc822(iso: string): string {
  return new Date(iso).toUTCString();
}

/** Atom dates are RFC 3339 date-times (RFC 4287 §3.3): `2025-01-07T04:12:00.000Z`. */
export function rfc3339(iso: string): string {
  return new Date(iso).toISOString();
}
