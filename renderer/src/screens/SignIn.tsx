// 登录, and the password change a reset requires before anything else (issue 10, point 7). The core
// locks an account after repeated wrong passwords and ends idle sessions; its messages are shown as they are.
import { useState, type FormEvent } from 'react';
import type { SessionView } from '../../../main/core/domain/views';
import { call } from '../api';
import { ErrorBox, Field, Notice } from '../components/common';
import { fmtDateTime } from '../format';

export function SignIn({ agencyName, notice, onDone }: { agencyName: string; notice?: string | null; onDone: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const res = await call('auth.signIn', { username, password });
    setBusy(false);
    if (!res.ok) {
      setPassword('');
      return setError(res.error.message);
    }
    onDone();
  }

  return (
    <div className="center-page">
      <form className="auth-card" noValidate onSubmit={submit} data-testid="signin-form">
        <div className="auth-agency">{agencyName}</div>
        <h1>法制审核工作台</h1>
        {!error && <Notice message={notice} testId="signin-notice" />}
        <Field label="用户名" required>
          {(id) => (
            <input id={id} data-testid="signin-username" autoComplete="username" autoFocus maxLength={64} value={username} onChange={(e) => setUsername(e.target.value)} required />
          )}
        </Field>
        <Field label="密码" required>
          {(id) => (
            <input id={id} type="password" data-testid="signin-password" autoComplete="current-password" maxLength={1024} value={password} onChange={(e) => setPassword(e.target.value)} required />
          )}
        </Field>
        <ErrorBox message={error} testId="signin-error" />
        <div className="actions">
          <button type="submit" className="btn-primary" disabled={busy} data-testid="signin-submit">
            {busy ? '正在登录……' : '登录'}
          </button>
        </div>
      </form>
    </div>
  );
}

/** After a reset: says who reset the password and when, and takes the new one. Nothing else is reachable. */
export function ForcedPasswordChange({ session, onDone, onSignOut }: { session: SessionView; onDone: () => void; onSignOut: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [next2, setNext2] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reset = session.passwordReset!;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (next !== next2) return setError('两次输入的新密码不一致。');
    setBusy(true);
    setError(null);
    const res = await call('auth.changePassword', { currentPassword: current, newPassword: next });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    onDone();
  }

  return (
    <div className="center-page">
      <form className="auth-card" noValidate onSubmit={submit} data-testid="password-change-form">
        <div className="auth-agency">{session.agencyName}</div>
        <h1>请修改密码</h1>
        <p className="warn-text" data-testid="password-reset-notice">
          您的密码已由{reset.by}于{fmtDateTime(reset.at)}重置。如非您本人申请，请立即报告本机关安全管理员或法制机构。修改密码后才能继续使用。
        </p>
        <Field label="当前（临时）密码" required>
          {(id) => <input id={id} type="password" data-testid="password-current" autoComplete="current-password" maxLength={1024} value={current} onChange={(e) => setCurrent(e.target.value)} />}
        </Field>
        <Field label="新密码" required hint="至少8位，不能与临时密码相同">
          {(id) => <input id={id} type="password" data-testid="password-new" autoComplete="new-password" maxLength={1024} value={next} onChange={(e) => setNext(e.target.value)} />}
        </Field>
        <Field label="确认新密码" required>
          {(id) => <input id={id} type="password" data-testid="password-new2" autoComplete="new-password" maxLength={1024} value={next2} onChange={(e) => setNext2(e.target.value)} />}
        </Field>
        <ErrorBox message={error} testId="password-change-error" />
        <div className="actions">
          <button type="submit" className="btn-primary" disabled={busy} data-testid="password-change-submit">
            {busy ? '正在保存……' : '修改密码并进入'}
          </button>
          <button type="button" onClick={onSignOut} data-testid="password-change-signout">
            退出
          </button>
        </div>
      </form>
    </div>
  );
}
