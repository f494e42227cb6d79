// Types of bibtex-parse (it ships none): entries() gives each @entry with its fields in capitals.
declare module 'bibtex-parse' {
  const bibtexParse: {
    entries(text: string): Array<Record<string, unknown> & { key: string; type: string }>;
  };
  export default bibtexParse;
}
