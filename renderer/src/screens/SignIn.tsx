import { useState, type FormEvent } from 'react';
import { call } from '../api';
import { ErrorBox, Field } from '../components/common';

export function SignIn({ agencyName, onDone }: { agencyName: string; onDone: () => void }) {
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
        <Field label="用户名" required>
          {(id) => (
            <input id={id} data-testid="signin-username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} required />
          )}
        </Field>
        <Field label="密码" required>
          {(id) => (
            <input id={id} type="password" data-testid="signin-password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          )}
        </Field>
        <ErrorBox message={error} />
        <div className="actions">
          <button type="submit" className="btn-primary" disabled={busy} data-testid="signin-submit">
            {busy ? '正在登录……' : '登录'}
          </button>
        </div>
      </form>
    </div>
  );
}
