/** A channel-neutral answer: dialogs build it, bot/render turns it into activities per channel. */
export interface Choice {
  title: string;
  /** What the assistant does when the choice is taken: an intent, or a guide's own value. */
  value: string;
}

export interface Answer {
  text: string;
  title?: string;
  /** Label/value pairs such as weekday and hours. */
  facts?: Array<{ title: string; value: string }>;
  /** Unordered facts. */
  items?: string[];
  /** Ordered steps, with an optional heading. */
  steps?: string[];
  stepsTitle?: string;
  note?: string;
  links?: Array<{ title: string; url: string }>;
  choices?: Choice[];
  /** Text shown above the choices when they are rendered as a list. */
  choicesLead?: string;
  /** Titled lists, e.g. "what to bring" and "rules for your case". */
  sections?: Array<{ title: string; items: string[] }>;
  /** Shown as a card where the channel can (a checklist); as text elsewhere. */
  card?: boolean;
  /** Where the answer came from, for transcripts (never shown). */
  provenance?: { topic: string; facts: string[]; sections: string[] };
}
