/**
 * Reading a PDF as its reader would (Mozilla's PDF.js, the legacy build for Node): the text of each
 * page, and each page drawn to PNG (through @napi-rs/canvas, PDF.js's own canvas in Node) for a look.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

async function open(pdf: Uint8Array) {
  // PDF.js takes ownership of the buffer it is given: a copy keeps the caller's.
  const task = getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, verbosity: 0 });
  const doc = await task.promise;
  return Object.assign(doc, { close: () => task.destroy() });
}

/** The text of each page, its runs joined as laid out (a line break where PDF.js sees one). */
export async function pdfPages(pdf: Uint8Array): Promise<string[]> {
  const doc = await open(pdf);
  try {
    const pages: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const content = await (await doc.getPage(i)).getTextContent();
      let text = '';
      for (const item of content.items) if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
      pages.push(text);
    }
    return pages;
  } finally {
    await doc.close();
  }
}

/**
 * The whole text, whitespace folded to single spaces (a line wrapped in the PDF reads as one), in
 * Unicode's composed form: Chromium's PDF maps a Vietnamese letter drawn as a base and its marks
 * (the font's own glyphs: "ầ" as a + ̂ + ̀, "ỉ" as a dotless ı + ̉) back to those parts, as PDF.js reads it.
 */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  return (await pdfPages(pdf)).join('\n').replace(/\s+/g, ' ').replace(/ı(?=\p{M})/gu, 'i').normalize('NFC');
}

/** Each page as PNG at `scale` (1 = 72 dpi). */
export async function pdfPngs(pdf: Uint8Array, scale = 2): Promise<Buffer[]> {
  const { createCanvas } = await import('@napi-rs/canvas');
  const doc = await open(pdf);
  try {
    const out: Buffer[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      const viewport = page.getViewport({ scale });
      const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      await page.render({ canvas: canvas as never, canvasContext: ctx as never, viewport }).promise;
      out.push(canvas.toBuffer('image/png'));
    }
    return out;
  } finally {
    await doc.close();
  }
}

/** The file name a Content-Disposition header gives (filename* first, as browsers read it). */
export function dispositionName(header: string | null): { ascii: string | null; words: string | null } {
  const ascii = /filename="([^"]*)"/.exec(header ?? '')?.[1] ?? null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header ?? '')?.[1];
  return { ascii, words: star ? decodeURIComponent(star) : null };
}
