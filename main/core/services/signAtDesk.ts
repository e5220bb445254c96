// The desktop's half of signing in team mode (issue 14, point 5; the server's half is deskSigning.ts).
// The private key stays on this desktop: the .p12 in its keys folder, the passphrase in its keychain,
// exactly as in 单机使用. In team mode the desktop answers three channels itself instead of forwarding
// them, each ending in a request to the agency server (and says, of each registered certificate, whether
// its key is on this computer):
//   signing.createTrial / signing.import — make or import the key here, then register its public
//     certificate chain on the server (signing.register) with a signed statement proving the key is here;
//   documents.issue — the server prepares (documents.prepareIssue: every check of issuing, the rendering),
//     this desktop signs exactly the prepared bytes with the registered key and the server's signing time,
//     and the server checks and stores the result (documents.completeIssue).
// No database here and no rule: every check happens on the server. Used by the Electron main process
// (main/electron/teamClient.ts) and by `lrw --server` (main/cli/caller.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { Result } from '../../../preload/contract';
import { AppError, toErrorPayload } from '../domain/errors';
import { createDetachedCms } from '../documents/cms';
import { createTrialIdentity, deleteIdentity, importP12Identity, listIdentities, loadSigningKey, type SigningIdentity } from '../documents/identity';
import { certToDer, openP12, openP12Cached } from '../documents/pkcs12';
import { signedContent } from '../documents/sign';
import { IdentityImportInput, IssueInput } from '../../../preload/contract';
import type { SecretStore } from '../secrets';
import type { SessionView } from '../domain/views';
import { registrationStatement, type IssueRequestView } from './deskSigning';
import { parseInput } from './core';
import type { IdentityView, IssuedView } from './issue';

/** Sends one contract request to the agency server with the window's session. */
export type ServerCall = (channel: string, input: unknown) => Promise<Result<unknown>>;

/** The channels a desktop in team mode answers with the key it holds. */
export const SIGNED_AT_DESK: ReadonlySet<string> = new Set(['signing.createTrial', 'signing.import', 'documents.issue', 'signing.identities']);

export interface DeskSignerOptions {
  /** This desktop's keys folder (.p12 files). */
  keysDir: string;
  /** This desktop's keychain (passphrases). */
  secrets: () => Promise<SecretStore>;
  now?: () => Date;
}

const failure = (err: unknown): Result<never> => {
  if (err instanceof AppError) return { ok: false, error: toErrorPayload(err) };
  return { ok: false, error: { code: 'INTERNAL', message: '本机签名失败，文书未签发，请联系管理员。' } };
};

async function value<T>(res: Promise<Result<unknown>>): Promise<T> {
  const r = await res;
  if (!r.ok) throw Object.assign(new AppError(r.error.code as never, r.error.message), { passedOn: r });
  return r.value as T;
}

export class DeskSigner {
  constructor(private readonly opts: DeskSignerOptions) {}

  private async store() {
    return { keysDir: this.opts.keysDir, store: await this.opts.secrets() };
  }

