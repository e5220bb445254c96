// 用户管理 (admin): list, create, and edit roles, certificates and whether an account is in use.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { Role } from '../../../main/core/domain/types';
import type { UserView } from '../../../main/core/domain/views';
import { call } from '../api';
import { ErrorBox, Field, Loading, Notice, onCtrlEnterSubmit } from '../components/common';
import { fmtDate, todayCst } from '../format';
import { ROLES, ROLE_LABELS } from '../labels';

export function Users({ me }: { me: UserView }) {
  const [users, setUsers] = useState<UserView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(async () => {
    const res = await call('users.list', {});
    if (res.ok) setUsers(res.value);
    else setError(res.error.message);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const today = todayCst();

  return (
    <div className="page" data-testid="users-page">
      <div className="page-head">
        <h1>用户管理</h1>
        {!creating && (
          <button
            type="button"
            className="btn-primary"
            data-testid="user-new"
            onClick={() => {
              setCreating(true);
              setNotice(null);
            }}
          >
            新增用户
          </button>
        )}
      </div>
      <Notice message={notice} testId="users-notice" />
      {creating && (
        <UserEditor
          onCancel={() => setCreating(false)}
          onSaved={(u) => {
            setCreating(false);
            setNotice(`已新增用户“${u.displayName}”（${u.username}）。`);
            void load();
          }}
        />
      )}
      <ErrorBox message={error} />
      {!users && !error && <Loading />}
      {users && (
        <table className="table" data-testid="users-table">
          <thead>
            <tr>
              <th scope="col">用户名</th>
              <th scope="col">姓名</th>
              <th scope="col">角色</th>
              <th scope="col">执法证</th>
              <th scope="col">法律职业资格</th>
              <th scope="col">状态</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <UserRow
                key={u.id}
                u={u}
                me={me}
                today={today}
                editing={editing === u.id}
                onEdit={() => {
                  setEditing(u.id);
                  setNotice(null);
                }}
                onDone={(saved) => {
                  setEditing(null);
                  if (saved) {
                    setNotice(`已保存用户“${saved.displayName}”的修改。`);
                    void load();
                  }
                }}
              />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function UserRow({
  u,
  me,
  today,
  editing,
  onEdit,
  onDone,
}: {
  u: UserView;
  me: UserView;
  today: string;
  editing: boolean;
  onEdit: () => void;
  onDone: (saved: UserView | null) => void;
}) {
  const expired = !!u.certExpiry && u.certExpiry < today;
  return (
    <>
      <tr data-testid="user-row" data-username={u.username} className={u.active ? undefined : 'row-inactive'}>
        <td className="mono">{u.username}</td>
        <td>
          {u.displayName}
          {u.id === me.id && <span className="muted">（本人）</span>}
        </td>
        <td>{u.roles.map((r) => ROLE_LABELS[r]).join('、')}</td>
        <td>
          {u.certNo ? (
            <>
              {u.certNo}
              <div className={expired ? 'warn-text small' : 'muted small'}>
                有效期至{fmtDate(u.certExpiry)}
                {expired && '（已过期）'}
              </div>
            </>
          ) : (
            '—'
          )}
        </td>
        <td>{u.qualificationNo ?? '—'}</td>
        <td>{u.active ? '在用' : '已停用'}</td>
        <td>
          <button type="button" className="btn-small" data-testid={`user-edit-${u.username}`} onClick={onEdit} disabled={editing}>
            修改
          </button>
        </td>
      </tr>
      {editing && (
        <tr className="editor-row">
          <td colSpan={7}>
            <UserEditor user={u} onCancel={() => onDone(null)} onSaved={(s) => onDone(s)} />
          </td>
        </tr>
      )}
    </>
  );
}

function UserEditor({ user, onSaved, onCancel }: { user?: UserView; onSaved: (u: UserView) => void; onCancel: () => void }) {
  const isNew = !user;
  const [username, setUsername] = useState(user?.username ?? '');
  const [displayName, setDisplayName] = useState(user?.displayName ?? '');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<Role[]>(user?.roles ?? []);
  const [certNo, setCertNo] = useState(user?.certNo ?? '');
  const [certExpiry, setCertExpiry] = useState(user?.certExpiry ?? '');
  const [qualificationNo, setQualificationNo] = useState(user?.qualificationNo ?? '');
  const [active, setActive] = useState(user?.active ?? true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const prefix = isNew ? 'user' : `user-${user.username}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const res = isNew
      ? await call('users.create', {
          username,
          displayName,
          password,
          roles,
          certNo: certNo.trim() || undefined,
          certExpiry: certExpiry || undefined,
          qualificationNo: qualificationNo.trim() || undefined,
        })
      : await call('users.update', {
          userId: user.id,
          displayName,
          roles,
          certNo: certNo.trim(),
          ...(certExpiry && { certExpiry }),
          qualificationNo: qualificationNo.trim(),
          active,
          ...(password && { password }),
        });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    onSaved(res.value);
  }

  return (
    <form className="card user-editor" noValidate onSubmit={submit} onKeyDown={onCtrlEnterSubmit} data-testid={isNew ? 'user-create-form' : `user-edit-form-${user.username}`}>
      <h2 className="card-title">{isNew ? '新增用户' : `修改用户：${user.displayName}`}</h2>
      <div className="grid-3">
        <Field label="用户名" required hint="2至32位字母、数字或 _ . -">
          {(id) => (
            <input id={id} data-testid={`${prefix}-username`} value={username} disabled={!isNew} onChange={(e) => setUsername(e.target.value)} autoComplete="off" />
          )}
        </Field>
        <Field label="姓名" required>
          {(id) => <input id={id} data-testid={`${prefix}-displayname`} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
        </Field>
        <Field label={isNew ? '初始密码' : '重设密码'} required={isNew} hint={isNew ? '至少8位' : '不修改请留空'}>
          {(id) => (
            <input id={id} type="password" data-testid={`${prefix}-password`} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
          )}
        </Field>
      </div>
      <fieldset className="checks inline" data-testid={`${prefix}-roles`}>
        <legend>
          角色<span className="req" aria-hidden="true">＊</span>
        </legend>
        {ROLES.map((r) => (
          <label key={r}>
            <input
              type="checkbox"
              data-testid={`${prefix}-role-${r}`}
              checked={roles.includes(r)}
              onChange={(e) => setRoles((rs) => (e.target.checked ? [...rs, r] : rs.filter((x) => x !== r)))}
            />
            {ROLE_LABELS[r]}
          </label>
        ))}
      </fieldset>
      <div className="grid-3">
        <Field label="执法证号" hint="参与执法的人员填写">
          {(id) => <input id={id} data-testid={`${prefix}-certno`} value={certNo} onChange={(e) => setCertNo(e.target.value)} />}
        </Field>
        <Field label="执法证有效期至" required={!!certNo.trim()}>
          {(id) => <input id={id} type="date" data-testid={`${prefix}-certexpiry`} value={certExpiry} onChange={(e) => setCertExpiry(e.target.value)} />}
        </Field>
        <Field label="法律职业资格证号" hint="初次从事法制审核的人员须取得">
          {(id) => <input id={id} data-testid={`${prefix}-qualification`} value={qualificationNo} onChange={(e) => setQualificationNo(e.target.value)} />}
        </Field>
      </div>
      {!isNew && (
        <label className="check-line">
          <input type="checkbox" data-testid={`${prefix}-active`} checked={active} onChange={(e) => setActive(e.target.checked)} />
          账号在用（取消勾选即停用，停用后不能登录，历史记录保留）
        </label>
      )}
      <ErrorBox message={error} testId="user-error" />
      <div className="actions">
        <button type="submit" className="btn-primary" data-testid={`${prefix}-save`} disabled={busy}>
          {isNew ? '新增' : '保存'}
        </button>
        <button type="button" onClick={onCancel}>
          取消
        </button>
        <span className="hint">Ctrl+Enter 保存</span>
      </div>
    </form>
  );
}
