/** Prisma selects for references shown on other entities (see UserRef / NamedRef). */
export const userRefSelect = { select: { id: true, userId: true, userDirectory: true, name: true } } as const;
export const namedRefSelect = { select: { id: true, name: true } } as const;
