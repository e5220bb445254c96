// 用户管理 under 三员分立: the 系统管理员 creates accounts and edits names, certificates and whether an
// account is in use; the 安全管理员 grants roles, resets passwords and ends locks (never on their own
// account). The core enforces all of it; this screen only hides what a user may not do.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useConfirm } from '../components/ConfirmDialog';
import type { Role } from '../../../main/core/domain/types';
import type { AdminSplitView, UserView } from '../../../main/core/domain/views';
import { call } from '../api';
import { ErrorBox, Field, Loading, Notice, onCtrlEnterSubmit } from '../components/common';
import { fmtDate, fmtDateTime, todayCst } from '../format';
import { ROLES, ROLE_LABELS } from '../labels';
import { ExemptButton, QualificationCell } from '../components/ReviewerExemption';
import { DateInput } from '../components/DateInput';
import { FormErrorSummary, FormErrorsProvider, useFormErrors } from '../formErrors';

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
        {!creating && me.roles.includes('sys_admin') && (
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
          me={me}
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
        <>
        <AdminSplitHint />
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
                onNotice={(m) => {
                  setNotice(m);
                  void load();
                }}
              />
            ))}
          </tbody>
        </table>
        </>
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
  onNotice,
}: {
  u: UserView;
  me: UserView;
  today: string;
  editing: boolean;
  onEdit: () => void;
  onDone: (saved: UserView | null) => void;
  onNotice: (message: string) => void;
}) {
  const expired = !!u.certExpiry && u.certExpiry < today;
  const [rolesOpen, setRolesOpen] = useState(false);
  const isSys = me.roles.includes('sys_admin');
  const isSec = me.roles.includes('sec_admin');
  const other = u.id !== me.id;
  const locked = !!u.lockedUntil && u.lockedUntil > new Date().toISOString();
  const [confirmDialog, ask] = useConfirm();
  async function reset() {
    if (!(await ask({ title: `确定重置“${u.displayName}”（${u.username}）的密码？`, message: '系统将生成一次性临时密码，该用户下次登录须先修改密码，并会被告知由您重置；此操作记入全过程记录。', confirmLabel: '重置密码', okTestId: 'reset-password-confirm' }))) return;
    const res = await call('users.resetPassword', { userId: u.id });
    if (!res.ok) return window.alert(res.error.message);
    onNotice(`已重置“${u.displayName}”的密码。临时密码：${res.value.temporaryPassword}（只显示这一次，请当面或以安全方式交给本人）。`);
  }
  async function unlock() {
    if (!(await ask({ title: `确定解除“${u.displayName}”（${u.username}）的登录锁定？`, message: '解除后该用户可以立即再次登录；此操作记入全过程记录。', confirmLabel: '解除锁定', okTestId: 'unlock-confirm' }))) return;
    const res = await call('users.unlock', { userId: u.id });
    if (!res.ok) return window.alert(res.error.message);
    onNotice(`已解除“${u.displayName}”的登录锁定。`);
  }
  return (
    <>
      {confirmDialog}
      <tr data-testid="user-row" data-username={u.username} className={u.active ? undefined : 'row-inactive'}>
        <td className="mono">{u.username}</td>
        <td>
          {u.displayName}
          {u.id === me.id && <span className="muted">（本人）</span>}
        </td>
        <td data-testid={`user-roles-${u.username}`}>{u.roles.map((r) => ROLE_LABELS[r]).join('、') || <span className="muted">（无角色）</span>}</td>
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
        <td>
          <QualificationCell u={u} />
        </td>
        <td data-testid={`user-status-${u.username}`}>
          {u.active ? '在用' : '已停用'}
          {locked && <div className="warn-text small">已锁定至{fmtDateTime(u.lockedUntil!)}（连续错误{u.failedAttempts}次）</div>}
          {u.mustChangePassword && <div className="muted small">密码已重置，待本人修改</div>}
        </td>
        <td>
          {isSys && (
            <button type="button" className="btn-small" data-testid={`user-edit-${u.username}`} onClick={onEdit} disabled={editing}>
              修改
            </button>
          )}
          {isSec && other && (
            <>
              <button type="button" className="btn-small" data-testid={`user-roles-edit-${u.username}`} onClick={() => setRolesOpen(true)} disabled={rolesOpen}>
                调整角色
              </button>
              <button type="button" className="btn-small" data-testid={`user-reset-${u.username}`} onClick={() => void reset()}>
                重置密码
              </button>
              {locked && (
                <button type="button" className="btn-small" data-testid={`user-unlock-${u.username}`} onClick={() => void unlock()}>
                  解除锁定
                </button>
              )}
            </>
          )}
          <ExemptButton u={u} me={me} onDone={(saved) => onDone(saved)} onError={(m) => window.alert(m)} />
        </td>
      </tr>
      {editing && (
        <tr className="editor-row">
          <td colSpan={7}>
            <UserEditor user={u} me={me} onCancel={() => onDone(null)} onSaved={(s) => onDone(s)} />
          </td>
        </tr>
      )}
      {rolesOpen && (
        <tr className="editor-row">
          <td colSpan={7}>
            <RolesEditor
              user={u}
              onCancel={() => setRolesOpen(false)}
              onSaved={(s) => {
                setRolesOpen(false);
                onNotice(`已调整“${s.displayName}”的角色：${s.roles.map((r) => ROLE_LABELS[r]).join('、') || '（无）'}。`);
              }}
            />
          </td>
        </tr>
      )}
    </>
  );
}

