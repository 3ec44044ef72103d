import type { Answer } from '../answer';

type Element = Record<string, unknown>;

const text = (value: string, extra: Element = {}): Element => ({ type: 'TextBlock', text: value, wrap: true, ...extra });

/**
 * An answer as an Adaptive Card (schema 1.5: Web Chat and Teams). The same content as the text
 * rendering; `fallbackText` carries it for clients that cannot draw the card.
 */
export function adaptiveCard(answer: Answer, fallbackText: string, options: { choicesAsButtons: boolean }): Element {
  const body: Element[] = [];
  if (answer.title) body.push(text(answer.title, { weight: 'Bolder', size: 'Medium', style: 'heading' }));
  body.push(text(answer.text));
  // A list is one TextBlock of markdown lines: one block per item would restart the numbering at 1.
  if (answer.steps?.length) {
    if (answer.stepsTitle) body.push(text(answer.stepsTitle, { weight: 'Bolder', spacing: 'Medium' }));
    body.push(text(answer.steps.map((step, i) => `${i + 1}. ${step}`).join('\r'), { spacing: 'Small' }));
  }
  for (const section of answer.sections ?? []) {
    body.push(text(section.title, { weight: 'Bolder', spacing: 'Medium' }));
    body.push(text(section.items.map((item) => `- ${item}`).join('\r'), { spacing: 'Small' }));
  }
  if (answer.items?.length) body.push(text(answer.items.map((item) => `- ${item}`).join('\r'), { spacing: 'Small' }));
  // "**Title:** value" lines rather than a FactSet: a FactSet squeezes its titles into a narrow
  // column on a phone ("Pieņe-mšanas laiks")
  for (const [i, f] of (answer.facts ?? []).entries()) body.push(text(`**${f.title}:** ${f.value}`, { spacing: i === 0 ? 'Medium' : 'Small' }));
  if (answer.note) body.push(text(answer.note, { isSubtle: true, spacing: 'Medium' }));
  const actions: Element[] = (answer.links ?? []).map((l) => ({ type: 'Action.OpenUrl', title: l.title, url: l.url }));
  if (options.choicesAsButtons) {
    // Teams: imBack through the card, so a click reads like the user typed the title
    for (const c of answer.choices ?? []) actions.push({ type: 'Action.Submit', title: c.title, data: { msteams: { type: 'imBack', value: c.title } } });
  }
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    fallbackText,
    body,
    ...(actions.length ? { actions } : {}),
  };
}
