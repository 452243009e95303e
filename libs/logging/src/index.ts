export * from './logging.error';
export * from './safe-json';
export * from './redaction/redact';
export * from './redaction/sensitive-key';
export * from './redaction/value-redactor';
export * from './operational/create-logger';
