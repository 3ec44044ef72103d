/** Lower case without diacritics ("Sodāmības" -> "sodamibas"), for search typed either way. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** The words of a search, folded; every one must occur. */
export function searchTerms(q: string): string[] {
  return fold(q).split(/[^\p{L}\p{N}_\[\]]+/u).filter((w) => w.length > 0).slice(0, 10);
}