/** 三员分立 turned off: said on the users page (the status page shows it too). */
function AdminSplitHint() {
  const [split, setSplit] = useState<AdminSplitView | null>(null);
  useEffect(() => {
    void call('app.status', {}).then((r) => r.ok && setSplit(r.value.adminSplit));
  }, []);
  if (!split) return null;
  if (!split.enabled) return <p className="warn-text" data-testid="admin-split-off">本机关已关闭三员分立：一个账号可兼任系统管理员、安全管理员、审计管理员（此设置已记入全过程记录）。</p>;
  // While the split is pending, the shell's banner (App.tsx AdminSplitBanner) asks for the other two administrators.
  return null;
}

/** The 安全管理员 sets another account's roles; the core refuses one's own account and two administrator roles. */
function RolesEditor({ user, onSaved, onCancel }: { user: UserView; onSaved: (u: UserView) => void; onCancel: () => void }) {
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDialog, ask] = useConfirm();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const added = roles.filter((r) => !user.roles.includes(r)).map((r) => ROLE_LABELS[r]);
    const removed = user.roles.filter((r) => !roles.includes(r)).map((r) => ROLE_LABELS[r]);
    if (!added.length && !removed.length) return onCancel();
    if (!(await ask({ title: `确定调整“${user.displayName}”的角色？`, message: `${added.length ? `授予：${added.join('、')}。` : ''}${removed.length ? `撤销：${removed.join('、')}。` : ''}此操作记入全过程记录。`, confirmLabel: '调整角色', okTestId: 'roles-confirm' }))) return;
    setBusy(true);
    setError(null);
    const res = await call('users.setRoles', { userId: user.id, roles });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    onSaved(res.value);
  }
  return (
    <form className="card user-editor" noValidate onSubmit={submit} data-testid={`user-roles-form-${user.username}`}>
      <h2 className="card-title">调整角色：{user.displayName}</h2>
      {confirmDialog}
      <RoleChecks prefix={`roles-${user.username}`} roles={roles} setRoles={setRoles} />
      <ErrorBox message={error} testId="user-roles-error" />
      <div className="actions">
        <button type="submit" className="btn-primary" data-testid={`roles-${user.username}-save`} disabled={busy}>
          保存角色
        </button>
        <button type="button" onClick={onCancel}>
          取消
        </button>
      </div>
    </form>
  );
}

