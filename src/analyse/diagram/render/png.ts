/**
 * SVG → PNG with resvg (a Rust SVG renderer, prebuilt for each platform by @resvg/resvg-js): no
 * browser, no system fonts. DejaVu Sans comes from the `dejavu-fonts-ttf` package and is loaded by
 * path, so every machine draws the same glyphs the layout measured.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);

export function fontFiles(): string[] {
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'].map((f) => join(dir, f));
}

/** Renders at `width` pixels wide (the SVG is scaled to fit), 1600 by default. */
export function svgToPng(svg: string, width = 1600): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    background: '#FFFFFF',
    font: { loadSystemFonts: false, fontFiles: fontFiles(), defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
