import { feedbackStats } from '../../feedback/stats';
import type { Rating } from '../../storage/ratingStore';

type Row = [id: string, kind: Rating['kind'], value: number, intent: string | null, language: 'lv' | 'en', timestamp: string, comment?: string];

function ratings(rows: Row[]): Rating[] {
  return rows.map(([id, kind, value, intent, language, timestamp, comment]) => ({
    id,
    conversationId: `conv-${id}`,
    kind,
    value,
    ...(intent ? { intent } : {}),
    language,
    channelId: 'webchat',
    timestamp,
    ...(comment ? { comment } : {}),
  }));
}

const RANGE = { from: new Date('2024-05-01T00:00:00.000Z'), to: new Date('2024-05-08T00:00:00.000Z') };

// Hand-counted. Inside the range:
//   helpful  reception_hours lv 3 up 1 down | reception_hours en 1 up 1 down | criminal_record lv 1 up 3 down
//            archive lv 0 up 2 down | fees en 0 up 1 down | address lv 2 up | (no intent) lv 1 down
//            complaints en 1 up 1 down                     -> 18 ratings, 8 up, 10 down
//   csat     5 4 4 2 1 5 3                                 -> 7 ratings, sum 24
// Outside: one rating 1 ms before `from`, one exactly at `to`, one after `to`.
const SEEDED = ratings([
  ['r01', 'helpful', 1, 'address', 'lv', '2024-05-01T00:00:00.000Z', 'Paldies'], // exactly at `from`: counts
  ['r02', 'helpful', 1, 'address', 'lv', '2024-05-01T09:00:00.000Z'],
  ['r03', 'helpful', 1, 'reception_hours', 'lv', '2024-05-02T08:00:00.000Z'],
  ['r04', 'helpful', 1, 'reception_hours', 'lv', '2024-05-02T09:00:00.000Z'],
  ['r05', 'helpful', 1, 'reception_hours', 'lv', '2024-05-02T10:00:00.000Z'],
  ['r06', 'helpful', 0, 'reception_hours', 'lv', '2024-05-02T11:00:00.000Z'],
  ['r07', 'helpful', 1, 'reception_hours', 'en', '2024-05-03T08:00:00.000Z'],
  ['r08', 'helpful', 0, 'reception_hours', 'en', '2024-05-03T09:00:00.000Z'],
  ['r09', 'helpful', 0, 'criminal_record', 'lv', '2024-05-06T12:00:00.000Z', 'Nav skaidrs, kur jāmaksā'],
  ['r10', 'helpful', 0, 'archive', 'lv', '2024-05-06T15:00:00+03:00', 'Kur ir arhīvs?'], // 12:00Z, same instant as r09
  ['r11', 'helpful', 1, 'criminal_record', 'lv', '2024-05-04T08:00:00.000Z'],
  ['r12', 'helpful', 0, 'criminal_record', 'lv', '2024-05-04T09:00:00.000Z'],
  ['r13', 'helpful', 0, 'criminal_record', 'lv', '2024-05-04T10:00:00.000Z'],
  ['r14', 'helpful', 0, 'archive', 'lv', '2024-05-05T08:00:00.000Z'],
  ['r15', 'helpful', 0, 'fees', 'en', '2024-05-05T09:00:00.000Z'],
  ['r16', 'helpful', 0, null, 'lv', '2024-05-05T10:00:00.000Z'],
  ['r17', 'helpful', 1, 'complaints', 'en', '2024-05-07T08:00:00.000Z'],
  ['r18', 'helpful', 0, 'complaints', 'en', '2024-05-07T23:59:59.999Z'],
  ['s01', 'csat', 5, null, 'lv', '2024-05-01T12:00:00.000Z'],
  ['s02', 'csat', 4, null, 'lv', '2024-05-02T12:00:00.000Z'],
  ['s03', 'csat', 4, null, 'en', '2024-05-02T13:00:00.000Z'],
  ['s04', 'csat', 2, 'reception_hours', 'lv', '2024-05-03T10:00:00.000Z', 'Ilgi jāgaida'],
  ['s05', 'csat', 1, null, 'lv', '2024-05-04T12:00:00.000Z'],
  ['s06', 'csat', 5, null, 'en', '2024-05-05T12:00:00.000Z'],
  ['s07', 'csat', 3, null, 'lv', '2024-05-06T12:00:00.000Z'],
  ['x01', 'csat', 1, null, 'lv', '2024-04-30T23:59:59.999Z', 'old'],
  ['x02', 'csat', 5, null, 'lv', '2024-05-08T00:00:00.000Z', 'at to: excluded'],
  ['x03', 'helpful', 0, 'fees', 'en', '2024-05-09T10:00:00.000Z'],
]);

