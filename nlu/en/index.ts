// Import natural's parts directly: the package root pulls in ESM-only and database modules.
import PorterStemmer = require('natural/lib/natural/stemmers/porter_stemmer');
import type { LanguagePack } from '../languagePack';
import { nfcLower } from '../text';
import { expandContractions } from './contractions';

const STOPWORDS = [
  'damn', 'bloody', 'thing', 'stuff', 'a', 'an', 'the', 'and', 'or', 'of', 'to', 'in', 'on', 'at', 'for', 'with', 'by', 'from', 'is', 'are', 'was', 'be',
  'i', 'me', 'my', 'we', 'you', 'your', 'it', 'this', 'that', 'do', 'does', 'can', 'could', 'would', 'will', 'please',
  'hi', 'hello', 'what', 'where', 'when', 'how', 'which', 'who', 'want', 'need', 'like', 'have', 'has', 'get', 'there',
  'about', 'tell', 'just', 'so', 'am', 'some', 'any', 'not', 'if', 'once', 'already', 'still', 'also', 'really', 'actually', 'anyway',
  'handle', 'arrange', 'sort', 'manage',
  'exactly', 'precisely',
  // "what is a staff member supposed to do …?": a must, said politely
  'supposed', 'meant', 'after',
];

/** The Centre's full name says "the Centre" (see the Latvian pack). */
function centreName(text: string): string {
  return text
    .replace(/\binformation\s+cent(?:re|er)\s+of\s+the\s+(?:latvian\s+)?ministry\s+of\s+(?:the\s+)?interior\b/g, 'centre')
    .replace(/\b(?:(?:latvian\s+)?ministry\s+of\s+(?:the\s+)?interior|interior\s+ministry)(?:'s|s)?\s+information\s+cent(?:re|er)\b/g, 'centre')
    .replace(/\binformation\s+cent(?:re|er)\b/g, 'centre');
}

/** "a staff member", "members of staff": the standard says "staff" (darbinieks). */
function staffWords(text: string): string {
  return text.replace(/\b(?:staff\s+members?|members?\s+of\s+(?:the\s+)?staff)\b/g, 'staff');
}

export const english: LanguagePack = {
  code: 'en',
  normalize: (text) => staffWords(centreName(expandContractions(nfcLower(text)))),
  stem: (token) => PorterStemmer.stem(token),
  stopwords: new Set(STOPWORDS),
};
