// arXiv category filters, as the harvest, /papers/new and follows read them: a filter names a
// category (`cs.LG`) or a whole archive (`math`, every `math.*`); `-cs.CV` excludes.

/** Whether a category falls under a filter entry: the category itself, or its archive. */
export const underCategory = (category: string, entry: string) => category === entry || category.startsWith(`${entry}.`);

/** Whether any of the categories falls under any of the entries. */
export const inCategories = (categories: readonly string[], entries: readonly string[]) => categories.some((c) => entries.some((e) => underCategory(c, e)));

export interface CategoryFilter {
  include: string[];
  exclude: string[];
  /**
   * Whether papers without categories match (imports that carry none, such as Hugging Face daily
   * papers): yes for the instance's own categories, the default view, since nothing says such a
   * paper is outside them; no when a reader named categories.
   */
  uncategorized?: boolean;
}

const CATEGORY = /^[a-z-]+(\.[A-Za-z-]+)?$/;

/**
 * `cs.LG`, `-cs.CV` values (repeated `cat` parameters, or one space- or comma-separated string)
 * as a filter; null names the first value that is not a category.
 */
export function parseCategoryFilter(values: readonly string[]): { ok: true; filter: CategoryFilter } | { ok: false; error: string } {
  const include: string[] = [];
  const exclude: string[] = [];
  for (const raw of values.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean)) {
    const negative = raw.startsWith('-');
    const name = negative ? raw.slice(1) : raw;
    if (!CATEGORY.test(name) || name.length > 40)
      return {
        ok: false,
        error: `'${raw.slice(0, 40)}' is not an arXiv category like cs.LG, an archive like math, or one with a minus to exclude it (-cs.CV)`,
      };
    const list = negative ? exclude : include;
    if (!list.includes(name)) list.push(name);
  }
  return { ok: true, filter: { include, exclude } };
}

/** The filter as it is written in a URL's `cat` parameters and remembered: `cs.LG -cs.CV`. */
export const formatCategoryFilter = (f: CategoryFilter) => [...f.include, ...f.exclude.map((c) => `-${c}`)].join(' ');