  /** Is the .p12 of this certificate in this computer's keys folder? */
  private holds(fingerprint: string): boolean {
    return /^[0-9a-f]{64}$/.test(fingerprint) && fs.existsSync(path.join(this.opts.keysDir, `${fingerprint}.p12`));
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  /** One of SIGNED_AT_DESK, answered here; the server's refusals are passed on as they came. */
  async handle(channel: string, input: unknown, call: ServerCall): Promise<Result<unknown>> {
    try {
      switch (channel) {
        case 'signing.createTrial': {
          const me = await value<SessionView | null>(call('auth.me', {}));
          if (!me) return { ok: false, error: { code: 'UNAUTHENTICATED', message: '请先登录。' } };
          const id = await createTrialIdentity({ ...(await this.store()), signerName: me.user.displayName, agency: me.agencyName, now: this.now() });
          return { ok: true, value: await this.register(id, me.user.username, call, true) };
        }
        case 'signing.import': {
          const i = parseInput(IdentityImportInput, input);
          const me = await value<SessionView | null>(call('auth.me', {}));
          if (!me) return { ok: false, error: { code: 'UNAUTHENTICATED', message: '请先登录。' } };
          const known = new Set((await listIdentities(await this.store())).map((x) => x.id));
          const id = await importP12Identity({ ...(await this.store()), p12: Buffer.from(i.base64, 'base64'), passphrase: i.passphrase, now: this.now() });
          return { ok: true, value: await this.register(id, me.user.username, call, !known.has(id.id)) };
        }
        case 'documents.issue':
          return { ok: true, value: await this.issue(parseInput(IssueInput, input), call) };
        case 'signing.identities': {
          const ids = await value<IdentityView[]>(call('signing.identities', input));
          return { ok: true, value: ids.map((i) => ({ ...i, keyHere: this.holds(i.fingerprint) })) };
        }
        default:
          return { ok: false, error: { code: 'NOT_FOUND', message: '未知的操作。' } };
      }
    } catch (err) {
      const passed = (err as { passedOn?: Result<never> }).passedOn;
      return passed ?? failure(err);
    }
  }

  /**
   * Registers a key held here on the server. A key made or imported for this registration is removed
   * again from this desktop if the server refuses it (nothing half-done stays behind).
   */
  private async register(id: SigningIdentity, username: string, call: ServerCall, removeOnRefusal: boolean): Promise<IdentityView> {
    try {
      const key = await loadSigningKey(id.id, await this.store());
      const opened = openP12(key.p12, key.passphrase);
      const proof = createDetachedCms(registrationStatement(username, id.id), opened, this.now());
      return await value<IdentityView>(call('signing.register', {
        chainBase64: opened.chain.map((c) => certToDer(c).toString('base64')),
        proofBase64: proof.toString('base64'),
      }));
    } catch (err) {
      if (removeOnRefusal) await deleteIdentity(id.id, await this.store()).catch(() => undefined);
      throw err;
    }
  }

  /** Prepare on the server, sign the prepared bytes here, complete on the server. */
  private async issue(input: { caseId: number; templateId: string; fingerprint?: string }, call: ServerCall): Promise<IssuedView[]> {
    const elsewhere = () => new AppError('BAD_STATE', '您在服务器登记的签名证书的私钥不在这台电脑上：请在保存该证书的电脑上签发，或在本机“签名证书”中导入该证书。');
    // The certificate whose key is on this computer signs: the one named, else the newest current one held
    // here (a signer may have registered a key at each of two desks). With none registered, the server says so.
    let fingerprint = input.fingerprint;
    if (fingerprint === undefined) {
      const current = await value<IdentityView[]>(call('signing.identities', {}));
      fingerprint = current.find((i) => this.holds(i.fingerprint))?.fingerprint;
      if (current.length && !fingerprint) throw elsewhere();
    } else if (!this.holds(fingerprint)) throw elsewhere();
    const req = await value<IssueRequestView>(call('documents.prepareIssue', { ...input, ...(fingerprint && { fingerprint }) }));
    const store = await this.store();
    if (!this.holds(req.fingerprint)) throw elsewhere();
    const key = await loadSigningKey(req.fingerprint, store);
    const opened = openP12Cached(key.p12, key.passphrase);
    // signedContent refuses a PDF whose signature would not cover the whole file but its own slot.
    const pdf = Buffer.from(req.pdfBase64, 'base64');
    const signingTime = new Date(req.signingTime);
    return await value<IssuedView[]>(call('documents.completeIssue', {
      requestId: req.requestId,
      pdfSignatureBase64: createDetachedCms(signedContent(pdf), opened, signingTime).toString('base64'),
      p7sBase64: createDetachedCms(Buffer.from(req.docxBase64, 'base64'), opened, signingTime).toString('base64'),
    }));
  }
}
