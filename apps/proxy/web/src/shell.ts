import { button, h, link, replace } from './dom';
import { BASE } from './qrs-client';

/** The frame both pages share: header with who is signed in, a logout button, nav and main. */
export function shell(root: HTMLElement, title: string, me: string, nav: HTMLElement | null, main: HTMLElement, onLogout: () => void): void {
  const header = h('header', {},
    h('span', { class: 'skip' }, link('#main', 'Skip to content')),
    h('h1', {}, `trustzone ${title}`),
    h('span', { class: 'me' }, `Signed in as ${me}`),
    link(`${BASE}/hub/`, 'Hub'), ' ', link(`${BASE}/qmc/`, 'Console'), ' ',
    button('Log out', onLogout));
  replace(root, header, h('div', { class: nav ? 'layout' : 'layout single' }, nav, main));
}

/** A 401 from any call: the session ended (timeout, logout elsewhere). Say so; offer the way back. */
export function sessionEnded(root: HTMLElement): void {
  replace(root, h('main', { class: 'ended', role: 'alert' }, h('h1', {}, 'Your session has ended'),
    h('p', {}, 'Sign in again to continue.'), link(`${BASE}/hub/`, 'Sign in')));
}
