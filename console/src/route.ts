// Hash routing: #/events (the default), #/trails, #/trails/<name>, #/insights, #/integrity.
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  page: 'events' | 'trails' | 'trail' | 'insights' | 'integrity';
  /** The trail's name for #/trails/<name>. */
  name?: string;
}

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  const [first, second] = parts;
  if (first === 'trails' && second !== undefined && second !== '') return { page: 'trail', name: decodeURIComponent(second) };
  if (first === 'trails' || first === 'insights' || first === 'integrity') return { page: first };
  return { page: 'events' };
}

export function trailHref(name: string): string {
  return `#/trails/${encodeURIComponent(name)}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}
