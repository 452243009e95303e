// Original file: libs/contracts/proto/engine.proto


/**
 * A statement of the load script starting (trace = false), or a TRACE message (trace = true).
 */
export interface ReloadStatement {
  'line'?: (number);
  'column'?: (number);
  'text'?: (string);
  'trace'?: (boolean);
}

/**
 * A statement of the load script starting (trace = false), or a TRACE message (trace = true).
 */
export interface ReloadStatement__Output {
  'line': (number);
  'column': (number);
  'text': (string);
  'trace': (boolean);
}
