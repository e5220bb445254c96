// Certificates for the server: a self-signed one for a trial (an agency's own CA for production), and
// the SHA-256 fingerprint desktops pin and the IT officer compares.
import { X509Certificate, createHash } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

/** SHA-256 over the certificate's DER, as colon-separated upper-case hex (the way browsers show it). */
export function certificateFingerprint(pem: string | Buffer): string {
  const der = new X509Certificate(pem).raw;
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}

export function createSelfSignedCertificate(host: string, days = 825): { certPem: string; keyPem: string; fingerprint: string } {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + days * 86_400_000);
  const attrs = [{ name: 'commonName', value: host }, { name: 'organizationName', value: 'LRW trial' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  const altNames: { type: number; value?: string; ip?: string }[] = isIP(host) ? [{ type: 7, ip: host }] : [{ type: 2, value: host }];
  if (host !== 'localhost' && !isIP(host)) altNames.push({ type: 2, value: 'localhost' });
  if (host !== '127.0.0.1') altNames.push({ type: 7, ip: '127.0.0.1' });
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  return { certPem, keyPem: forge.pki.privateKeyToPem(keys.privateKey), fingerprint: certificateFingerprint(certPem) };
}
