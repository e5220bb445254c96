// Top level: first-run setup, sign-in, then the shell with its navigation.
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { AppStatus, SessionView } from '../../main/core/domain/views';
import type { Role } from '../../main/core/domain/types';
import { call, SIGNED_OUT_EVENT } from './api';
import { ErrorBox, Loading, flushAllAutosaves } from './components/common';
import { ROLE_LABELS } from './labels';
import { navigate, useRoute, type Route } from './router';
import { AuditVerify } from './screens/AuditVerify';
import { CasePage } from './screens/CasePage';
import { Queue } from './screens/Queue';
import { ReviewPage } from './screens/ReviewPage';
import { Search } from './screens/Search';
import { Setup } from './screens/Setup';
import { ForcedPasswordChange, SignIn } from './screens/SignIn';
import { SubmitForm } from './screens/SubmitForm';
import { Users } from './screens/Users';
import { DeadlineCalendar } from './screens/DeadlineCalendar';
import { Overdue } from './screens/Overdue';
import { Stats } from './screens/Stats';
import { Catalog } from './screens/Catalog';
import { Inspections } from './screens/Inspections';
import { Settings } from './screens/Settings';
import { MeetingCreate, Meetings } from './screens/Meetings';
import { MeetingPage } from './screens/MeetingPage';
import { LastDayWatcher } from './components/LastDayWatcher';
import { AlarmBanner } from './components/AlarmBanner';
import { ConnectionBanner } from './components/ConnectionBanner';
import { TemplateEditor, Templates } from './screens/Templates';
import { Certificates } from './screens/Certificates';
import { VerifySignature } from './screens/VerifySignature';
import { IssuedDocuments } from './screens/IssuedDocuments';
import { QUEUE_STALE_EVENT, refreshQueue, useQueue } from './queueStore';
import { useLiveChanges } from './live';
import type { QueueView } from '../../main/core/domain/views';
import { CasePrint, ListPrint } from './screens/PrintViews';
import type { CaseState } from '../../main/core/domain/types';

// The drafting page carries the rich-text editor: loaded on first use, in its own chunk.
const DraftingPage = lazy(() => import('./screens/DraftingPage').then((m) => ({ default: m.DraftingPage })));

type Phase =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'setup' }
  | { kind: 'signin'; status: AppStatus }
  | { kind: 'ready'; status: AppStatus; session: SessionView };

export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [signedOutNotice, setSignedOutNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    const st = await call('app.status', {});
    if (!st.ok) return setPhase({ kind: 'failed', message: st.error.message });
    if (!st.value.setupDone) return setPhase({ kind: 'setup' });
    const me = await call('auth.me', {});
    if (me.ok && me.value) return setPhase({ kind: 'ready', status: st.value, session: me.value });
    setPhase({ kind: 'signin', status: st.value });
  }, []);

  useEffect(() => {
    void load();
    const onSignedOut = (e: Event) => {
      const detail = (e as CustomEvent<string | undefined>).detail;
      if (detail) setSignedOutNotice(detail);
      void load();
    };
    window.addEventListener(SIGNED_OUT_EVENT, onSignedOut);
    return () => window.removeEventListener(SIGNED_OUT_EVENT, onSignedOut);
  }, [load]);

  switch (phase.kind) {
    case 'loading':
      return (
        <div className="center-page">
          <Loading />
        </div>
      );
    case 'failed':
      return (
        <div className="center-page">
          <div className="auth-card">
            <h1>法制审核工作台</h1>
            <ErrorBox message={phase.message} />
            <button type="button" onClick={() => void load()}>
              重试
            </button>
          </div>
        </div>
      );
    case 'setup':
      return <Setup onDone={() => void load()} />;
    case 'signin':
      return <SignIn agencyName={phase.status.agencyName ?? ''} notice={signedOutNotice} onDone={() => { setSignedOutNotice(null); void load(); }} />;
    case 'ready':
      // A reset password must be changed before anything else (the core refuses every other request).
      if (phase.session.passwordReset) {
        return (
          <ForcedPasswordChange
            session={phase.session}
            onDone={() => void load()}
            onSignOut={async () => {
              await call('auth.signOut', {});
              void load();
            }}
          />
        );
      }
      return (
        <Shell
          session={phase.session}
          status={phase.status}
          onSignOut={async () => {
            await flushAllAutosaves();
            await call('auth.signOut', {});
            window.location.hash = '';
            void load();
          }}
        />
      );
  }
}

interface NavItem {
  route: Route['name'];
  label: string;
  roles?: Role[];
  /** The count of the queue answer shown beside the label (what waits for this user there). */
  count?: keyof QueueView['counts'];
}

/** Who may read meeting minutes (permission meeting.read): the secretary, the heads and the legal office. */
const MEETING_ROLES: Role[] = ['secretary', 'agency_head', 'legal_head', 'reviewer'];

/** Who may read the catalog's versions (permission catalog.read). */
const CATALOG_ROLES: Role[] = ['sys_admin', 'handler', 'reviewer', 'legal_head', 'agency_head', 'inspector'];

