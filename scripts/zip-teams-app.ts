/**
 * Builds the Microsoft Teams app package: appPackage/build/iemic-teams.zip, holding manifest.json
 * (with ${{MicrosoftAppId}} filled in from the environment or .env), color.png and outline.png.
 *
 *   npm run teams:package
 *
 * The icons are committed; `ts-node scripts/zip-teams-app.ts --icons` draws them again.
 * No dependencies: the PNG and zip writers below use node:zlib only.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, deflateSync } from 'node:zlib';

const ROOT = join(__dirname, '..');
const APP_DIR = join(ROOT, 'appPackage');
export const OUTPUT = join(APP_DIR, 'build', 'iemic-teams.zip');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---- CRC-32 (as PNG and zip use it) ----
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// ---- PNG (8-bit RGBA, no filtering) ----
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG from RGBA pixels, row by row. */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(6, 9); // colour type: RGBA
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- The icons: a speech bubble with an "i" (information) ----
type Shape = (x: number, y: number) => boolean;

function roundedRect(cx: number, cy: number, hw: number, hh: number, r: number): Shape {
  return (x, y) => {
    const dx = Math.max(Math.abs(x - cx) - (hw - r), 0);
    const dy = Math.max(Math.abs(y - cy) - (hh - r), 0);
    return dx * dx + dy * dy <= r * r;
  };
}

function circle(cx: number, cy: number, r: number): Shape {
  return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function triangle(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): Shape {
  const side = (px: number, py: number, qx: number, qy: number, x: number, y: number) => (qx - px) * (y - py) - (qy - py) * (x - px);
  return (x, y) => {
    const d1 = side(ax, ay, bx, by, x, y);
    const d2 = side(bx, by, cx, cy, x, y);
    const d3 = side(cx, cy, ax, ay, x, y);
    return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
  };
}

const union = (...shapes: Shape[]): Shape => (x, y) => shapes.some((s) => s(x, y));

// Shapes in a unit square (0..1), so that both icons share one drawing.
const BODY = (inset: number): Shape => roundedRect(0.5, 0.44, 0.36 - inset, 0.27 - inset, 0.12 - inset / 2);
const TAIL: Shape = triangle(0.3, 0.6, 0.48, 0.6, 0.26, 0.84);
const BUBBLE = union(BODY(0), TAIL);
const info = (scale: number): Shape => union(
  circle(0.5, 0.44 - 0.15 * scale, 0.05 * scale),
  roundedRect(0.5, 0.44 + 0.05 * scale, 0.042 * scale, 0.13 * scale, 0.02 * scale),
);

/** Renders with 4x4 supersampling; `paint` gives the RGBA of a sample point, or undefined for the background. */
function render(size: number, background: [number, number, number, number], paint: (x: number, y: number) => [number, number, number, number] | undefined): Buffer {
  const out = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = paint((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size) ?? background;
          // premultiplied, so that transparent samples do not darken the edges
          acc[0] += c[0] * c[3]; acc[1] += c[1] * c[3]; acc[2] += c[2] * c[3]; acc[3] += c[3];
        }
      }
      const a = acc[3] as number;
      const i = (py * size + px) * 4;
      out[i] = a ? Math.round((acc[0] as number) / a) : 0;
      out[i + 1] = a ? Math.round((acc[1] as number) / a) : 0;
      out[i + 2] = a ? Math.round((acc[2] as number) / a) : 0;
      out[i + 3] = Math.round((a / (n * n)) * 255);
    }
  }
  return out;
}

const NAVY: [number, number, number, number] = [0x00, 0x46, 0x7f, 1];
const WHITE: [number, number, number, number] = [0xff, 0xff, 0xff, 1];
const CLEAR: [number, number, number, number] = [0, 0, 0, 0];

export function drawIcons(): { color: Buffer; outline: Buffer } {
  const colorInfo = info(1);
  const color = render(192, NAVY, (x, y) => (colorInfo(x, y) ? NAVY : BUBBLE(x, y) ? WHITE : undefined));
  // Teams' outline icon: white on transparent, 32x32; the bubble as a 2.4 px stroke with a solid tail.
  const hollow = BODY(0.075);
  const outlineInfo = info(0.8);
  const outline = render(32, CLEAR, (x, y) => ((BUBBLE(x, y) && !hollow(x, y)) || outlineInfo(x, y) ? WHITE : undefined));
  return { color: encodePng(192, 192, color), outline: encodePng(32, 32, outline) };
}

// ---- zip (deflate, no directories) ----
function dosDateTime(date: Date): { time: number; day: number } {
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    day: ((date.getFullYear() - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

export function zip(files: Array<{ name: string; data: Buffer }>, date = new Date()): Buffer {
  const { time, day } = dosDateTime(date);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const packed = deflateRawSync(file.data, { level: 9 });
    const crc = crc32(file.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(day, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(file.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(day, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(file.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

// ---- the package ----
/** KEY=VALUE lines of a .env file (no expansion); the environment wins over it. */
function readDotEnv(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) out[match[1] as string] = (match[2] as string).replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

/** The manifest with its ${{NAME}} placeholders filled; throws naming what is missing or invalid. */
export function fillManifest(template: string, values: Record<string, string | undefined>): string {
  const filled = template.replace(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_m, name: string) => {
    const value = values[name];
    if (!value) throw new Error(`${name} is not set: put it in the environment or in .env (the bot's Azure app registration id).`);
    if (name === 'MicrosoftAppId' && !GUID.test(value)) throw new Error(`MicrosoftAppId must be a GUID (the bot's Azure app registration id); got "${value}".`);
    return value;
  });
  const manifest = JSON.parse(filled) as { name: { short: string; full: string }; description: { short: string; full: string } };
  const limits: Array<[string, string, number]> = [
    ['name.short', manifest.name.short, 30], ['name.full', manifest.name.full, 100],
    ['description.short', manifest.description.short, 80], ['description.full', manifest.description.full, 4000],
  ];
  for (const [field, value, max] of limits) {
    if (value.length > max) throw new Error(`manifest ${field} is ${value.length} characters; Teams allows ${max}.`);
  }
  return filled;
}

export function buildPackage(env: Record<string, string | undefined>): Buffer {
  const manifest = fillManifest(readFileSync(join(APP_DIR, 'manifest.json'), 'utf8'), env);
  return zip([
    { name: 'manifest.json', data: Buffer.from(manifest, 'utf8') },
    { name: 'color.png', data: readFileSync(join(APP_DIR, 'color.png')) },
    { name: 'outline.png', data: readFileSync(join(APP_DIR, 'outline.png')) },
  ]);
}

function main(): void {
  if (process.argv.includes('--icons')) {
    const { color, outline } = drawIcons();
    writeFileSync(join(APP_DIR, 'color.png'), color);
    writeFileSync(join(APP_DIR, 'outline.png'), outline);
    process.stdout.write('wrote appPackage/color.png (192x192) and appPackage/outline.png (32x32)\n');
    return;
  }
  const env = { ...readDotEnv(join(ROOT, '.env')), ...Object.fromEntries(Object.entries(process.env).filter(([, v]) => v)) };
  let data: Buffer;
  try {
    data = buildPackage(env);
  } catch (err) {
    process.stderr.write(`Cannot build the Teams package: ${(err as Error).message}\n`);
    process.exit(1);
  }
  mkdirSync(join(APP_DIR, 'build'), { recursive: true });
  writeFileSync(OUTPUT, data);
  process.stdout.write(`wrote ${OUTPUT} (${data.length} bytes): upload it in Teams (Apps > Manage your apps > Upload an app)\n`);
}

if (require.main === module) main();
