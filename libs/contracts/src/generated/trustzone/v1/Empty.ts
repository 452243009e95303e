// Original file: libs/contracts/proto/repository.proto


export interface Empty {
}

export interface Empty__Output {
}
