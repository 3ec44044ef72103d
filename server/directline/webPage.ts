import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import express from 'express';
import { PROJECT_ROOT } from '../paths';
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
  etag: string;
}

/** The bundle and its gzip (3.9 MB -> 0.95 MB), made once, on first request, off the event loop. */
async function loadBundle(path: string): Promise<Bundle> {
  const raw = await readFile(path);
  const gzipped = await promisify(gzip)(raw, { level: 9 });
  return { raw, gzipped, etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"` };
}

/** The chat page at `/` (server/public) and Web Chat's bundle at /vendor/webchat.js. */
export function createWebPageRouter(): express.Router {
  const path = webChatBundlePath();
  let bundle: Promise<Bundle> | undefined;
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set({ 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
    next();
  });
  router.get('/vendor/webchat.js', async (req, res) => {
    bundle ??= loadBundle(path).catch((err: unknown) => {
      bundle = undefined;
      throw err;
    });
    const { raw, gzipped, etag } = await bundle;
    res.set({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400', etag, vary: 'Accept-Encoding' });
    if (req.fresh) return void res.status(304).end();
    if (req.acceptsEncodings('gzip') === 'gzip') res.set('content-encoding', 'gzip').send(gzipped);
    else res.send(raw);
  });
  router.use(express.static(PUBLIC_DIR, { index: 'index.html', maxAge: '10m' }));
  return router;
}
