/**
 * A hand-written SVG chart: latency percentile curves, one panel per mode (sequential,
 * concurrent), one line per bot. X: percentile on a log scale of 1/(1-p) (0, 50, 90, 99, 99.9,
 * max); Y: latency in ms on a log scale, shared by both panels.
 */

export interface Series {
  label: string;
  color: string;
  /** [percentile, ms] */
  points: Array<[number, number]>;
  note?: string;
}

export interface Panel {
  title: string;
  series: Series[];
  /** Horizontal reference lines (e.g. a target). */
  refs?: Array<{ ms: number; label: string }>;
}

const W = 1040;
const H = 520;
const PANEL_W = 430;
const PANEL_H = 300;
const TOP = 80;
const LEFTS = [80, 590];
const X_MAX = 3.3;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const xOfP = (p: number) => (p >= 100 ? X_MAX : Math.min(3, -Math.log10(1 - p / 100)));
const fmt = (ms: number) => (ms >= 10 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1).replace(/\.0$/, '') : String(Number(ms.toPrecision(1))));

function niceTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) ticks.push(v);
    }
  }
  return ticks;
}

export function renderChart(title: string, subtitle: string, panels: Panel[]): string {
  const values = panels.flatMap((p) => [...p.series.flatMap((s) => s.points.map(([, v]) => v)), ...(p.refs ?? []).map((r) => r.ms)]).filter((v) => Number.isFinite(v) && v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values, 1)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values, 1) * 1.05));
  const yOf = (ms: number) => TOP + PANEL_H - ((Math.log10(Math.max(ms, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * PANEL_H;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2}" y="28" text-anchor="middle" font-size="17" font-weight="bold">${esc(title)}</text>`);
  out.push(`<text x="${W / 2}" y="48" text-anchor="middle" fill="#555">${esc(subtitle)}</text>`);
  panels.forEach((panel, i) => {
    const left = LEFTS[i] ?? LEFTS[0];
    const xOf = (p: number) => left + (xOfP(p) / X_MAX) * PANEL_W;
    out.push(`<g>`);
    out.push(`<text x="${left + PANEL_W / 2}" y="${TOP - 10}" text-anchor="middle" font-size="14" font-weight="bold">${esc(panel.title)}</text>`);
    out.push(`<rect x="${left}" y="${TOP}" width="${PANEL_W}" height="${PANEL_H}" fill="#fafafa" stroke="#999"/>`);
    for (const t of niceTicks(lo, hi)) {
      const y = yOf(t);
      out.push(`<line x1="${left}" x2="${left + PANEL_W}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#e3e3e3"/>`);
      out.push(`<text x="${left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${fmt(t)}</text>`);
    }
    for (const [p, label] of [[0, 'min'], [50, 'p50'], [90, 'p90'], [99, 'p99'], [99.9, 'p99.9'], [100, 'max']] as Array<[number, string]>) {
      const x = xOf(p);
      out.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${TOP}" y2="${TOP + PANEL_H}" stroke="#e3e3e3"/>`);
      out.push(`<text x="${x.toFixed(1)}" y="${TOP + PANEL_H + 16}" text-anchor="middle">${label}</text>`);
    }
    out.push(`<text x="${left + PANEL_W / 2}" y="${TOP + PANEL_H + 36}" text-anchor="middle" fill="#333">percentile of turns (log scale of 1/(1−p))</text>`);
    out.push(`<text transform="translate(${left - 48},${TOP + PANEL_H / 2}) rotate(-90)" text-anchor="middle" fill="#333">turn latency, ms (log scale)</text>`);
    for (const ref of panel.refs ?? []) {
      const y = yOf(ref.ms);
      out.push(`<line x1="${left}" x2="${left + PANEL_W}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#c0392b" stroke-dasharray="6 4"/>`);
      out.push(`<text x="${left + 6}" y="${(y - 5).toFixed(1)}" fill="#c0392b">${esc(ref.label)}</text>`);
    }
    for (const s of panel.series) {
      const pts = s.points.filter(([, v]) => Number.isFinite(v) && v > 0);
      if (pts.length === 0) continue;
      const d = pts.map(([p, v], k) => `${k ? 'L' : 'M'}${xOf(p).toFixed(1)},${yOf(v).toFixed(1)}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
      for (const [p, v] of pts) out.push(`<circle cx="${xOf(p).toFixed(1)}" cy="${yOf(v).toFixed(1)}" r="2.5" fill="${s.color}"><title>${esc(`${s.label}: p${p} = ${v.toFixed(3)} ms`)}</title></circle>`);
    }
    // legend under the panel
    panel.series.forEach((s, k) => {
      const y = TOP + PANEL_H + 60 + k * 18;
      out.push(`<line x1="${left}" x2="${left + 24}" y1="${y - 4}" y2="${y - 4}" stroke="${s.color}" stroke-width="3"/>`);
      out.push(`<text x="${left + 30}" y="${y}">${esc(s.label)}${s.note ? ` — ${esc(s.note)}` : ''}</text>`);
    });
    out.push(`</g>`);
  });
  out.push(`</svg>`);
  return `${out.join('\n')}\n`;
}
