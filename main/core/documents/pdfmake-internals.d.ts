// pdfmake's document class (a subclass of pdfkit's), imported only to reach pdfkit's prototype (pdfFonts.ts).
declare module 'pdfmake/js/PDFDocument' {
  const PDFDocument: new (...args: unknown[]) => object;
  export default PDFDocument;
}

// pdfmake's text measurer, imported only to measure character spacing as pdfkit draws it (pdfFonts.ts).
declare module 'pdfmake/js/TextInlines' {
  const TextInlines: new (...args: unknown[]) => object;
  export default TextInlines;
}

// The fontkit pdfkit itself loads (pdfmake's own copy; the top-level fontkit is another, older one):
// used only to reach its font class before pdfkit opens the first face (pdfFonts.ts).
declare module 'pdfmake/node_modules/fontkit' {
  export function create(buffer: Uint8Array, postscriptName?: string): object;
}