describe('feedbackStats over the seeded set', () => {
  const stats = feedbackStats(SEEDED, RANGE);

  test('range', () => {
    expect(stats.range).toEqual({ from: '2024-05-01T00:00:00.000Z', to: '2024-05-08T00:00:00.000Z' });
  });

  test('csat: count, average to 2 decimals (24 / 7 = 3.43), distribution', () => {
    expect(stats.csat).toEqual({ count: 7, average: 3.43, distribution: { 1: 1, 2: 1, 3: 1, 4: 2, 5: 2 } });
  });

  test('helpful totals: 18 ratings, 8 up, 10 down, rate 8 / 18 = 0.44', () => {
    const { byTopic: _rows, ...totals } = stats.helpful;
    expect(totals).toEqual({ count: 18, up: 8, down: 10, rate: 0.44 });
  });

  test('byTopic: one row per intent and language, most ratings first; ties by intent, no intent last', () => {
    const table: Array<[string | null, 'lv' | 'en', number, number, number]> = [
      // intent, language, up, down, rate
      ['criminal_record', 'lv', 1, 3, 0.25],
      ['reception_hours', 'lv', 3, 1, 0.75],
      ['address', 'lv', 2, 0, 1],
      ['archive', 'lv', 0, 2, 0],
      ['complaints', 'en', 1, 1, 0.5],
      ['reception_hours', 'en', 1, 1, 0.5],
      ['fees', 'en', 0, 1, 0],
      [null, 'lv', 0, 1, 0],
    ];
    expect(stats.helpful.byTopic).toEqual(table.map(([intent, language, up, down, rate]) => ({ intent, language, up, down, rate })));
  });

  test('mostThumbsDown: top 5 intents by downs across languages; ties by lower rate, then name; none without a down', () => {
    expect(stats.mostThumbsDown).toEqual([
      { intent: 'criminal_record', down: 3, rate: 0.25 },
      { intent: 'archive', down: 2, rate: 0 }, // 0/2 before reception_hours' 4/6
      { intent: 'reception_hours', down: 2, rate: 0.67 },
      { intent: 'fees', down: 1, rate: 0 },
      { intent: null, down: 1, rate: 0 },
      // complaints (1 down, rate 0.5) is sixth; address has no down
    ]);
  });

  test('comments: only inside the range, newest first (same instant: by id), with the conversation to open', () => {
    expect(stats.comments).toEqual([
      { kind: 'helpful', value: 0, intent: 'criminal_record', language: 'lv', comment: 'Nav skaidrs, kur jāmaksā', timestamp: '2024-05-06T12:00:00.000Z', conversationId: 'conv-r09' },
      { kind: 'helpful', value: 0, intent: 'archive', language: 'lv', comment: 'Kur ir arhīvs?', timestamp: '2024-05-06T15:00:00+03:00', conversationId: 'conv-r10' },
      { kind: 'csat', value: 2, intent: 'reception_hours', language: 'lv', comment: 'Ilgi jāgaida', timestamp: '2024-05-03T10:00:00.000Z', conversationId: 'conv-s04' },
      { kind: 'helpful', value: 1, intent: 'address', language: 'lv', comment: 'Paldies', timestamp: '2024-05-01T00:00:00.000Z', conversationId: 'conv-r01' },
    ]);
  });

  test('the input is not reordered or changed', () => {
    const copy = structuredClone(SEEDED);
    feedbackStats(SEEDED, RANGE);
    expect(SEEDED).toEqual(copy);
  });
});

