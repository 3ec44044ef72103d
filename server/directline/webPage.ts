import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import express from 'express';
import { LOCALES_DIR, PROJECT_ROOT } from '../paths';
import { AZURE_DIRECT_LINE } from './azure';

export const PUBLIC_DIR = join(PROJECT_ROOT, 'server', 'public');

/** Web Chat's standalone bundle (sets window.WebChat), from the pinned npm package; nothing comes from a CDN. */
export function webChatBundlePath(): string {
  const path = join(dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js');
  if (!existsSync(path)) throw new Error(`Web Chat's bundle is missing at ${path}: run npm install`);
  return path;
}

// Web Chat injects its styles at run time (emotion), hence 'unsafe-inline' for styles only.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  `connect-src 'self' ${new URL(AZURE_DIRECT_LINE).origin} https://*.directline.botframework.com`,
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

interface Bundle {
  raw: Buffer;
  gzipped: Buffer;
  brotli: Buffer;
  etag: string;
}

/** The bundle and its compressed forms (3.9 MB -> gzip 0.95 MB, brotli less), made once, off the event loop. */
async function loadBundle(path: string): Promise<Bundle> {
  const raw = await readFile(path);
  const [gzipped, brotli] = await Promise.all([
    promisify(gzip)(raw, { level: 9 }),
    promisify(brotliCompress)(raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
  ]);
  return { raw, gzipped, brotli, etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"` };
}

type Lang = 'lv' | 'en';
const LANGS: Lang[] = ['lv', 'en'];

/** The page's texts, both languages (locales/<lang>/page.json). */
export function loadPageTexts(localesDir = LOCALES_DIR): Record<Lang, Record<string, string>> {
  const texts = {} as Record<Lang, Record<string, string>>;
  for (const lang of LANGS) texts[lang] = JSON.parse(readFileSync(join(localesDir, lang, 'page.json'), 'utf8')) as Record<string, string>;
  return texts;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * The chat page at `/` (server/public/index.html with its texts filled in, in the language asked
 * by ?lang=, Latvian by default) and Web Chat's bundle at /vendor/webchat-<version>.js: compressed
 * (brotli or gzip), and cached by browsers for a year, since a new version has a new name.
 */
export function createWebPageRouter(options: { localesDir?: string } = {}): express.Router {
  const path = webChatBundlePath();
  const version = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 12);
  const bundleUrl = `vendor/webchat-${version}.js`;
  const texts = loadPageTexts(options.localesDir);
  const template = readFileSync(join(PUBLIC_DIR, 'index.html'), 'utf8');
  // JSON in a script element: "<" escaped, so no text can end the element.
  const textsJson = JSON.stringify(texts).replace(/</g, '\\u003c');
  const pages = Object.fromEntries(LANGS.map((lang) => [lang, template.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => {
    if (key === 'lang') return lang;
    if (key === 'bundle') return bundleUrl;
    if (key === 'texts') return textsJson;
    const value = texts[lang][key];
    if (value === undefined) throw new Error(`locales/${lang}/page.json has no "${key}" (used by server/public/index.html)`);
    return escapeHtml(value);
  })])) as Record<Lang, string>;

  let bundle: Promise<Bundle> | undefined;
  const getBundle = () => {
    bundle ??= loadBundle(path).catch((err: unknown) => {
      bundle = undefined;
      throw err;
    });
    return bundle;
  };
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set({ 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
    next();
  });
  const page: express.RequestHandler = (req, res) => {
    // Compressed while the page's other requests are on their way, not at start (the turns come first).
    void getBundle().catch(() => undefined);
    const lang: Lang = req.query.lang === 'en' ? 'en' : 'lv';
    res.set({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    res.send(pages[lang]);
  };
  router.get('/', page);
  router.get('/index.html', page);
  const sendBundle: express.RequestHandler = async (req, res) => {
    const { raw, gzipped, brotli, etag } = await getBundle();
    const cache = req.params.version === version ? 'public, max-age=31536000, immutable' : 'public, max-age=86400';
    res.set({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': cache, etag, vary: 'Accept-Encoding' });
    if (req.fresh) return void res.status(304).end();
    // Brotli when the client takes it at all (the negotiator would prefer the client's first-listed gzip).
    if (req.acceptsEncodings('br') === 'br') res.set('content-encoding', 'br').send(brotli);
    else if (req.acceptsEncodings('gzip') === 'gzip') res.set('content-encoding', 'gzip').send(gzipped);
    else res.send(raw);
  };
  router.get('/vendor/webchat.js', sendBundle);
  router.get('/vendor/webchat-:version.js', sendBundle);
  router.use(express.static(PUBLIC_DIR, { index: false, maxAge: '10m' }));
  return router;
}
