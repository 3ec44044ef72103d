import type { Lang } from './languagePack';
import { foldDiacritics, nfcLower } from './text';

/** Folded, lowercased, words separated by single spaces (punctuation dropped, "?" kept). */
function plain(text: string): string {
  return foldDiacritics(nfcLower(text)).replace(/[^\p{L}\p{N}?]+/gu, ' ').trim();
}

// polite openings and fillers before the question itself
const LEAD_LV = /^((sveiki|labdien|labrit|labvakar|cau|ludzu|atvainojiet|sakiet|pasakiet|ludzu pasakiet|gribeju pajautat|man ir jautajums|jautajums|es)\s+)+/;
const LEAD_EN = /^((hi|hello|hey|good (morning|afternoon|evening)|please|sorry|excuse me|quick question|question|i was wondering|tell me|so|ok|okay)\s+)+/;

const YES_NO_LV = /^vai\b/;
const VERB_FIRST_LV = /^(drikst|var|varu|varam|varat|vajag|vajadzes|jaiesniedz|jamaksa|jaierodas|jaatnak|ir|esat|stradajat|pienemat|izsniedzat|pietiek|der)\b/;
const ELLIPTIC_EN = /^(open|opened|closed|working|allowed|possible|available)\b/;
const YES_NO_EN = /^(can|could|may|might|is|are|am|was|were|do|does|did|should|shall|must|will|would|have|has|had|need i|is it|are you)\b/;

/** A question answered with yes or no: "Vai varu …?", "Can I …?" (after a greeting or "please"). */
export function isYesNoQuestion(text: string, lang: Lang): boolean {
  // the question may follow a sentence or a clause of its own: "I don't speak Latvian. Can I …?", "If you refuse, do you …?"
  // (a dash between clauses too: "I'm 15 - can my dad …?")
  const clauses = text.split(/[.!?,;:–—]+|\s-\s/).map(plain).filter(Boolean);
  if (lang === 'lv') {
    // "Drīkst filmēt?", "Var sūtīt pa pastu?": a verb first and a question mark
    const verbFirst = text.includes('?') && clauses.some((c) => VERB_FIRST_LV.test(c.replace(LEAD_LV, '')));
    return verbFirst || clauses.some((c) => YES_NO_LV.test(c.replace(LEAD_LV, ''))) || /\b(vai|ari) (var|drikst|vajag|jaiesniedz|jaierodas|ir|strada|pienem|jums|es|man|mans|mana|sieva|virs)\b/.test(plain(text));
  }
  // "open on fridays?", "closed tomorrow?": the verb left out, the question mark kept
  const elliptic = text.includes('?') && clauses.some((c) => ELLIPTIC_EN.test(c.replace(LEAD_EN, '')));
  return elliptic || clauses.some((c) => YES_NO_EN.test(c.replace(LEAD_EN, '')));
}

const QUESTION_LV = /^(ka|kur|kad|cik|kads|kada|kadi|kadas|kadu|kam|kas|kapec|kurs|kura|kuri|kuru|vai|ar ko|no ka|par ko)\b/;
const QUESTION_EN = /^(how|what|whats|where|wheres|when|which|who|whom|whose|why|can|could|may|is|are|do|does|did|should|must|will|would)\b/;

/** A question (rather than a statement of need): a question word first, or a question mark. */
export function isQuestion(text: string, lang: Lang): boolean {
  const s = plain(text);
  const body = s.replace(lang === 'lv' ? LEAD_LV : LEAD_EN, '');
  return text.trim().endsWith('?') || (lang === 'lv' ? QUESTION_LV : QUESTION_EN).test(body) || (QUESTION_LV.test(body) || QUESTION_EN.test(body));
}

/** "I need / I want / man vajag …": a stated need to get something. */
const NEED = /\b(i need|i d like|i would like|i want|i wish|i must get|i have to get|need to get|need to request|want to request|want to apply|would like to (get|request|apply|order)|help me (get|request|apply)|vajag|vajadzes|vajadzetu|nepieciesam\w*|gribu|gribetu|velos|veletos|jaizprasa|jadabu|japieprasa|pieprasisu|lugums)\b/;
export function statesNeed(text: string): boolean {
  return NEED.test(plain(text));
}

/** "… kā rīkoties?", "what should I do?": a need followed by a question that asks to be taken through it. */
const PROCEDURAL = /\b(ka rikoties|kas jadara|ko darit|ko man darit|kas man jadara|kadi ir soli|ar ko sakt|kur sakt|what should i do|what do i do|what do i need to do|how do i (go about|proceed|start)|how should i proceed|where do i start|what are the steps|walk me through)\b/;
export function asksToBeGuided(text: string): boolean {
  return PROCEDURAL.test(plain(text));
}

/**
 * An elliptical follow-up that continues the last topic: "un piektdien?", "and by post?",
 * "a arhīvā?", "what about for my son?", "bet pa faksu?". Short, and opened by a linking word.
 */
const FOLLOW_LV = /^(un|a|bet|o|nu un|ja|vai ari|un ja|bet ja|un ka ar|ka ar|bet ka ar|un par|un kur|un kad|un cik|un vai)\b/;
const FOLLOW_EN = /^(and|but|or|what about|how about|and what about|and if|what if|also|same for|and for|and on|and by|and at|and in)\b/;
export function isFollowUp(text: string, pronouns = true): boolean {
  const s = plain(text).replace(/\?/g, '').trim();
  const words = s.split(' ').filter(Boolean);
  if (words.length === 0 || words.length > 8) return false;
  return FOLLOW_LV.test(s) || FOLLOW_EN.test(s) || (pronouns && refersBack(text));
}

/** "how do I get it?", "kā to var dabūt?": a short question about something named before. */
const PRONOUN_EN = /\b(it|this|that|them|thing|stuff)\b/;
// "to" is also English: the Latvian pronouns count in a Latvian sentence only
const PRONOUN_LV = /\b(to|ta|tas|tam|tai|tos|so|sim)\b/;
const LATVIAN_WORDS = /\b(ka|kur|kad|var|vai|man|es|ko|kas|jus|ludzu|dabut|sanemt|iesniegt|izdarit|vajag)\b/;
const TOPIC_NOUN = /\b(izzin\w*|arhiv\w*|sodamib\w*|certificat\w*|archive|record|adres\w*|address|fax|faks\w*|hours|laik\w*|e-?past\w*|e-?mail|phone|talrun\w*|fee|maks\w*|pakalpojum\w*|services?)\b/;
/** Whether the message names a service, a document or a contact ("un arhīva izziņa?", "and by fax?"), not only a place or a day. */
export function namesTopic(text: string): boolean {
  return TOPIC_NOUN.test(plain(text));
}
/** "kādi dokumenti man vajadzīgi?", "what do I need to bring?": the papers for something the message does not name. */
const DOCUMENTS = /\b(dokument\w*|documents?|papers|paperwork|lidzi|janem\w*|bring)\b/;
export function asksForDocuments(text: string): boolean {
  const s = plain(text);
  return DOCUMENTS.test(s) && !TOPIC_NOUN.test(s) && s.split(' ').filter(Boolean).length <= 9;
}

export function refersBack(text: string): boolean {
  const s = plain(text).replace(/\?/g, '').trim();
  const words = s.split(' ').filter(Boolean);
  const pronoun = PRONOUN_EN.test(s) || (PRONOUN_LV.test(s) && LATVIAN_WORDS.test(s));
  return words.length > 0 && words.length <= 9 && pronoun && !TOPIC_NOUN.test(s);
}
