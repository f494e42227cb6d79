// Types of the parts of Citation.js the tests use (it ships none): a Cite reads BibTeX, RIS or
// CSL-JSON (with its plugins loaded) into CSL-JSON items.
declare module '@citation-js/core' {
  export class Cite {
    constructor(data: unknown, options?: Record<string, unknown>);
    data: Array<Record<string, any>>;
    format(format: string, options?: Record<string, unknown>): string;
  }
}
declare module '@citation-js/plugin-bibtex';
declare module '@citation-js/plugin-ris';
