// Original file: libs/contracts/proto/repository.proto


export interface EntityWrite {
  'type'?: (string);
  /**
   * empty on create
   */
  'id'?: (string);
  /**
   * the entity body as the client sent it (validated by the repository)
   */
  'json'?: (string);
  'privileges'?: (boolean);
}

export interface EntityWrite__Output {
  'type': (string);
  /**
   * empty on create
   */
  'id': (string);
  /**
   * the entity body as the client sent it (validated by the repository)
   */
  'json': (string);
  'privileges': (boolean);
}
