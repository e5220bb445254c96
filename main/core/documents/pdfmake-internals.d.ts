// pdfmake's document class (a subclass of pdfkit's), imported only to reach pdfkit's prototype (pdfFonts.ts).
declare module 'pdfmake/js/PDFDocument' {
  const PDFDocument: new (...args: unknown[]) => object;
  export default PDFDocument;
}