/** Who may sign and issue documents (permission document.issue): everyone but a pure administrator. */
const SIGNER_ROLES: Role[] = ['handler', 'reviewer', 'legal_head', 'agency_head', 'secretary'];

const NAV: NavItem[] = [
  { route: 'queue', label: '待办', count: 'queue' },
  { route: 'search', label: '案件检索' },
  { route: 'submit', label: '送审', roles: ['handler'] },
  { route: 'calendar', label: '期限日历' },
  { route: 'overdue', label: '逾期督办', roles: ['legal_head'], count: 'overdue' },
  { route: 'meetings', label: '会议', roles: MEETING_ROLES, count: 'meetings' },
  // Permission stats.read.
  { route: 'stats', label: '统计', roles: ['legal_head', 'agency_head'] },
  { route: 'inspections', label: '案卷评查', roles: ['inspector'] },
  // 三员分立: accounts and the system (sys_admin), roles and security (sec_admin), the record (audit_admin).
  { route: 'users', label: '用户管理', roles: ['sys_admin', 'sec_admin'] },
  { route: 'settings', label: '系统设置', roles: ['sys_admin', 'sec_admin'] },
  { route: 'templates', label: '文书模板', roles: ['sys_admin'] },
  // Permission catalog.read (catalog.manage: the system administrator).
  { route: 'catalog', label: '目录清单', roles: CATALOG_ROLES },
  { route: 'audit', label: '记录校验', roles: ['audit_admin', 'legal_head'] },
  { route: 'certificates', label: '签名证书', roles: SIGNER_ROLES },
  { route: 'verify', label: '签名校验' },
];

