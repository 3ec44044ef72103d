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

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max: number, min = 0) => typeof v === 'string' && v.length >= min && v.length <= max;
const optStr = (v: unknown, max: number) => v === undefined || str(v, max);
const plainAccount = (v: unknown) => isObj(v) && str(v.id, 512) && optStr(v.name, 512) && optStr(v.role, 64) && optStr(v.aadObjectId, 128);
const list = (v: unknown, each: (x: unknown) => boolean) => {
  if (v === undefined) return true;
  if (!Array.isArray(v) || v.length > 100) return false;
  // a plain loop: every() would skip the holes of a sparse array, which the schema refuses
  for (let i = 0; i < v.length; i++) if (!each(v[i])) return false;
  return true;
};
const STRING_FIELDS: Array<[string, number]> = [
  ['id', 512], ['channelId', 64], ['text', Infinity], ['textFormat', 32], ['locale', 64], ['deliveryMode', 32], ['replyToId', 512],
  ['timestamp', 64], ['localTimestamp', 64], ['localTimezone', 128], ['name', 256], ['inputHint', 32],
];

/**
 * The schema's checks written out for the common case (every turn passes here): true only when
 * ActivitySchema accepts the activity too; anything else goes to the schema, which names the problem.
 */
function plainlyValid(a: Obj): boolean {
  if (!str(a.type, 64, 1)) return false;
  for (const [field, max] of STRING_FIELDS) if (!optStr(a[field], max)) return false;
  if (a.serviceUrl !== undefined) {
    if (!str(a.serviceUrl, 2048) || !/^https?:\/\//i.test(a.serviceUrl as string)) return false;
    try {
      new URL(a.serviceUrl as string);
    } catch {
      return false;
    }
  }
  const c = a.conversation;
  if (c !== undefined && !(isObj(c) && str(c.id, 512) && optStr(c.name, 512) && (c.isGroup === undefined || typeof c.isGroup === 'boolean') && optStr(c.conversationType, 64) && optStr(c.tenantId, 128))) return false;
  if (a.from !== undefined && !plainAccount(a.from)) return false;
  if (a.recipient !== undefined && !plainAccount(a.recipient)) return false;
  if (!list(a.attachments, (x) => isObj(x) && str(x.contentType, 256))) return false;
  if (!list(a.entities, (x) => isObj(x) && str(x.type, 256))) return false;
  if (!list(a.membersAdded, plainAccount) || !list(a.membersRemoved, plainAccount)) return false;
  return a.channelData === undefined || isObj(a.channelData);
}

/** A plain message naming the first wrong field, or undefined when the activity is acceptable. */
export function activityProblem(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the body must be a Bot Framework activity (a JSON object with a "type")';
  if (plainlyValid(body as Obj)) return undefined;
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
