import { dashboard } from '../../staff/dashboard';
import { makeDigest } from '../../staff/conversations';
import { toCsv } from '../../staff/export';
import { fold, searchTerms } from '../../staff/fold';
import { escapeHtml, html } from '../../server/staffHtml';
import type { TranscriptRecord } from '../../storage/transcriptStore';

describe('search folds Latvian diacritics and case', () => {
  test.each([
    ['Sodāmības izziņa', 'sodamibas izzina'],
    ['ĀČĒĢĪĶĻŅŠŪŽ āčēģīķļņšūž', 'acegiklnsuz acegiklnsuz'],
    ['Bruņinieku iela 72B', 'bruninieku iela 72b'],
  ])('%s -> %s', (text, folded) => expect(fold(text)).toBe(folded));

  test('a search is its folded words', () => {
    expect(searchTerms('  Ķekava,  ŅUKT ')).toEqual(['kekava', 'nukt']);
  });
});

describe('CSV export', () => {
  test('quotes what needs quoting and defuses spreadsheet formulas', () => {
    const csv = toCsv([{ a: '=HYPERLINK("x")', b: 'plain', c: 'two\nlines, "quoted"', d: '-1+2', e: 3 }]);
    expect(csv).toBe(`a,b,c,d,e\r\n"'=HYPERLINK(""x"")",plain,"two\nlines, ""quoted""",'-1+2,3\r\n`);
  });
});

describe('HTML is escaped unless built as HTML', () => {
  test('user text cannot inject markup', () => {
    const evil = '<script>alert(1)</script>" onmouseover="x';
    expect(html`<p title="${evil}">${evil}</p>`.value).toBe(`<p title="${escapeHtml(evil)}">${escapeHtml(evil)}</p>`);
    expect(html`<p>${evil}</p>`.value).not.toContain('<script>');
    expect(html`<div>${html`<b>${'&'}</b>`}</div>`.value).toBe('<div><b>&amp;</b></div>');
  });
});

describe('dashboard numbers', () => {
  const rec = (over: Partial<TranscriptRecord>): TranscriptRecord => ({
    conversationId: 'c', timestamp: '2024-05-02T07:00:00.000Z', from: 'user', channelId: 'webchat', type: 'message', ...over,
  });
  test('rates over questions: answered is everything that is not a fallback', () => {
    const digest = makeDigest([
      rec({ outcome: 'answered', intent: 'fees', text: 'Cik maksā?' }),
      rec({ from: 'bot', text: 'Tik.' }),
      rec({ outcome: 'fallback', text: 'blah' }),
      rec({ outcome: 'clarified', intent: 'fees' }),
      rec({ outcome: 'guide_started', intent: 'criminal_record_certificate' }),
      rec({ outcome: 'guide_step' }),
      rec({ outcome: 'guide_finished' }),
      rec({ outcome: 'rating' }),
    ]);
    const summary = { conversationId: 'c', channelId: 'webchat', firstTimestamp: '2024-05-02T07:00:00.000Z', lastTimestamp: '2024-05-02T07:00:00.000Z', records: 8, userMessages: 7, languages: [], intents: [] };
    const range = { from: new Date('2024-05-01T21:00:00.000Z'), to: new Date('2024-05-02T21:00:00.000Z') };
    const d = dashboard(range, ['2024-05-02'], [{ summary, digest }], []);
    expect(d.turns).toEqual({
      questions: 4, fallback: 1, clarified: 1, answeredRate: 0.75, fallbackRate: 0.25, clarificationRate: 0.25, guidesStarted: 1, guidesFinished: 1,
    });
    expect(d.conversations.perDay).toEqual([{ day: '2024-05-02', count: 1 }]);
    expect(d.topIntents).toEqual([{ intent: 'fees', turns: 2 }, { intent: 'criminal_record_certificate', turns: 1 }]);
    expect(digest.firstQuestion).toBe('Cik maksā?');
  });
});

describe('single sign-on roles', () => {
  const { parseRoleMap, roleFromClaims } = jest.requireActual<typeof import('../../staff/oidc')>('../../staff/oidc');
  test('a mapping of claim values to roles; the highest role wins', () => {
    const map = parseRoleMap('IC.Admin=admin, IC.Reviewer=reviewer,IC.Viewer=viewer');
    expect(roleFromClaims(['IC.Viewer', 'IC.Admin'], map)).toBe('admin');
    expect(roleFromClaims('IC.Reviewer', map)).toBe('reviewer');
    expect(roleFromClaims(['Other'], map)).toBeUndefined();
    expect(roleFromClaims(undefined, map)).toBeUndefined();
    expect(() => parseRoleMap('IC.Admin=root')).toThrow(/bad role mapping/);
  });
});

describe('reviews of conversations that are gone', () => {
  test('are removed by the daily clean-up; the others stay', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { DiskStaffKv } = await import('../../staff/diskKv');
    const { Reviews } = await import('../../staff/reviews');
    const dir = mkdtempSync(join(tmpdir(), 'reviews-'));
    const reviews = new Reviews(new DiskStaffKv(dir));
    await reviews.set('kept', { reviewed: true, tags: ['a'] }, 'rita');
    await reviews.set('pruned', { reviewed: true, tags: [] }, 'rita');
    expect(await reviews.pruneOrphans(async (id) => id === 'kept')).toBe(1);
    expect([...(await reviews.all()).keys()]).toEqual(['kept']);
    rmSync(dir, { recursive: true, force: true });
  });
});
