import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';

/**
 * Shared PDF setup for receipts and statements. PDF's standard fonts have no Chinese glyphs, so we embed
 * Noto Sans SC from an npm package (no system font needed on a server); pdfkit subsets it to the glyphs
 * used, which keeps a receipt around 50 KB.
 */
// The package exports only its script (dist/…); its fonts sit beside that folder.
const fontsDir = join(dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')), '..', 'fonts');
export const FONT_REGULAR = join(fontsDir, 'NotoSansHans-Regular.otf');
export const FONT_BOLD = join(fontsDir, 'NotoSansHans-Bold.otf');

export const BRAND_RED = '#B3261E';
export const INK = '#1F2328';
export const GREY = '#57606A';

/** A new A4 document with the fonts registered, and a promise of its bytes once `end()` is called. */
export function newPdf(title: string): { doc: PDFKit.PDFDocument; bytes: Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    info: { Title: title, Author: '金库 Jinku', Creator: 'Jinku' },
  });
  doc.registerFont('regular', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);
  doc.font('regular');
  const chunks: Buffer[] = [];
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, bytes };
}

/** The bank's letterhead: the mark, the name and the document's title. */
export function letterhead(doc: PDFKit.PDFDocument, title: string, subtitle: string) {
  const top = doc.y;
  doc
    .save()
    .circle(64, top + 14, 14)
    .fill(BRAND_RED)
    .restore();
  doc
    .save()
    .rect(57, top + 11, 14, 6)
    .fill('#C9A227')
    .restore();
  doc
    .fillColor(INK)
    .font('bold')
    .fontSize(18)
    .text('金库 Jinku', 88, top + 2);
  doc
    .font('regular')
    .fontSize(9)
    .fillColor(GREY)
    .text('个人网上银行 Personal Online Banking', 88, top + 24);
  doc.moveDown(1.5);
  doc.font('bold').fontSize(16).fillColor(INK).text(title, 48, doc.y, { align: 'center' });
  doc.font('regular').fontSize(10).fillColor(GREY).text(subtitle, { align: 'center' });
  doc.moveDown(1);
  doc.fillColor(INK);
}
