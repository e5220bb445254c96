// Hash routes, so that a reload (or the Electron window reopening) stays on the same page.
import { useEffect, useState } from 'react';

export type Route =
  | { name: 'queue' }
  | { name: 'search' }
  | { name: 'submit' }
  | { name: 'case'; caseId: number }
  | { name: 'review'; caseId: number }
  | { name: 'resubmit'; caseId: number }
  | { name: 'users' }
  | { name: 'audit' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  let m: RegExpExecArray | null;
  if ((m = /^\/case\/(\d+)\/review$/.exec(path))) return { name: 'review', caseId: Number(m[1]) };
  if ((m = /^\/case\/(\d+)\/resubmit$/.exec(path))) return { name: 'resubmit', caseId: Number(m[1]) };
  if ((m = /^\/case\/(\d+)$/.exec(path))) return { name: 'case', caseId: Number(m[1]) };
  switch (path) {
    case '/search':
      return { name: 'search' };
    case '/submit':
      return { name: 'submit' };
    case '/users':
      return { name: 'users' };
    case '/audit':
      return { name: 'audit' };
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