function RoleChecks({ prefix, roles, setRoles }: { prefix: string; roles: Role[]; setRoles: (f: (rs: Role[]) => Role[]) => void }) {
  return (
    <fieldset className="checks inline" data-testid={`${prefix}-roles`}>
      <legend>角色</legend>
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
  );
}

function UserEditor({ user, me, onSaved, onCancel }: { user?: UserView; me: UserView; onSaved: (u: UserView) => void; onCancel: () => void }) {
  const isNew = !user;
  // Only a creator who may grant roles (安全管理员; the first administrator until the split is complete) creates an account with roles.
  const grants = me.roles.includes('sec_admin');
  const [username, setUsername] = useState(user?.username ?? '');
  const [displayName, setDisplayName] = useState(user?.displayName ?? '');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<Role[]>(user?.roles ?? []);
  const [certNo, setCertNo] = useState(user?.certNo ?? '');
  const [certExpiry, setCertExpiry] = useState(user?.certExpiry ?? '');
  const [qualificationNo, setQualificationNo] = useState(user?.qualificationNo ?? '');
  const [active, setActive] = useState(user?.active ?? true);
  const errors = useFormErrors();
  const [busy, setBusy] = useState(false);
  const prefix = isNew ? 'user' : `user-${user.username}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    errors.clear();
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
          certNo: certNo.trim(),
          ...(certExpiry && { certExpiry }),
          qualificationNo: qualificationNo.trim(),
          active,
        });
    setBusy(false);
    if (!res.ok) return errors.show(res.error);
    onSaved(res.value);
  }

  return (
    <FormErrorsProvider form={errors}>
    <form
      className="card user-editor"
      noValidate
      onSubmit={submit}
      onKeyDown={onCtrlEnterSubmit}
      data-testid={isNew ? 'user-create-form' : `user-edit-form-${user.username}`}
      ref={(el) => void (errors.root.current = el)}
    >
      <h2 className="card-title">{isNew ? '新增用户' : `修改用户：${user.displayName}`}</h2>
      <div className="grid-3">
        <Field label="用户名" path="username" required hint="2至32位字母、数字或 _ . -">
          {(id) => (
            <input id={id} data-testid={`${prefix}-username`} value={username} disabled={!isNew} onChange={(e) => setUsername(e.target.value)} autoComplete="off" />
          )}
        </Field>
        <Field label="姓名" path="displayName" required>
          {(id) => <input id={id} data-testid={`${prefix}-displayname`} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
        </Field>
        {isNew && (
          <Field label="初始密码" path="password" required hint="至少8位">
            {(id) => (
              <input id={id} type="password" data-testid={`${prefix}-password`} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
            )}
          </Field>
        )}
      </div>
      {isNew && grants && <RoleChecks prefix={prefix} roles={roles} setRoles={setRoles} />}
      {isNew && !grants && <p className="muted small">三员分立：新账号不带角色，创建后由安全管理员授予角色。</p>}
      <div className="grid-3">
        <Field label="执法证号" path="certNo" hint="参与执法的人员填写">
          {(id) => <input id={id} data-testid={`${prefix}-certno`} value={certNo} onChange={(e) => setCertNo(e.target.value)} />}
        </Field>
        <Field label="执法证有效期至" path="certExpiry" required={!!certNo.trim()}>
          {(id) => <DateInput id={id} testId={`${prefix}-certexpiry`} value={certExpiry} onChange={setCertExpiry} />}
        </Field>
        <Field label="法律职业资格证号" path="qualificationNo" hint="初次从事法制审核的人员须取得">
          {(id) => <input id={id} data-testid={`${prefix}-qualification`} value={qualificationNo} onChange={(e) => setQualificationNo(e.target.value)} />}
        </Field>
      </div>
      {!isNew && (
        <label className="check-line">
          <input type="checkbox" data-testid={`${prefix}-active`} checked={active} onChange={(e) => setActive(e.target.checked)} />
          账号在用（取消勾选即停用，停用后不能登录，历史记录保留）
        </label>
      )}
      <FormErrorSummary form={errors} testId="user-error" />
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
    </FormErrorsProvider>
  );
}
