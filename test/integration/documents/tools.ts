// Helpers for the document tests: the external checkers (poppler, openssl), a seal PNG drawn in code, and
// a small certificate authority made with openssl, as an agency's CA would issue a .p12.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export const ARTIFACTS = path.resolve('test-artifacts/documents');

const PACKAGE_OF: Record<string, string> = {
  pdftotext: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  pdffonts: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  pdfsig: 'poppler-utils',
  openssl: 'openssl',
  soffice: 'libreoffice-writer-nogui',
};

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a checker; a missing program fails with the Debian package to install. */
export function run(cmd: string, args: string[], input?: string): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(`${cmd} is not installed: apt-get install ${PACKAGE_OF[cmd] ?? cmd} (or run scripts/install-debian-deps.sh)`);
  }
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface BboxLine {
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  text: string;
}

/** Lines with their boxes (points, origin top left) from pdftotext -bbox-layout. */
export async function bboxLines(file: string): Promise<BboxLine[]> {
  const xml = await ok('pdftotext', ['-bbox-layout', file, '-']);
  const lines: BboxLine[] = [];
  let page = 0;
  const re = /<page [^>]*>|<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([\s\S]*?)<\/line>/g;
  for (const m of xml.matchAll(re)) {
    if (m[0].startsWith('<page')) {
      page++;
      continue;
    }
    const text = [...m[4].matchAll(/>([^<]*)<\/word>/g)].map((w) => w[1]).join('');
    lines.push({ page, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), text });
  }
  return lines;
}

/** Runs a checker that must succeed; returns its stdout. */
export async function ok(cmd: string, args: string[]): Promise<string> {
  const r = await run(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

// ---- a seal image ------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** RGBA PNG from a pixel function. */
export function png(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const raw = Buffer.alloc(height * (1 + 4 * width));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + 4 * width);
    raw[row] = 0;
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + 4 * x);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A red seal: ring and five-pointed star on a transparent background, as uploaded by an administrator. */
export function sealPngBase64(size = 240): string {
  const c = size / 2;
  const outer = size * 0.2;
  const inner = outer * 0.382;
  const star = Array.from({ length: 10 }, (_, i) => {
    const r = i % 2 === 0 ? outer : inner;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    return [c + r * Math.cos(a), c + r * Math.sin(a)] as const;
  });
  const inStar = (x: number, y: number) => {
    let inside = false;
    for (let i = 0, j = star.length - 1; i < star.length; j = i++) {
      const [xi, yi] = star[i];
      const [xj, yj] = star[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
  return png(size, size, (x, y) => {
    const r = Math.hypot(x - c, y - c);
    const ring = r > size * 0.44 && r < size * 0.485;
    return ring || inStar(x, y) ? [220, 20, 20, 200] : [0, 0, 0, 0];
  }).toString('base64');
}

// ---- a certificate authority -------------------------------------------------------------------

export interface IssuedP12 {
  caPem: string;
  p12: Buffer;
  passphrase: string;
}

/**
 * With openssl: a CA "某某数字证书认证中心" and a signer certificate (CN 李四, O 某市司法局) it issued,
 * exported as .p12 in OpenSSL 3's default format (PBES2/AES-256, SHA-256 MAC) or the legacy one.
 */
export async function issueP12(dir: string, opts: { passphrase: string; legacy?: boolean; days?: number; cn?: string }): Promise<IssuedP12> {
  fs.mkdirSync(dir, { recursive: true });
  const f = (n: string) => path.join(dir, n);
  const days = String(opts.days ?? 365);
  await ok('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '3650', '-utf8', '-subj', '/C=CN/O=某某数字认证股份有限公司/CN=某某数字证书认证中心']);
  await ok('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('user.key'), '-out', f('user.csr'), '-utf8', '-subj', `/C=CN/O=某市司法局/CN=${opts.cn ?? '李四'}`]);
  fs.writeFileSync(f('ext.cnf'), 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
  await ok('openssl', ['x509', '-req', '-in', f('user.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('user.pem'), '-days', days, '-extfile', f('ext.cnf')]);
  const args = ['pkcs12', '-export', '-inkey', f('user.key'), '-in', f('user.pem'), '-certfile', f('ca.pem'), '-out', f('user.p12'), '-passout', `pass:${opts.passphrase}`];
  if (opts.legacy) args.push('-legacy');
  await ok('openssl', args);
  return { caPem: fs.readFileSync(f('ca.pem'), 'utf8'), p12: fs.readFileSync(f('user.p12')), passphrase: opts.passphrase };
}

/** Flips one bit of one byte inside the first content stream after `from` (page content, not structure). */
export function flipByteInStream(bytes: Buffer, from = 0): { flipped: Buffer; at: number } {
  const s = bytes.indexOf('stream\n', from);
  if (s < 0) throw new Error('no stream found');
  const at = s + 'stream\n'.length + 20;
  const flipped = Buffer.from(bytes);
  flipped[at] ^= 0x01;
  return { flipped, at };
}
