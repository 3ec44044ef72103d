// natural's stemmers index loads every language's stemmer (15 MB); this is the one we need.
declare module 'natural/lib/natural/stemmers/porter_stemmer' {
  const PorterStemmer: { stem(token: string): string };
  export = PorterStemmer;
}
