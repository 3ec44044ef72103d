import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** HTML that is already safe; everything else interpolated into `html` is escaped. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = SafeHtml | string | number | boolean | null | undefined | Part[];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function render(part: Part): string {
  if (part instanceof SafeHtml) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  if (part === undefined || part === null || part === false || part === true) return '';
  return escapeHtml(String(part));
}

/** Tagged template: interpolated values are escaped unless they are SafeHtml (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

export type Lang = 'lv' | 'en';
export type T = (key: string, vars?: Record<string, string | number>) => string;

/** The console's texts, locales/<lang>/staff.json; a missing key throws (a test reads every page in both). */
export class StaffTexts {
  private readonly data: Record<Lang, Record<string, unknown>>;

  constructor(localesDir: string) {
    const load = (lang: Lang) => JSON.parse(readFileSync(join(localesDir, lang, 'staff.json'), 'utf8')) as Record<string, unknown>;
    this.data = { lv: load('lv'), en: load('en') };
  }

  for(lang: Lang): T {
    return (key, vars) => {
      let node: unknown = this.data[lang];
      for (const part of key.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
      if (typeof node !== 'string') throw new Error(`missing staff text "${key}" in ${lang}`);
      return node.replace(/\{\{(\w+)\}\}/g, (m, name: string) => (vars && name in vars ? String(vars[name]) : m));
    };
  }
}

const RIGA_TIME = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Riga', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

/** "2026-11-30 18:20:05", Riga time. */
export function rigaTime(iso: string | number): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : RIGA_TIME.format(d);
}

export interface BarDatum {
  label: string;
  value: number;
}

/**
 * A bar chart drawn as inline SVG (no script, no CDN), hidden from screen readers: the same
 * numbers follow in a table.
 */
export function barChart(data: BarDatum[], max?: number): SafeHtml {
  if (data.length === 0) return html``;
  const top = Math.max(max ?? 0, ...data.map((d) => d.value), 1);
  const barW = Math.max(6, Math.min(40, Math.floor(600 / data.length) - 4));
  const width = data.length * (barW + 4) + 4;
  const height = 120;
  const bars = data.map((d, i) => {
    const h = Math.round((d.value / top) * (height - 20));
    return html`<rect class="bar" x="${4 + i * (barW + 4)}" y="${height - 14 - h}" width="${barW}" height="${h}"><title>${d.label}: ${d.value}</title></rect>`;
  });
  return html`<svg class="chart" aria-hidden="true" focusable="false" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${bars}<line class="axis" x1="0" y1="${height - 14}" x2="${width}" y2="${height - 14}"></line></svg>`;
}
