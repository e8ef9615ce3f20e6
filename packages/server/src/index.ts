export { start } from './start.js';
export { loadConfig, SETTINGS, type Config } from './config/config.js';
export { ConfigError } from './config/settings.js';
export { ERRORS, TesseraError, type ErrorCode, type ErrorBody } from './errors/registry.js';
