export { TesseraClient, TesseraApiError, type TesseraClientOptions } from './client.js';
export type * from './types.js';
export { adminApi, queryString, type AdminApi } from './admin.js';
export type * from './admin-types.js';
