// Certificates for TLS tests, made in the test (node-forge; keys from node:crypto, which is fast):
// a self-signed server certificate, or an agency CA and a server certificate it signed.
import crypto from 'node:crypto';
import forge from 'node-forge';

export interface TestCert {
  certPem: string;
  keyPem: string;
  /** SHA-256 of the DER certificate, 64 lower-case hex digits. */
  fingerprint: string;
}

function rsaKeys(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; keyPem: string } {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const priv = forge.pki.privateKeyFromPem(keyPem);
  const pub = forge.pki.setRsaPublicKey(priv.n, priv.e);
  return { privateKey: priv, publicKey: pub, keyPem };
}

function fingerprintOf(cert: forge.pki.Certificate): string {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  return crypto.createHash('sha256').update(Buffer.from(der, 'binary')).digest('hex');
}

function baseCert(publicKey: forge.pki.rsa.PublicKey, cn: string, serial: string): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial;
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: cn }]);
  return cert;
}

const serverExtensions = (hosts: string[]) => [
  { name: 'basicConstraints', cA: false },
  { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
  { name: 'extKeyUsage', serverAuth: true },
  {
    name: 'subjectAltName',
    altNames: hosts.map((h) => (/^[\d.]+$/.test(h) ? { type: 7, ip: h } : { type: 2, value: h })),
  },
];

/** A self-signed server certificate for `hosts` (default 127.0.0.1 and localhost). */
export function selfSignedCert(hosts: string[] = ['127.0.0.1', 'localhost'], cn = 'lrw.agency.local'): TestCert {
  const k = rsaKeys();
  const cert = baseCert(k.publicKey, cn, '01' + crypto.randomBytes(8).toString('hex'));
  cert.setIssuer(cert.subject.attributes);
  cert.setExtensions(serverExtensions(hosts));
  cert.sign(k.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: k.keyPem, fingerprint: fingerprintOf(cert) };
}

/** An agency CA, and a function that issues server certificates signed by it. */
export function testCa(cn = 'Agency Root CA'): { caPem: string; issue(hosts?: string[]): TestCert } {
  const ca = rsaKeys();
  const caCert = baseCert(ca.publicKey, cn, '02' + crypto.randomBytes(8).toString('hex'));
  caCert.setIssuer(caCert.subject.attributes);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());
  return {
    caPem: forge.pki.certificateToPem(caCert),
    issue(hosts = ['127.0.0.1', 'localhost']) {
      const k = rsaKeys();
      const cert = baseCert(k.publicKey, hosts[0]!, '03' + crypto.randomBytes(8).toString('hex'));
      cert.setIssuer(caCert.subject.attributes);
      cert.setExtensions(serverExtensions(hosts));
      cert.sign(ca.privateKey, forge.md.sha256.create());
      return { certPem: forge.pki.certificateToPem(cert), keyPem: k.keyPem, fingerprint: fingerprintOf(cert) };
    },
  };
}
