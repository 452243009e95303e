// Original file: libs/contracts/proto/health.proto


export interface HealthCheckRequest {
}

export interface HealthCheckRequest__Output {
}