describe('feedbackStats edge cases', () => {
  test('no ratings: zero counts, null average and rate, empty lists', () => {
    expect(feedbackStats([], RANGE)).toEqual({
      range: { from: '2024-05-01T00:00:00.000Z', to: '2024-05-08T00:00:00.000Z' },
      csat: { count: 0, average: null, distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } },
      helpful: { count: 0, up: 0, down: 0, rate: null, byTopic: [] },
      comments: [],
      mostThumbsDown: [],
    });
  });

  test('only ratings outside the range count as none', () => {
    const stats = feedbackStats(SEEDED, { from: new Date('2024-06-01T00:00:00Z'), to: new Date('2024-07-01T00:00:00Z') });
    expect([stats.csat.count, stats.csat.average, stats.helpful.count, stats.helpful.rate]).toEqual([0, null, 0, null]);
  });

  test.each<[string, Row[], number | null, number | null]>([
    // label, ratings, csat average, helpful rate
    ['1 up of 8 rounds half up: 0.125 -> 0.13', [...Array.from({ length: 7 }, (_, i): Row => [`d${i}`, 'helpful', 0, 'a', 'lv', '2024-05-02T00:00:00Z']), ['u', 'helpful', 1, 'a', 'lv', '2024-05-02T00:00:00Z']], null, 0.13],
    ['csat 1 and 2 -> 1.5', [['a', 'csat', 1, null, 'lv', '2024-05-02T00:00:00Z'], ['b', 'csat', 2, null, 'lv', '2024-05-02T00:00:00Z']], 1.5, null],
    ['csat 1, 1, 2 -> 1.33', [['a', 'csat', 1, null, 'lv', '2024-05-02T00:00:00Z'], ['b', 'csat', 1, null, 'lv', '2024-05-02T00:00:00Z'], ['c', 'csat', 2, null, 'en', '2024-05-02T00:00:00Z']], 1.33, null],
    ['csat 2, 3, 3 -> 2.67; 2 up of 3 -> 0.67', [['a', 'csat', 2, null, 'lv', '2024-05-02T00:00:00Z'], ['b', 'csat', 3, null, 'lv', '2024-05-02T00:00:00Z'], ['c', 'csat', 3, null, 'en', '2024-05-02T00:00:00Z'], ['d', 'helpful', 1, 'x', 'lv', '2024-05-02T00:00:00Z'], ['e', 'helpful', 1, 'x', 'lv', '2024-05-02T00:00:00Z'], ['f', 'helpful', 0, 'x', 'lv', '2024-05-02T00:00:00Z']], 2.67, 0.67],
  ])('%s', (_label, rows, average, rate) => {
    const stats = feedbackStats(ratings(rows), RANGE);
    expect(stats.csat.average).toBe(average);
    expect(stats.helpful.rate).toBe(rate);
  });

  test('mostThumbsDown keeps only 5, dropping the intents with the fewest downs', () => {
    const rows: Row[] = [];
    ['a', 'b', 'c', 'd', 'e', 'f', 'g'].forEach((intent, i) => {
      for (let k = 0; k <= i; k++) rows.push([`${intent}${k}`, 'helpful', 0, intent, 'en', '2024-05-03T00:00:00Z']);
    });
    expect(feedbackStats(ratings(rows), RANGE).mostThumbsDown.map((r) => [r.intent, r.down])).toEqual([
      ['g', 7],
      ['f', 6],
      ['e', 5],
      ['d', 4],
      ['c', 3],
    ]);
  });
});
