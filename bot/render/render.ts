import { ActionTypes, CardFactory, type Activity, type CardAction } from 'botbuilder';
import type { Answer } from '../answer';
import { adaptiveCard } from './adaptiveCard';
import { channelProfile } from './channels';

function bold(text: string, markdown: boolean): string {
  return markdown ? `**${text}**` : text;
}

function shorten(title: string, max: number): string {
  return title.length <= max ? title : `${title.slice(0, max - 1)}…`;
}

/** The answer as text in the channel's format; choices are listed only where no buttons show. */
export function answerText(answer: Answer, markdown: boolean, numberedChoices: boolean): string {
  const blocks: string[] = [];
  if (answer.title) blocks.push(bold(answer.title, markdown));
  blocks.push(answer.text);
  const bullet = markdown ? '-' : '•';
  if (answer.facts?.length) blocks.push(answer.facts.map((f) => `${bullet} ${bold(`${f.title}:`, markdown)} ${f.value}`).join('\n'));
  if (answer.items?.length) blocks.push(answer.items.map((i) => `${bullet} ${i}`).join('\n'));
  if (answer.steps?.length) {
    const heading = answer.stepsTitle ? `${bold(answer.stepsTitle, markdown)}\n` : '';
    blocks.push(heading + answer.steps.map((s, n) => `${n + 1}. ${s}`).join('\n'));
  }
  for (const section of answer.sections ?? []) {
    blocks.push(`${bold(section.title, markdown)}\n${section.items.map((i) => `${bullet} ${i}`).join('\n')}`);
  }
  if (answer.note) blocks.push(answer.note);
  if (answer.links?.length) {
    blocks.push(answer.links.map((l) => (markdown ? `[${l.title}](${l.url})` : `${l.title}: ${l.url}`)).join('\n'));
  }
  if (numberedChoices && answer.choices?.length) {
    const lead = answer.choicesLead ? `${answer.choicesLead}\n` : '';
    // short ones ("1".."5", "Izlaist") on one line; longer ones numbered, so a number answers them
    const short = answer.choices.every((c) => c.title.length <= 8);
    blocks.push(lead + (short ? answer.choices.map((c) => c.title).join(' | ') : answer.choices.map((c, n) => `${n + 1}. ${c.title}`).join('\n')));
  }
  return blocks.join('\n\n');
}

/** One channel-neutral answer to the activity the channel shows best. */
export function renderAnswer(answer: Answer, channelId: string | undefined): Partial<Activity> {
  const profile = channelProfile(channelId);
  const buttons = profile.suggestedActions || profile.heroButtons;
  const choices = answer.choices ?? [];
  if (answer.card && profile.adaptiveCards) {
    const card = adaptiveCard(answer, answerText(answer, false, false), { choicesAsButtons: profile.heroButtons });
    const activity: Partial<Activity> = { type: 'message', attachments: [CardFactory.adaptiveCard(card)] };
    if (profile.suggestedActions && choices.length) {
      activity.suggestedActions = { actions: choices.map((c) => ({ type: ActionTypes.ImBack, title: shorten(c.title, profile.maxButtonTitle), value: c.title })), to: [] };
    }
    return activity;
  }
  const activity: Partial<Activity> = {
    type: 'message',
    text: answerText(answer, profile.markdown, !buttons),
    textFormat: profile.markdown ? 'markdown' : 'plain',
  };
  if (choices.length === 0) return activity;
  const actions: CardAction[] = choices.map((c) => ({
    type: ActionTypes.ImBack, title: shorten(c.title, profile.maxButtonTitle), value: c.title,
  }));
  if (profile.suggestedActions) activity.suggestedActions = { actions, to: [] };
  else if (profile.heroButtons) activity.attachments = [CardFactory.heroCard('', undefined, actions)];
  return activity;
}