function Shell({ session, status, onSignOut }: { session: SessionView; status: AppStatus; onSignOut: () => void }) {
  const route = useRoute();
  const roles = session.user.roles;
  const can = (item: NavItem) => !item.roles || item.roles.some((r) => roles.includes(r));
  const active: Route['name'] =
    route.name === 'case' || route.name === 'review' || route.name === 'resubmit' || route.name === 'revise' || route.name === 'document' || route.name === 'caseIssued' || route.name === 'casePrint' || route.name === 'queuePrint'
      ? 'queue'
      : route.name === 'searchPrint'
        ? 'search'
      : route.name === 'meeting' || route.name === 'meetingNew'
        ? 'meetings'
        : route.name === 'template'
          ? 'templates'
          : route.name;
  const readsMeetings = roles.some((r) => MEETING_ROLES.includes(r));
  // The menu counts come from the same queue answer as the 待办 screen: read again on every navigation
  // (a desktop alone has no pushes) and on every pushed event in team mode.
  const userId = session.user.id;
  const { queue } = useQueue(userId);
  useEffect(() => {
    void refreshQueue(userId);
  }, [userId, route]);
  useLiveChanges(() => true, () => void refreshQueue(userId));
  useEffect(() => {
    const stale = () => void refreshQueue(userId);
    window.addEventListener(QUEUE_STALE_EVENT, stale);
    return () => window.removeEventListener(QUEUE_STALE_EVENT, stale);
  }, [userId]);

  let body;
  const denied = <ErrorBox message="您没有使用此功能的权限。" />;
  switch (route.name) {
    case 'queue':
      body = <Queue session={session} />;
      break;
    case 'search':
      body = <Search />;
      break;
    case 'submit':
      body = roles.includes('handler') ? <SubmitForm key="submit" mode={{ kind: 'new' }} /> : denied;
      break;
    case 'resubmit':
      body = <SubmitForm key={`resubmit-${route.caseId}`} mode={{ kind: 'resubmit', caseId: route.caseId }} />;
      break;
    case 'revise':
      body = <SubmitForm key={`revise-${route.caseId}`} mode={{ kind: 'revise', caseId: route.caseId }} />;
      break;
    case 'case':
      body = <CasePage key={route.caseId} caseId={route.caseId} session={session} />;
      break;
    case 'review':
      body = <ReviewPage key={route.caseId} caseId={route.caseId} />;
      break;
    case 'users':
      body = roles.some((r) => r === 'sys_admin' || r === 'sec_admin') ? <Users me={session.user} /> : denied;
      break;
    case 'audit':
      body = roles.some((r) => r === 'audit_admin' || r === 'legal_head') ? <AuditVerify readsLog={roles.includes('audit_admin')} /> : denied;
      break;
    case 'calendar':
      body = <DeadlineCalendar session={session} />;
      break;
    case 'overdue':
      body = roles.includes('legal_head') ? <Overdue /> : denied;
      break;
    case 'inspections':
      body = roles.includes('inspector') ? <Inspections /> : denied;
      break;
    case 'stats':
      body = roles.some((r) => r === 'legal_head' || r === 'agency_head') ? <Stats /> : denied;
      break;
    case 'catalog':
      body = roles.some((r) => CATALOG_ROLES.includes(r)) ? <Catalog /> : denied;
      break;
    case 'settings':
      body = roles.some((r) => r === 'sys_admin' || r === 'sec_admin') ? <Settings roles={roles} /> : denied;
      break;
    case 'meetings':
      body = readsMeetings ? <Meetings session={session} /> : denied;
      break;
    case 'meetingNew':
      body = roles.includes('secretary') ? <MeetingCreate /> : denied;
      break;
    case 'meeting':
      body = readsMeetings ? <MeetingPage key={route.meetingId} meetingId={route.meetingId} session={session} /> : denied;
      break;
    case 'document':
      body = (
        <Suspense fallback={<Loading />}>
          <DraftingPage key={`${route.caseId}-${route.templateId}`} caseId={route.caseId} templateId={route.templateId} session={session} />
        </Suspense>
      );
      break;
    case 'templates':
      body = roles.includes('sys_admin') ? <Templates /> : denied;
      break;
    case 'template':
      body = roles.includes('sys_admin') ? <TemplateEditor key={route.templateId} templateId={route.templateId} /> : denied;
      break;
    case 'certificates':
      body = roles.some((r) => SIGNER_ROLES.includes(r)) ? <Certificates /> : denied;
      break;
    case 'verify':
      body = <VerifySignature />;
      break;
    case 'caseIssued':
      body = <IssuedDocuments key={route.caseId} caseId={route.caseId} />;
      break;
    case 'casePrint':
      body = <CasePrint key={route.caseId} caseId={route.caseId} session={session} />;
      break;
    case 'queuePrint':
      body = <ListPrint src={{ source: 'queue' }} />;
      break;
    case 'searchPrint':
      body = <ListPrint src={{ source: 'search', query: route.query, ...(route.state && { state: route.state as CaseState }) }} />;
      break;
  }

  return (
    <div className="shell">
      <header className="app-header">
        <div className="brand">
          <span className="brand-emblem" aria-hidden="true">
            法
          </span>
          <div>
            <div className="brand-agency" data-testid="agency-name">
              {session.agencyName || status.agencyName}
            </div>
            <div className="brand-app">重大行政执法决定法制审核工作台</div>
          </div>
        </div>
        <div className="user-box">
          <span className="user-name" data-testid="current-user">
            {session.user.displayName}
          </span>
          <span className="user-roles" data-testid="current-roles">
            {session.user.roles.map((r) => ROLE_LABELS[r]).join('、')}
          </span>
          <button type="button" className="btn-light" data-testid="sign-out" onClick={onSignOut}>
            退出
          </button>
        </div>
      </header>
      <nav className="app-nav" aria-label="主菜单">
        {NAV.filter(can).map((item) => (
          <a
            key={item.route}
            href={`#/${item.route}`}
            className={active === item.route ? 'active' : undefined}
            aria-current={active === item.route ? 'page' : undefined}
            data-testid={`nav-${item.route}`}
            onClick={(e) => {
              e.preventDefault();
              navigate({ name: item.route } as Route);
            }}
          >
            {item.label}
            {item.count && queue && queue.counts[item.count] > 0 && (
              <span className="nav-count" data-testid={`nav-count-${item.route}`} aria-label={`${queue.counts[item.count]}项`}>
                {queue.counts[item.count]}
              </span>
            )}
          </a>
        ))}
      </nav>
      <main className="app-main">
        <ConnectionBanner />
        <AlarmBanner session={session} />
        <AdminSplitBanner status={status} roles={roles} />
        <LastDayWatcher session={session} />
        {body}
      </main>
      <footer className="app-footer">
        谁承办谁负责 · 谁审核谁负责 · 谁审批谁负责　|　全过程记录，不可删改
      </footer>
    </div>
  );
}

/** 三员分立 at first run: the first administrator is asked for the other two administrator accounts. */
function AdminSplitBanner({ status, roles }: { status: AppStatus; roles: Role[] }) {
  const split = status.adminSplit;
  if (!split || (split.enabled && split.complete)) return null;
  if (!roles.some((r) => r === 'sys_admin' || r === 'sec_admin' || r === 'audit_admin')) return null;
  if (!split.enabled) {
    return (
      <div className="notice-box" role="status" data-testid="admin-split-banner" data-split="off">
        本机关已关闭三员分立（由安全管理员设置，已记入全过程记录）：一个账号可兼任系统管理员、安全管理员、审计管理员。
      </div>
    );
  }
  const missing = split.missing.filter((r) => r !== 'sys_admin').map((r) => ROLE_LABELS[r]);
  return (
    <div className="notice-box" role="status" data-testid="admin-split-banner">
      三员分立（GB/T 22239）：尚需为不同人员开设{missing.join('、') || '管理员'}账号。在此之前首位管理员兼任三员；两个账号到位后，其兼任的安全管理员、审计管理员角色自动撤销并记入全过程记录。
      {' '}
      <a href="#/users" onClick={(e) => { e.preventDefault(); navigate({ name: 'users' } as Route); }}>前往用户管理</a>
    </div>
  );
}
