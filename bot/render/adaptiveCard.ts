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
  if (answer.steps?.length) {
    if (answer.stepsTitle) body.push(text(answer.stepsTitle, { weight: 'Bolder', spacing: 'Medium' }));
    answer.steps.forEach((step, i) => body.push(text(`${i + 1}. ${step}`, { spacing: 'Small' })));
  }
  for (const section of answer.sections ?? []) {
    body.push(text(section.title, { weight: 'Bolder', spacing: 'Medium' }));
    section.items.forEach((item) => body.push(text(`• ${item}`, { spacing: 'Small' })));
  }
  if (answer.items?.length) answer.items.forEach((item) => body.push(text(`• ${item}`, { spacing: 'Small' })));
  if (answer.facts?.length) {
    body.push({ type: 'FactSet', spacing: 'Medium', facts: answer.facts.map((f) => ({ title: f.title, value: f.value })) });
  }
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
