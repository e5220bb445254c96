// 首次使用: the agency profile and the first administrator.
import { useState, type FormEvent } from 'react';
import { call } from '../api';
import { Field, onCtrlEnterSubmit } from '../components/common';
import { FormErrorSummary, FormErrorsProvider, useFormErrors } from '../formErrors';

export function Setup({ onDone }: { onDone: () => void }) {
  const [agencyName, setAgencyName] = useState('');
  const [docPrefix, setDocPrefix] = useState('');
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [password2, setPassword2] = useState('');
  const errors = useFormErrors();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (password !== password2) return errors.showAt('password2', '两次输入的密码不一致。');
    setBusy(true);
    errors.clear();
    const res = await call('app.setup', { agencyName, docPrefix, admin: { username, displayName, password } });
    setBusy(false);
    if (!res.ok) return errors.show(res.error);
    onDone();
  }

  return (
    <div className="center-page">
      <FormErrorsProvider form={errors}>
      <form className="auth-card wide" noValidate onSubmit={submit} onKeyDown={onCtrlEnterSubmit} data-testid="setup-form" ref={(el) => void (errors.root.current = el)}>
        <h1>法制审核工作台 · 首次使用</h1>
        <p className="lead">请创建本机关档案和首位管理员。完成后，由管理员为承办、审核、审批人员开设账号。</p>
        <p className="hint" data-testid="setup-admin-split">
          三员分立（GB/T 22239）：首位管理员暂时兼任系统管理员、安全管理员、审计管理员；请尽快为另外两名人员开设安全管理员和审计管理员账号，开设后首位管理员只保留系统管理员角色。
        </p>
        <fieldset>
          <legend>机关档案</legend>
          <Field label="机关名称" path="agencyName" required hint="例如：某市市场监督管理局">
            {(id) => <input id={id} data-testid="setup-agency" value={agencyName} onChange={(e) => setAgencyName(e.target.value)} required />}
          </Field>
          <Field label="文号前缀" path="docPrefix" required hint="用于决定书文号，例如：某市监罚">
            {(id) => <input id={id} data-testid="setup-prefix" value={docPrefix} onChange={(e) => setDocPrefix(e.target.value)} required />}
          </Field>
        </fieldset>
        <fieldset>
          <legend>首位管理员</legend>
          <Field label="用户名" path="admin.username" required hint="2至32位字母、数字或 _ . -，用于登录">
            {(id) => (
              <input id={id} data-testid="setup-username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
            )}
          </Field>
          <Field label="姓名" path="admin.displayName" required>
            {(id) => <input id={id} data-testid="setup-displayname" value={displayName} onChange={(e) => setDisplayName(e.target.value)} required />}
          </Field>
          <Field label="密码" path="admin.password" required hint="至少8位">
            {(id) => (
              <input id={id} type="password" data-testid="setup-password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
            )}
          </Field>
          <Field label="确认密码" path="password2" required>
            {(id) => (
              <input id={id} type="password" data-testid="setup-password2" autoComplete="new-password" value={password2} onChange={(e) => setPassword2(e.target.value)} required />
            )}
          </Field>
        </fieldset>
        <FormErrorSummary form={errors} testId="setup-error" />
        <div className="actions">
          <button type="submit" className="btn-primary" disabled={busy} data-testid="setup-submit">
            {busy ? '正在创建……' : '创建并进入'}
          </button>
          <span className="hint">Ctrl+Enter 提交</span>
        </div>
      </form>
      </FormErrorsProvider>
    </div>
  );
}
