/**
 * Builds the Microsoft Teams app package: appPackage/build/iemic-teams.zip, holding manifest.json
 * (with ${{MicrosoftAppId}} filled in from the environment or .env), color.png and outline.png.
 *
 *   npm run teams:package
 *
 * The icons are committed files (appPackage/color.png 192x192, outline.png 32x32, transparent);
 * the zip is written by fflate.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';

const ROOT = join(__dirname, '..');
const APP_DIR = join(ROOT, 'appPackage');
export const OUTPUT = join(APP_DIR, 'build', 'iemic-teams.zip');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ICONS: Array<[file: string, size: number]> = [['color.png', 192], ['outline.png', 32]];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The committed icon, checked to be a PNG of the size Teams requires. */
function icon(file: string, size: number): Buffer {
  const data = readFileSync(join(APP_DIR, file));
  const ok = data.subarray(0, 8).equals(PNG_SIGNATURE) && data.readUInt32BE(16) === size && data.readUInt32BE(20) === size;
  if (!ok) throw new Error(`appPackage/${file} must be a ${size}x${size} PNG.`);
  return data;
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
  const files: Record<string, Uint8Array> = { 'manifest.json': Buffer.from(manifest, 'utf8') };
  for (const [file, size] of ICONS) files[file] = icon(file, size);
  return Buffer.from(zipSync(files, { level: 9 }));
}

function main(): void {
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
