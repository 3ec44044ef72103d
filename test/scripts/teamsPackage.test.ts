import { unzipSync } from 'fflate';
import { buildPackage } from '../../scripts/zip-teams-app';

const APP_ID = '12345678-1234-1234-1234-123456789abc';

test('the Teams package: the manifest with the app id filled in, and both icons at their sizes', () => {
  const files = unzipSync(buildPackage({ MicrosoftAppId: APP_ID }));
  expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  const manifest = JSON.parse(Buffer.from(files['manifest.json']!).toString('utf8')) as { bots: Array<{ botId: string }>; icons: Record<string, string> };
  expect(manifest.bots[0]!.botId).toBe(APP_ID);
  expect(JSON.stringify(manifest)).not.toMatch(/\$\{\{/);
  const size = (png: Uint8Array) => [Buffer.from(png).readUInt32BE(16), Buffer.from(png).readUInt32BE(20)];
  expect(size(files['color.png']!)).toEqual([192, 192]);
  expect(size(files['outline.png']!)).toEqual([32, 32]);
});

test('a missing or malformed app id is refused with a clear message', () => {
  expect(() => buildPackage({})).toThrow(/MicrosoftAppId is not set/);
  expect(() => buildPackage({ MicrosoftAppId: 'not-a-guid' })).toThrow(/must be a GUID/);
});
