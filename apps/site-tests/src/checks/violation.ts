/** One failed hardening check: what (service, network, image target) and which rule. */
export interface Violation {
  subject: string;
  check: string;
  detail: string;
}

/** `user:` / `USER` values that mean root: uid 0 or the name root, with or without a group. */
export function isRootUser(user: string | undefined): boolean {
  if (user === undefined) return true;
  const who = user.trim().split(':')[0] ?? '';
  return who === '' || who === 'root' || /^0+$/.test(who);
}
