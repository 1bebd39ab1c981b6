/**
 * WCAG 2.x contrast (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio): relative luminance of sRGB colours, and the
 * ratio (L1 + 0.05) / (L2 + 0.05) of the lighter to the darker. AA asks 4.5:1 for body text.
 */
export const AA_TEXT = 4.5;

/** The page colours a brand colour is drawn on, or carries white text on: white, the surface grey, the primary tint. */
export const PAGE_COLORS = ['#ffffff', '#f3f5f7', '#e6f0f4'] as const;

export function parseHex(hex: string): [number, number, number] | null {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : null;
}

export function relativeLuminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => { const s = c / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrastRatio(a: string, b: string): number {
  const ca = parseHex(a), cb = parseHex(b);
  if (!ca || !cb) throw new Error(`Not a #rrggbb colour: ${ca ? b : a}`);
  const la = relativeLuminance(ca), lb = relativeLuminance(cb);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** The lowest contrast of a colour against every page colour (what must reach AA_TEXT). */
export function worstContrast(color: string): number {
  return Math.min(...PAGE_COLORS.map((p) => contrastRatio(color, p)));
}

/** A darker shade of a colour (hover states), by a factor of each channel. */
export function darken(hex: string, factor = 0.75): string {
  const c = parseHex(hex);
  if (!c) return hex;
  return `#${c.map((x) => Math.round(x * factor).toString(16).padStart(2, '0')).join('')}`;
}
