/** What a channel can show; decided by `activity.channelId`. */
export interface ChannelProfile {
  markdown: boolean;
  /** Adaptive Cards 1.5 (Web Chat, Teams); Telegram and unknown channels get text. */
  adaptiveCards: boolean;
  suggestedActions: boolean;
  /** Choices as buttons on a hero card (Teams shows no suggested actions in channels and chats). */
  heroButtons: boolean;
  /** The longest button title that shows whole. */
  maxButtonTitle: number;
}

const PROFILES: Record<string, ChannelProfile> = {
  webchat: { markdown: true, adaptiveCards: true, suggestedActions: true, heroButtons: false, maxButtonTitle: 40 },
  directline: { markdown: true, adaptiveCards: true, suggestedActions: true, heroButtons: false, maxButtonTitle: 40 },
  emulator: { markdown: true, adaptiveCards: true, suggestedActions: true, heroButtons: false, maxButtonTitle: 40 },
  test: { markdown: true, adaptiveCards: true, suggestedActions: true, heroButtons: false, maxButtonTitle: 40 },
  msteams: { markdown: true, adaptiveCards: true, suggestedActions: false, heroButtons: true, maxButtonTitle: 40 },
  telegram: { markdown: true, adaptiveCards: false, suggestedActions: true, heroButtons: false, maxButtonTitle: 30 },
};

const PLAIN: ChannelProfile = { markdown: false, adaptiveCards: false, suggestedActions: false, heroButtons: false, maxButtonTitle: 40 };

export function channelProfile(channelId: string | undefined): ChannelProfile {
  return (channelId && PROFILES[channelId]) || PLAIN;
}
