export enum SiteTestErrorCode {
  /** docker-compose.yml does not parse or has a shape the checks do not understand. */
  ComposeInvalid = 'COMPOSE_INVALID',
  Interpolation = 'COMPOSE_INTERPOLATION',
  /** docker/Dockerfile does not parse, or a target/stage it names is missing. */
  DockerfileInvalid = 'DOCKERFILE_INVALID',
  /** The multi-host lab could not build its namespaces, bridges or links. */
  NetworkSetup = 'NETWORK_SETUP',
  /** A service process exited, or did not become healthy in time. */
  ServiceFailed = 'SERVICE_FAILED',
  /** The host lacks what the multi-host test needs (root, ip, PostgreSQL binaries…). */
  HostUnsupported = 'HOST_UNSUPPORTED',
}

export class SiteTestError extends Error {
  constructor(
    readonly code: SiteTestErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SiteTestError';
  }
}
