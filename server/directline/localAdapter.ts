import { setTimeout as sleep } from 'node:timers/promises';
import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import type { ConversationStore } from './conversations';

export type TurnLogic = (context: TurnContext) => Promise<void>;

/** The longest `delay` activity honoured, so that a bot cannot hold a conversation's queue for long. */
const MAX_DELAY_MS = 5000;

/**
 * Runs the bot in-process for the local Direct Line: each incoming activity becomes a TurnContext
 * that goes through the middleware (`use(...)`, as on the CloudAdapter) and the bot; what the bot
 * sends is appended to the conversation in the store, where the page reads it (polling or a WebSocket). Turns of one conversation run
 * one at a time, in the order they came.
 */
export class LocalDirectLineAdapter extends BotAdapter {
  private readonly queues = new Map<string, { tail: Promise<void>; pending: number }>();

  constructor(private readonly store: ConversationStore) {
    super();
  }

  /** Turns queued or running for the conversation. */
  pending(conversationId: string): number {
    return this.queues.get(conversationId)?.pending ?? 0;
  }

  /** Runs one turn after the conversation's earlier ones; resolves when it is done. */
  processActivity(activity: Partial<Activity>, logic: TurnLogic): Promise<void> {
    const id = activity.conversation?.id ?? '';
    const queue = this.queues.get(id) ?? { tail: Promise.resolve(), pending: 0 };
    queue.pending += 1;
    const turn = queue.tail.then(() => this.runMiddleware(new TurnContext(this, activity), logic));
    queue.tail = turn.then(
      () => this.settled(id, queue),
      () => this.settled(id, queue),
    );
    this.queues.set(id, queue);
    return turn;
  }

  override async sendActivities(context: TurnContext, activities: Array<Partial<Activity>>): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    const conversationId = context.activity.conversation?.id ?? '';
    // Consecutive activities go to the store in one write; a delay sends what came before it first.
    let batch: Array<Partial<Activity>> = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const stored = await this.store.append(conversationId, batch);
      for (let i = 0; i < batch.length; i++) responses.push({ id: stored?.[i]?.id ?? '' });
      batch = [];
    };
    for (const activity of activities) {
      if (activity.type === 'delay') {
        await flush();
        await sleep(Math.min(typeof activity.value === 'number' ? activity.value : 1000, MAX_DELAY_MS));
        responses.push({ id: '' });
        continue;
      }
      // Trace activities are for the Emulator; invoke responses go back in an HTTP body we do not have.
      if (activity.type === 'trace' || activity.type === 'invokeResponse') {
        await flush();
        responses.push({ id: '' });
        continue;
      }
      batch.push({
        ...activity,
        from: { ...(activity.from ?? context.activity.recipient), role: 'bot' },
        recipient: context.activity.from,
      });
    }
    await flush();
    return responses;
  }

  override updateActivity(): Promise<void> {
    return Promise.reject(new Error('The local Direct Line cannot update activities.'));
  }

  override deleteActivity(): Promise<void> {
    return Promise.reject(new Error('The local Direct Line cannot delete activities.'));
  }

  /** A proactive turn in a conversation that still exists. */
  override async continueConversation(reference: Partial<ConversationReference>, logic: TurnLogic): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' }, reference, true);
    await this.processActivity(activity, logic);
  }

  private settled(id: string, queue: { pending: number }): void {
    queue.pending -= 1;
    if (queue.pending === 0 && this.queues.get(id) === queue) this.queues.delete(id);
  }
}
