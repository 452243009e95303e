/**
 * The one definition of a user's groups: the values of their attributes whose type is "Group",
 * compared case-insensitively (Qlik's user directories and ticket attributes write `Group`, `group`
 * or `GROUP`). It feeds `user.group` in security rules and `GROUP` rows of section access alike
 * (the repository answers the engine's app-open authorization with these groups), so the two can
 * never disagree about the same user.
 */
export const GROUP_ATTRIBUTE_TYPE = 'Group';

export function isGroupAttribute(type: string): boolean {
  return type.toLowerCase() === 'group';
}

/** Sorted, without duplicates. */
export function userGroups(attributes: readonly { type: string; value: string }[]): string[] {
  const groups = new Set<string>();
  for (const a of attributes) if (isGroupAttribute(a.type) && a.value !== '') groups.add(a.value);
  return [...groups].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
