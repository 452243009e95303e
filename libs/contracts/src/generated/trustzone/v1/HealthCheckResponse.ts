// Original file: libs/contracts/proto/health.proto


export interface HealthCheckResponse {
  /**
   * "ok" | "degraded"
   */
  'status'?: (string);
  /**
   * callee: proxy | repository | engine
   */
  'service'?: (string);
  'version'?: (string);
  /**
   * e.g. "proxy", "integration:portal"
   */
  'callerIdentity'?: (string);
  /**
   * serial of the callee's own certificate
   */
  'certificateSerial'?: (string);
  'certificateNotAfter'?: (string);
  /**
   * e.g. database: ok, audit: ok
   */
  'checks'?: ({[key: string]: string});
}

export interface HealthCheckResponse__Output {
  /**
   * "ok" | "degraded"
   */
  'status': (string);
  /**
   * callee: proxy | repository | engine
   */
  'service': (string);
  'version': (string);
  /**
   * e.g. "proxy", "integration:portal"
   */
  'callerIdentity': (string);
  /**
   * serial of the callee's own certificate
   */
  'certificateSerial': (string);
  'certificateNotAfter': (string);
  /**
   * e.g. database: ok, audit: ok
   */
  'checks': ({[key: string]: string});
}
