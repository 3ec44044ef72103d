import type { Rating, RatingFilter, RatingStore } from '../../../storage/ratingStore';

export interface RatingFixture {
  store: RatingStore;
  /** A new instance over the same data (after flush: a restart). */
  reopen(): Promise<RatingStore>;
  /** Another instance used at the same time (a second process); the disk store's is itself. */
  other(): Promise<RatingStore>;
  close(): Promise<void>;
}

const T0 = Date.parse('2024-05-06T08:00:00.000Z');
export const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

let seq = 0;
export function helpful(conversationId: string, over: Partial<Rating> = {}): Rating {
  seq += 1;
  return {
    id: `h-${seq}`,
    conversationId,
    kind: 'helpful',
    value: 1,
    activityId: `act-${seq}`,
    intent: 'reception_hours',
    language: 'lv',
    channelId: 'webchat',
    timestamp: at(0),
    ...over,
  };
}

export function csat(conversationId: string, value: number, over: Partial<Rating> = {}): Rating {
  seq += 1;
  return { id: `s-${seq}`, conversationId, kind: 'csat', value, language: 'lv', channelId: 'webchat', timestamp: at(0), ...over };
}

const ids = async (store: RatingStore, filter: RatingFilter = {}): Promise<string[]> => (await store.list(filter)).map((r) => r.id);

