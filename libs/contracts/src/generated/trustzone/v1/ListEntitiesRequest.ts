// Original file: libs/contracts/proto/repository.proto


export interface ListEntitiesRequest {
  'type'?: (string);
  'filter'?: (string);
  'orderby'?: (string);
  'full'?: (boolean);
  'countOnly'?: (boolean);
  'privileges'?: (boolean);
}

export interface ListEntitiesRequest__Output {
  'type': (string);
  'filter': (string);
  'orderby': (string);
  'full': (boolean);
  'countOnly': (boolean);
  'privileges': (boolean);
}
