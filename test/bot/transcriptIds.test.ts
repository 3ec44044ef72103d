import { randomUUID } from 'node:crypto';
import { storedId } from '../../bot/middleware/transcriptLogger';

describe('activity ids in stored transcripts', () => {
  test('an answer id (a UUID) is stored as it is, so its rating finds it (7% of UUIDs were redacted as an IBAN)', () => {
    let changed = 0;
    for (let i = 0; i < 10_000; i++) {
      const id = randomUUID();
      if (storedId(id) !== id) changed++;
    }
    expect(changed).toBe(0);
  });

  test('an id a client chose is still redacted and cut', () => {
    expect(storedId('conv-29123456-msg')).not.toContain('29123456');
    expect(storedId('x'.repeat(500))).toHaveLength(128);
  });
});
