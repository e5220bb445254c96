// Hash routes, so that a reload (or the Electron window reopening) stays on the same page.
import { useEffect, useState } from 'react';

export type Route =
  | { name: 'queue' }
  | { name: 'search' }
  | { name: 'submit' }
  | { name: 'case'; caseId: number }
  | { name: 'review'; caseId: number }
  | { name: 'resubmit'; caseId: number }
  | { name: 'revise'; caseId: number }
  | { name: 'users' }
  | { name: 'audit' }
  | { name: 'calendar' }
  | { name: 'overdue' }
  | { name: 'stats' }
  | { name: 'inspections' }
  | { name: 'catalog' }
  | { name: 'settings' }
  | { name: 'meetings' }
  | { name: 'meetingNew' }
  | { name: 'meeting'; meetingId: number }
  | { name: 'document'; caseId: number; templateId: string }
  | { name: 'templates' }
  | { name: 'template'; templateId: string }
  | { name: 'certificates' }
  | { name: 'verify' }
  | { name: 'caseIssued'; caseId: number }
  | { name: 'casePrint'; caseId: number }
  | { name: 'queuePrint' }
  | { name: 'searchPrint'; query: string; state: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  let m: RegExpExecArray | null;
  if ((m = /^\/case\/(\d+)\/review$/.exec(path))) return { name: 'review', caseId: Number(m[1]) };
  if ((m = /^\/case\/(\d+)\/resubmit$/.exec(path))) return { name: 'resubmit', caseId: Number(m[1]) };
  if ((m = /^\/case\/(\d+)\/revise$/.exec(path))) return { name: 'revise', caseId: Number(m[1]) };
  if ((m = /^\/case\/(\d+)$/.exec(path))) return { name: 'case', caseId: Number(m[1]) };
  if ((m = /^\/case\/(\d+)\/issued$/.exec(path))) return { name: 'caseIssued', caseId: Number(m[1]) };
  if ((m = /^\/case\/(\d+)\/print$/.exec(path))) return { name: 'casePrint', caseId: Number(m[1]) };
  if (path === '/print/queue') return { name: 'queuePrint' };
  if ((m = /^\/print\/search(?:\?(.*))?$/.exec(path))) {
    const q = new URLSearchParams(m[1] ?? '');
    return { name: 'searchPrint', query: q.get('q') ?? '', state: q.get('state') ?? '' };
  }
  if ((m = /^\/meeting\/(\d+)$/.exec(path))) return { name: 'meeting', meetingId: Number(m[1]) };
  if ((m = /^\/case\/(\d+)\/doc\/([a-z][a-z0-9-]{1,40})$/.exec(path))) return { name: 'document', caseId: Number(m[1]), templateId: m[2] };
  if ((m = /^\/templates\/([a-z][a-z0-9-]{1,40})$/.exec(path))) return { name: 'template', templateId: m[1] };
  switch (path) {
    case '/search':
      return { name: 'search' };
    case '/submit':
      return { name: 'submit' };
    case '/users':
      return { name: 'users' };
    case '/audit':
      return { name: 'audit' };
    case '/calendar':
      return { name: 'calendar' };
    case '/overdue':
      return { name: 'overdue' };
    case '/stats':
      return { name: 'stats' };
    case '/inspections':
      return { name: 'inspections' };
    case '/catalog':
      return { name: 'catalog' };
    case '/settings':
      return { name: 'settings' };
    case '/meetings':
      return { name: 'meetings' };
    case '/meetings/new':
      return { name: 'meetingNew' };
    case '/templates':
      return { name: 'templates' };
    case '/certificates':
      return { name: 'certificates' };
    case '/verify':
      return { name: 'verify' };
    default:
      return { name: 'queue' };
  }
}

export function routeHash(r: Route): string {
  switch (r.name) {
    case 'case':
      return `#/case/${r.caseId}`;
    case 'review':
      return `#/case/${r.caseId}/review`;
    case 'resubmit':
      return `#/case/${r.caseId}/resubmit`;
    case 'revise':
      return `#/case/${r.caseId}/revise`;
    case 'meeting':
      return `#/meeting/${r.meetingId}`;
    case 'meetingNew':
      return '#/meetings/new';
    case 'document':
      return `#/case/${r.caseId}/doc/${r.templateId}`;
    case 'template':
      return `#/templates/${r.templateId}`;
    case 'caseIssued':
      return `#/case/${r.caseId}/issued`;
    case 'casePrint':
      return `#/case/${r.caseId}/print`;
    case 'queuePrint':
      return '#/print/queue';
    case 'searchPrint': {
      const q = new URLSearchParams();
      if (r.query) q.set('q', r.query);
      if (r.state) q.set('state', r.state);
      const qs = q.toString();
      return `#/print/search${qs ? `?${qs}` : ''}`;
    }
    default:
      return `#/${r.name}`;
  }
}

export function navigate(r: Route): void {
  const h = routeHash(r);
  if (window.location.hash !== h) window.location.hash = h;
}

export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
