/**
 * Fixed ids of the seeded streams (the ids Qlik Sense ships them with), so the shipped rules that
 * name them (`Stream_<id>`) match on every site and re-seeding is idempotent.
 */
export const EVERYONE_STREAM_ID = 'aaec8d41-5201-43ab-809f-3063750dfafd';
export const MONITORING_STREAM_ID = 'a70ca8a5-1d59-4cc9-b5fa-6e207978dcaf';
export const CENTRAL_NODE_NAME = 'central';

/** The local user directory every site starts with (users managed through /qrs/user). */
export const LOCAL_DIRECTORY_NAME = 'LOCAL';
