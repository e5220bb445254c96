// The desktop's transport to the agency server (main/electron/remote.ts) against a real TLS server on
// 127.0.0.1: a pinned fingerprint is accepted, any other certificate refused before a byte of the
// request (or the bearer token) is sent; an imported agency CA is trusted and a foreign one is not;
// the probe shows the certificate's fingerprint; the session token is taken and sent per the protocol.
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFingerprint, normalizeFingerprint, parseServerUrl, probeCertificate, RemoteCaller, type RemoteSession } from '../../main/electron/remote';
import { selfSignedCert, testCa, type TestCert } from '../helpers/tlsCerts';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A TLS server speaking the protocol's shape: POST /api/<channel> → a Result; auth.signIn sets a token. */
async function tlsServer(cert: TestCert): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.setHeader('content-type', 'application/json');
      if (req.url === '/healthz') return res.end(JSON.stringify({ ok: true, engine: 'sqlite', head: 3 }));
      if (req.url === '/api/auth.signIn') {
        res.setHeader('x-lrw-session', 'tok-123');
        return res.end(JSON.stringify({ ok: true, value: { user: { id: 2, username: 'handler' }, agencyName: '某局' } }));
      }
      if (req.url === '/api/broken') {
        res.statusCode = 502;
        return res.end('<html>Bad gateway</html>');
      }
      if (req.headers.authorization !== 'Bearer tok-123') {
        return res.end(JSON.stringify({ ok: false, error: { code: 'UNAUTHENTICATED', message: '请先登录' } }));
      }
      return res.end(JSON.stringify({ ok: true, value: { echo: JSON.parse(body || '{}'), channel: req.url } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A port on 127.0.0.1 nothing listens on. */
async function deadPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let selfSigned: TestCert;
let other: TestCert;
let ca: ReturnType<typeof testCa>;
let otherCa: ReturnType<typeof testCa>;

beforeAll(() => {
  selfSigned = selfSignedCert();
  other = selfSignedCert();
  ca = testCa();
  otherCa = testCa('Other Agency Root CA');
});

describe('fingerprints and addresses', () => {
  it('reads a fingerprint with or without colons and shows it as AB:CD:…', () => {
    const hex = 'ab'.repeat(32);
    expect(normalizeFingerprint(formatFingerprint(hex))).toBe(hex);
    expect(normalizeFingerprint(hex.toUpperCase())).toBe(hex);
    expect(formatFingerprint(hex)).toMatch(/^AB(:AB){31}$/);
    expect(normalizeFingerprint('ab'.repeat(31))).toBeNull();
    expect(normalizeFingerprint('zz'.repeat(32))).toBeNull();
  });

  it('takes only an https origin as the server address', () => {
    expect(parseServerUrl('https://lrw.agency.local:8443').ok).toBe(true);
    const http = parseServerUrl('http://lrw.agency.local:8443');
    expect(http.ok).toBe(false);
    expect(!http.ok && http.message).toMatch(/https/);
    expect(parseServerUrl('https://u:p@lrw.agency.local').ok).toBe(false);
    expect(parseServerUrl('https://lrw.agency.local/api').ok).toBe(false);
    expect(parseServerUrl('不是地址').ok).toBe(false);
  });
});

describe('a pinned self-signed certificate', () => {
  let srv: Awaited<ReturnType<typeof tlsServer>>;
  beforeAll(async () => {
    srv = await tlsServer(selfSigned);
  });
  afterAll(async () => {
    await srv.close();
  });

  it('the probe returns the fingerprint the server presents, for confirmation, without sending a request', async () => {
    const before = srv.seen.length;
    const r = await probeCertificate(srv.url);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.fingerprint).toBe(selfSigned.fingerprint);
    expect(r.value.fingerprintDisplay).toBe(formatFingerprint(selfSigned.fingerprint));
    expect(r.value.subject).toContain('lrw.agency.local');
    expect(r.value.trustedBySystem).toBe(false);
    expect(srv.seen.length).toBe(before);
  });

  it('with the right fingerprint: signs in, keeps the bearer token and sends it with x-lrw-client', async () => {
    const reach: boolean[] = [];
    const caller = new RemoteCaller({ url: srv.url, trust: { fingerprint: formatFingerprint(selfSigned.fingerprint) }, onReachability: (r) => reach.push(r) });
    const session: RemoteSession = { token: null };
    try {
      const signIn = await caller.call('auth.signIn', { username: 'handler', password: 'x' }, session);
      expect(signIn.ok).toBe(true);
      expect(session.token).toBe('tok-123');
      const res = await caller.call('drafts.save', { key: 'k', json: '{"t":"草稿"}' }, session);
      expect(res).toMatchObject({ ok: true, value: { echo: { key: 'k', json: '{"t":"草稿"}' }, channel: '/api/drafts.save' } });
      const last = srv.seen.at(-1)!;
      expect(last.method).toBe('POST');
      expect(last.headers['x-lrw-client']).toBe('token');
      expect(last.headers.authorization).toBe('Bearer tok-123');
      expect(last.headers['content-type']).toBe('application/json');
      expect(res.serverDate).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(reach).toEqual([true]);
      expect((await caller.health()).ok).toBe(true);
    } finally {
      caller.close();
    }
  });

  it('an UNAUTHENTICATED reply drops the token; a reply that is not a Result is no success', async () => {
    const caller = new RemoteCaller({ url: srv.url, trust: { fingerprint: selfSigned.fingerprint } });
    try {
      const session: RemoteSession = { token: 'expired' };
      const r = await caller.call('cases.queue', {}, session);
      expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
      expect(session.token).toBeNull();
      const broken = await caller.call('broken', {}, session);
      expect(broken).toMatchObject({ ok: false, error: { code: 'SERVER_UNREACHABLE' } });
      expect(!broken.ok && broken.error.message).toContain('502');
    } finally {
      caller.close();
    }
  });

  it('with a wrong fingerprint: refused with a clear Chinese message, and the server never sees the request', async () => {
    const before = srv.seen.length;
    const reach: { r: boolean; code?: string }[] = [];
    const caller = new RemoteCaller({ url: srv.url, trust: { fingerprint: other.fingerprint }, onReachability: (r, e) => reach.push({ r, code: e?.code }) });
    try {
      const session: RemoteSession = { token: 'secret-token' };
      const r = await caller.call('auth.signIn', { username: 'handler', password: 'Passw0rd!' }, session);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe('CERT_MISMATCH');
      expect(r.error.message).toContain('证书指纹不一致，已拒绝连接');
      expect(r.error.message).toContain(formatFingerprint(other.fingerprint));
      expect(r.error.message).toContain(formatFingerprint(selfSigned.fingerprint));
      expect(srv.seen.length).toBe(before);
      expect(session.token).toBe('secret-token');
      expect(reach).toEqual([{ r: false, code: 'CERT_MISMATCH' }]);
      expect((await caller.health()).ok).toBe(false);
      expect(srv.seen.length).toBe(before);
    } finally {
      caller.close();
    }
  });

  it('trusting a CA instead refuses the self-signed certificate', async () => {
    const caller = new RemoteCaller({ url: srv.url, trust: { caPem: ca.caPem } });
    try {
      const r = await caller.call('app.status', {}, { token: null });
      expect(r).toMatchObject({ ok: false, error: { code: 'CERT_UNTRUSTED' } });
      expect(!r.ok && r.error.message).toContain('服务器证书不受信任');
    } finally {
      caller.close();
    }
  });
});

describe('an imported agency CA', () => {
  let srv: Awaited<ReturnType<typeof tlsServer>>;
  let wrongHost: Awaited<ReturnType<typeof tlsServer>>;
  beforeAll(async () => {
    srv = await tlsServer(ca.issue(['127.0.0.1']));
    wrongHost = await tlsServer(ca.issue(['lrw.other.local']));
  });
  afterAll(async () => {
    await srv.close();
    await wrongHost.close();
  });

  it('a server certificate signed by the imported CA is trusted', async () => {
    const caller = new RemoteCaller({ url: srv.url, trust: { caPem: ca.caPem } });
    try {
      const session: RemoteSession = { token: null };
      expect((await caller.call('auth.signIn', { username: 'a', password: 'b' }, session)).ok).toBe(true);
      expect(await caller.call('cases.queue', {}, session)).toMatchObject({ ok: true });
    } finally {
      caller.close();
    }
  });

  it('another CA, or a certificate for another host name, is refused', async () => {
    const foreign = new RemoteCaller({ url: srv.url, trust: { caPem: otherCa.caPem } });
    const host = new RemoteCaller({ url: wrongHost.url, trust: { caPem: ca.caPem } });
    try {
      const a = await foreign.call('app.status', {}, { token: null });
      expect(a).toMatchObject({ ok: false, error: { code: 'CERT_UNTRUSTED' } });
      expect(!a.ok && a.error.message).toContain('不是由已导入的本单位根证书签发');
      const b = await host.call('app.status', {}, { token: null });
      expect(b).toMatchObject({ ok: false, error: { code: 'CERT_UNTRUSTED' } });
      expect(!b.ok && b.error.message).toContain('主机名与服务器地址不符');
    } finally {
      foreign.close();
      host.close();
    }
  });
});

describe('no server', () => {
  it('a closed port is SERVER_UNREACHABLE, for calls, health and the probe', async () => {
    const url = `https://127.0.0.1:${await deadPort()}`;
    const caller = new RemoteCaller({ url, trust: { fingerprint: selfSigned.fingerprint } });
    try {
      const r = await caller.call('app.status', {}, { token: null });
      expect(r).toMatchObject({ ok: false, error: { code: 'SERVER_UNREACHABLE' } });
      expect(!r.ok && r.error.message).toContain('无法连接本单位服务器');
      expect(caller.isReachable).toBe(false);
      expect((await caller.health()).ok).toBe(false);
      expect(await probeCertificate(url)).toMatchObject({ ok: false, error: { code: 'SERVER_UNREACHABLE' } });
    } finally {
      caller.close();
    }
  });

  it('a server that accepts but never answers times out as unreachable', async () => {
    // Reads (so it sees the client give up) but never answers the TLS handshake.
    const silent = net.createServer((s) => s.resume());
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as AddressInfo;
    const caller = new RemoteCaller({ url: `https://127.0.0.1:${port}`, trust: { fingerprint: selfSigned.fingerprint }, timeoutMs: 300 });
    try {
      const t0 = Date.now();
      expect(await caller.call('app.status', {}, { token: null })).toMatchObject({ ok: false, error: { code: 'SERVER_UNREACHABLE' } });
      expect(Date.now() - t0).toBeLessThan(5000);
    } finally {
      caller.close();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});
