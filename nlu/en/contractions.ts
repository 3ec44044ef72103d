const RULES: Array<[RegExp, string]> = [
  [/\bcan['’]?t\b/g, 'can not'],
  [/\bwon['’]t\b/g, 'will not'],
  [/\b(\w+)n['’]t\b/g, '$1 not'],
  [/\b(i|you|we|they)['’]re\b/g, '$1 are'],
  [/\b(i|you|we|they|he|she|it)['’]ll\b/g, '$1 will'],
  [/\b(i|you|we|they)['’]ve\b/g, '$1 have'],
  [/\b(i|you|we|they|he|she)['’]d\b/g, '$1 would'],
  [/\bi['’]m\b/g, 'i am'],
  [/\b(what|where|who|how|when|that|it|there|here)['’]s\b/g, '$1 is'],
  [/['’]s\b/g, ''],
];

/** Expands English contractions so "what's" and "what is" meet; input is lowercased. */
export function expandContractions(text: string): string {
  let out = text;
  for (const [re, rep] of RULES) out = out.replace(re, rep);
  // "dont" typed without the apostrophe: split the negation off so "do" and "not" are features
  return out.replace(/\b(do|does|did|is|are|was|have|has|would|should|could)nt\b/g, '$1 not');
}
