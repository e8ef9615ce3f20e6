export {
  DEFAULT_LOG_BUFFER_BYTES,
  LOG_FLUSH_INTERVAL_MS,
  LogDestination,
  MAX_LOG_BUFFER_BYTES,
} from './destination.js';
export { createLogger } from './logger.js';
export { OneLineRequestLog } from './request-log.js';
