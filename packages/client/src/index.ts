export { TesseraClient, TesseraApiError, type TesseraClientOptions } from './client.js';
export type * from './types.js';
