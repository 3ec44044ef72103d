import { z } from 'zod';

/**
 * The fields of an incoming activity the bot and botbuilder read, with their types and
 * lengths, checked before the adapter sees the request: a wrong type becomes a 400 with a
 * plain message instead of an exception deep inside botbuilder (a 500, or a lost transcript).
 * Sizes of free-form content (text, value, attachments, channelData) are bounded later, per
 * turn, by bot/middleware/inputLimits.ts, so the user gets a reply instead of an error.
 */
const id = (max: number) => z.string().max(max);
const account = z.object({ id: id(512), name: z.string().max(512).optional(), role: z.string().max(64).optional(), aadObjectId: z.string().max(128).optional() }).passthrough();
const httpUrl = z.string().max(2048).refine((s) => {
  try {
    return ['http:', 'https:'].includes(new URL(s).protocol);
  } catch {
    return false;
  }
}, 'must be an http(s) URL');

export const ActivitySchema = z.object({
  type: z.string().min(1).max(64),
  id: id(512).optional(),
  serviceUrl: httpUrl.optional(),
  channelId: id(64).optional(),
  conversation: z.object({ id: id(512), name: z.string().max(512).optional(), isGroup: z.boolean().optional(), conversationType: z.string().max(64).optional(), tenantId: z.string().max(128).optional() }).passthrough().optional(),
  from: account.optional(),
  recipient: account.optional(),
  text: z.string().optional(), // any length the body limit lets through: the turn cuts it
  textFormat: z.string().max(32).optional(),
  locale: z.string().max(64).optional(),
  deliveryMode: z.string().max(32).optional(),
  replyToId: id(512).optional(),
  timestamp: z.string().max(64).optional(),
  localTimestamp: z.string().max(64).optional(),
  localTimezone: z.string().max(128).optional(),
  name: z.string().max(256).optional(),
  inputHint: z.string().max(32).optional(),
  attachments: z.array(z.object({ contentType: z.string().max(256) }).passthrough()).max(100).optional(),
  entities: z.array(z.object({ type: z.string().max(256) }).passthrough()).max(100).optional(),
  membersAdded: z.array(account).max(100).optional(),
  membersRemoved: z.array(account).max(100).optional(),
  channelData: z.record(z.unknown()).optional(),
}).passthrough();

export type CheckedActivity = z.infer<typeof ActivitySchema>;

/** A plain message naming the first wrong field, or undefined when the activity is acceptable. */
export function activityProblem(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the body must be a Bot Framework activity (a JSON object with a "type")';
  const parsed = ActivitySchema.safeParse(body);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || 'activity';
  return `"${field}" ${issue.code === 'invalid_type' ? `must be ${issue.expected === 'string' ? 'a string' : `of type ${issue.expected}`}` : issue.message.toLowerCase()}`;
}

/** Hosts that an anonymous (no app id) server may POST replies to: the Emulator's and tests' localhost. */
export function serviceUrlAllowed(serviceUrl: string | undefined, allowedHosts: readonly string[]): boolean {
  if (!serviceUrl) return false;
  try {
    const host = new URL(serviceUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase();
    return allowedHosts.includes(host);
  } catch {
    return false;
  }
}