export function describeRatingContract(name: string, factory: () => Promise<RatingFixture>): void {
  describe(`RatingStore contract: ${name}`, () => {
    let fx: RatingFixture;
    let store: RatingStore;
    beforeEach(async () => {
      fx = await factory();
      store = fx.store;
    });
    afterEach(async () => {
      await fx.close();
    });

    test('an empty store lists nothing', async () => {
      expect(await store.list({})).toEqual([]);
    });

    test('all fields round-trip; unknown properties are dropped; the caller’s object is untouched', async () => {
      const full: Rating = {
        id: '0b5c3a52-3f4e-4c39-9d55-7a3a8c1f2e10',
        conversationId: 'msteams:19:abc@thread.tacv2;messageid=1 x',
        kind: 'helpful',
        value: 0,
        activityId: 'act-1',
        intent: 'certificate.criminal_record',
        language: 'en',
        channelId: 'msteams',
        timestamp: at(3),
        comment: 'Not what I asked',
      };
      const withExtra = { ...full, secret: 'drop me' } as Rating;
      await store.add(withExtra);
      expect(await store.list({})).toEqual([full]);
      expect(withExtra).toHaveProperty('secret', 'drop me');
    });

    test('list is ordered by timestamp ascending, whatever the order of adds; ties by conversation, then id', async () => {
      await store.add(helpful('b', { id: 'x2', timestamp: at(5) }));
      await store.add(helpful('a', { id: 'x3', timestamp: at(1) }));
      await store.add(helpful('a', { id: 'x1', timestamp: at(9) }));
      await store.add(helpful('b', { id: 'x0', timestamp: at(1) }));
      await store.add(helpful('a', { id: 'x4', timestamp: at(1) }));
      expect(await ids(store)).toEqual(['x3', 'x4', 'x0', 'x2', 'x1']);
    });

    test.each<[string, Partial<Rating>, RegExp]>([
      ['helpful value 2', { value: 2 }, /value must be 1 \(thumbs up\) or 0/],
      ['helpful value -1', { value: -1 }, /value/],
      ['helpful value 0.5', { value: 0.5 }, /value/],
      ['csat value 0', { kind: 'csat', value: 0 }, /value must be 1\.\.5/],
      ['csat value 6', { kind: 'csat', value: 6 }, /value must be 1\.\.5/],
      ['csat value 3.5', { kind: 'csat', value: 3.5 }, /value/],
      ['value NaN', { value: Number.NaN }, /value/],
      ['value as text', { value: '1' as unknown as number }, /value/],
      ['kind', { kind: 'stars' as 'csat' }, /kind/],
      ['language', { language: 'de' as 'lv' }, /language/],
      ['timestamp', { timestamp: 'yesterday' }, /timestamp must be an ISO 8601 date-time/],
      ['timestamp without zone', { timestamp: '2024-05-06T08:00:00' }, /timestamp/],
      ['conversationId', { conversationId: '' }, /conversationId/],
      ['id missing', { id: '' }, /id must be/],
      ['id with a space', { id: 'a b' }, /id must be/],
      ['channelId', { channelId: '' }, /channelId/],
    ])('rejects a bad %s with a clear error and stores nothing', async (_label, over, message) => {
      await expect(store.add(helpful('bad', over))).rejects.toThrow(message);
      await expect(store.add(helpful('bad', over))).rejects.toThrow(/^Invalid rating: /);
      expect(await store.list({})).toEqual([]);
    });

    test('helpful ratings are appended, several per conversation', async () => {
      await store.add(helpful('c', { id: 'h1', value: 1, timestamp: at(1) }));
      await store.add(helpful('c', { id: 'h2', value: 0, timestamp: at(2) }));
      await store.add(helpful('c', { id: 'h3', value: 1, timestamp: at(3) }));
      expect((await store.list({})).map((r) => [r.id, r.value])).toEqual([
        ['h1', 1],
        ['h2', 0],
        ['h3', 1],
      ]);
    });

    test('one csat per conversation: a second replaces the first; helpful ratings and other conversations stay', async () => {
      await store.add(helpful('c', { id: 'h1', timestamp: at(1) }));
      await store.add(csat('c', 2, { id: 's1', timestamp: at(2) }));
      await store.add(csat('other', 4, { id: 's9', timestamp: at(3) }));
      await store.add(csat('c', 5, { id: 's2', timestamp: at(4) }));
      expect((await store.list({})).map((r) => [r.conversationId, r.id, r.value])).toEqual([
        ['c', 'h1', 1],
        ['other', 's9', 4],
        ['c', 's2', 5],
      ]);
      await store.setComment('c', 's1', 'too late'); // the replaced rating is gone
      expect((await store.list({})).some((r) => r.comment)).toBe(false);
    });

    test('adding an id again replaces that rating (a retried add does not count twice)', async () => {
      await store.add(helpful('c', { id: 'same', value: 1, timestamp: at(1), comment: 'first' }));
      await store.add(helpful('c', { id: 'same', value: 0, timestamp: at(7) }));
      expect(await store.list({})).toEqual([expect.objectContaining({ id: 'same', value: 0, timestamp: at(7) })]);
      expect((await store.list({}))[0]).not.toHaveProperty('comment');
      await store.add(csat('c', 3, { id: 'sc' }));
      await store.add(csat('c', 4, { id: 'sc' }));
      expect((await store.list({ kind: 'csat' })).map((r) => [r.id, r.value])).toEqual([['sc', 4]]);
    });

    test('comments are stored redacted, from add and from setComment', async () => {
      const raw = 'Jānis, 161175-19997, +371 29123456, janis@example.lv, LV80BANK0000435195001 – nepalīdzēja';
      await store.add(helpful('c', { id: 'h1', value: 0, comment: raw }));
      await store.add(csat('c', 2, { id: 's1', timestamp: at(1) }));
      await store.setComment('c', 's1', `  ${raw}  `);
      const listed = await store.list({});
      const expected = 'Jānis, [PERSONAL_CODE], [PHONE], [EMAIL], [IBAN] – nepalīdzēja';
      expect(listed.map((r) => r.comment)).toEqual([expected, expected]);
      expect(JSON.stringify(listed)).not.toMatch(/161175|29123456|janis@|0000435195/);
    });

    test('setComment: a later comment replaces the earlier; unknown ids and conversations are no-ops; blank is rejected', async () => {
      await store.add(helpful('c', { id: 'h1' }));
      await store.setComment('c', 'h1', 'first');
      await store.setComment('c', 'h1', 'second');
      await store.setComment('c', 'nope', 'x');
      await store.setComment('nobody', 'h1', 'x');
      await expect(store.setComment('c', 'h1', '   ')).rejects.toThrow(/comment/);
      await expect(store.setComment('', 'h1', 'x')).rejects.toThrow(/conversationId/);
      expect(await store.list({})).toEqual([expect.objectContaining({ id: 'h1', comment: 'second' })]);
    });

    test('a very long comment is cut to 2,000 characters after redaction', async () => {
      await store.add(helpful('c', { id: 'h1' }));
      await store.setComment('c', 'h1', `${'a'.repeat(1995)} 29123456`);
      const [r] = await store.list({});
      expect(r!.comment).toHaveLength(2000);
      expect(r!.comment).toMatch(/a \[PHO$/);
    });

    test('list filters: from inclusive, to exclusive, kind, language, channel', async () => {
      await store.add(helpful('c1', { id: 'a', timestamp: at(0), language: 'lv', channelId: 'webchat' }));
      await store.add(helpful('c1', { id: 'b', timestamp: at(10), language: 'en', channelId: 'webchat' }));
      await store.add(csat('c1', 4, { id: 'c', timestamp: at(20), language: 'en', channelId: 'webchat' }));
      await store.add(helpful('c2', { id: 'd', timestamp: at(30), language: 'lv', channelId: 'msteams' }));
      await store.add(csat('c2', 1, { id: 'e', timestamp: at(40), language: 'lv', channelId: 'msteams' }));
      const d = (m: number): Date => new Date(at(m));
      expect(await ids(store, {})).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(await ids(store, { from: d(10) })).toEqual(['b', 'c', 'd', 'e']);
      expect(await ids(store, { to: d(30) })).toEqual(['a', 'b', 'c']);
      expect(await ids(store, { from: d(10), to: d(40) })).toEqual(['b', 'c', 'd']);
      expect(await ids(store, { from: d(11), to: d(12) })).toEqual([]);
      expect(await ids(store, { kind: 'csat' })).toEqual(['c', 'e']);
      expect(await ids(store, { language: 'en' })).toEqual(['b', 'c']);
      expect(await ids(store, { channelId: 'msteams' })).toEqual(['d', 'e']);
      expect(await ids(store, { kind: 'helpful', language: 'lv', from: d(1) })).toEqual(['d']);
    });

    test('timestamps with an offset are compared as instants', async () => {
      await store.add(helpful('c', { id: 'riga', timestamp: '2024-05-06T11:00:00+03:00' })); // 08:00Z
      await store.add(helpful('c', { id: 'utc', timestamp: '2024-05-06T08:30:00.000Z' }));
      expect(await ids(store, { from: new Date('2024-05-06T08:00:00Z'), to: new Date('2024-05-06T08:01:00Z') })).toEqual(['riga']);
      expect(await ids(store)).toEqual(['riga', 'utc']);
    });

    test('deleteConversation removes all its ratings, only its; idempotent; the conversation can rate again', async () => {
      await store.add(helpful('gone', { id: 'g1' }));
      await store.add(csat('gone', 3, { id: 'g2', comment: 'personal' }));
      await store.add(helpful('kept', { id: 'k1' }));
      await store.deleteConversation('gone');
      await store.deleteConversation('gone');
      await store.deleteConversation('never-existed');
      expect(await ids(store)).toEqual(['k1']);
      await store.setComment('gone', 'g2', 'after delete'); // no-op
      await store.add(csat('gone', 5, { id: 'g3' }));
      expect((await store.list({ kind: 'csat' })).map((r) => [r.id, r.value, r.comment])).toEqual([['g3', 5, undefined]]);
    });

    test('adds called before a delete are deleted, adds called after it survive', async () => {
      const before = store.add(helpful('d', { id: 'before' }));
      const del = store.deleteConversation('d');
      const after = store.add(helpful('d', { id: 'after' }));
      await Promise.all([before, del, after]);
      expect(await ids(store)).toEqual(['after']);
    });

    test('list includes adds called before it, even when not awaited', async () => {
      void store.add(helpful('c', { id: 'early' }));
      void store.setComment('c', 'early', 'ok');
      expect((await store.list({})).map((r) => [r.id, r.comment])).toEqual([['early', 'ok']]);
    });

    test('200 concurrent adds lose nothing', async () => {
      const n = 200;
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          store.add(helpful(`conv-${i % 7}`, { id: `p${i}`, value: i % 2, timestamp: at(i % 13) })),
        ),
      );
      const listed = await store.list({});
      expect(listed).toHaveLength(n);
      expect(new Set(listed.map((r) => r.id)).size).toBe(n);
      expect(listed.filter((r) => r.value === 1)).toHaveLength(n / 2);
    });

    test('concurrent csat adds to one conversation (two instances) leave exactly one; helpful ones all stay', async () => {
      const other = await fx.other();
      const stores = [store, other];
      await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          i % 3 === 2
            ? stores[i % 2]!.add(helpful('race', { id: `h${i}` }))
            : stores[i % 2]!.add(csat('race', (i % 5) + 1, { id: `s${i}`, timestamp: at(i) })),
        ),
      );
      for (const s of new Set(stores)) {
        const listed = await s.list({ kind: 'csat' });
        expect(listed).toHaveLength(1);
        expect((await s.list({ kind: 'helpful' })).length).toBe(20);
      }
    });

    test('flush, then a new instance (restart) sees the same ratings, comments, replacements and deletes', async () => {
      for (let i = 0; i < 50; i++) void store.add(helpful(`r${i % 5}`, { id: `r${i}`, timestamp: at(i), value: i % 2 }));
      void store.add(csat('r0', 1, { id: 'first-csat', timestamp: at(60) }));
      void store.add(csat('r0', 4, { id: 'second-csat', timestamp: at(61) }));
      void store.setComment('r0', 'second-csat', 'Paldies, 29123456');
      void store.deleteConversation('r4');
      await store.flush();
      const before = await store.list({});
      expect(before).toHaveLength(41); // 50 helpful - 10 of r4 + 1 csat
      expect(before.find((r) => r.id === 'second-csat')).toMatchObject({ value: 4, comment: 'Paldies, [PHONE]' });
      const restarted = await fx.reopen();
      expect(await restarted.list({})).toEqual(before);
      await restarted.add(csat('r0', 2, { id: 'third-csat', timestamp: at(62) }));
      expect((await restarted.list({ kind: 'csat' })).map((r) => r.id)).toEqual(['third-csat']);
      await restarted.flush();
    });
  });
}
