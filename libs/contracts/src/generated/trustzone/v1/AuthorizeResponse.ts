// Original file: libs/contracts/proto/repository.proto


export interface AuthorizeResponse {
  'allowed'?: (boolean);
  'reason'?: (string);
  /**
   * When allowed: the asking user's groups (attributes of type Group), the one definition the
   * engine's section access uses for GROUP rows, as the rules use it for user.group.
   */
  'groups'?: (string)[];
}

export interface AuthorizeResponse__Output {
  'allowed': (boolean);
  'reason': (string);
  /**
   * When allowed: the asking user's groups (attributes of type Group), the one definition the
   * engine's section access uses for GROUP rows, as the rules use it for user.group.
   */
  'groups': (string)[];
}
