import type { Middleware, TurnContext } from 'botbuilder';
import type { TurnLock } from '../../storage/turnLock';

/** One conversation, one turn at a time, across instances: state is read and saved inside the lock. */
export class TurnLockMiddleware implements Middleware {
  constructor(private readonly lock: TurnLock) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { channelId, conversation } = context.activity;
    if (!conversation?.id) return next();
    await this.lock.run(`${channelId}:${conversation.id}`, next);
  }
}
