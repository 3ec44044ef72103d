import { redact } from '../storage/redact';
import type { StaffKv } from './kv';

export const VERDICTS = ['right', 'wrong', 'missing', 'human'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Staff's own marks on a conversation. */
export interface Review {
  conversationId: string;
  reviewed: boolean;
  verdict?: Verdict;
  tags: string[];
  note?: string;
  updatedBy: string;
  updatedAt: string;
}

export interface ReviewChange {
  reviewed: boolean;
  verdict?: Verdict;
  tags: string[];
  note?: string;
}

const NS = 'review';
export const MAX_TAGS = 20;

export class Reviews {
  constructor(private readonly kv: StaffKv, private readonly now: () => Date = () => new Date()) {}

  get(conversationId: string): Promise<Review | undefined> {
    return this.kv.get<Review>(NS, conversationId);
  }

  async all(): Promise<Map<string, Review>> {
    return new Map((await this.kv.list<Review>(NS)).map((r) => [r.conversationId, r]));
  }

  async set(conversationId: string, change: ReviewChange, by: string): Promise<Review> {
    const review: Review = {
      conversationId,
      reviewed: change.reviewed,
      tags: normalizeTags(change.tags),
      updatedBy: by,
      updatedAt: this.now().toISOString(),
    };
    if (change.verdict) review.verdict = change.verdict;
    // Notes are free text too: personal data typed into one is masked like a user's message.
    const note = change.note?.trim();
    if (note) review.note = redact(note).slice(0, 2000);
    await this.kv.set(NS, conversationId, review);
    return review;
  }

  delete(conversationId: string): Promise<void> {
    return this.kv.delete(NS, conversationId);
  }

  /** Removes the reviews of conversations that are gone (pruned by retention, or erased through the API). */
  async pruneOrphans(exists: (conversationId: string) => Promise<boolean>): Promise<number> {
    let removed = 0;
    for (const review of await this.kv.list<Review>(NS)) {
      if (!(await exists(review.conversationId))) {
        await this.delete(review.conversationId);
        removed++;
      }
    }
    return removed;
  }
}

export function normalizeTags(tags: string[]): string[] {
  const clean = tags.map((t) => t.trim().toLowerCase().replace(/\s+/g, '-').slice(0, 40)).filter(Boolean);
  return [...new Set(clean)].slice(0, MAX_TAGS);
}

export function isVerdict(value: unknown): value is Verdict {
  return typeof value === 'string' && (VERDICTS as readonly string[]).includes(value);
}
