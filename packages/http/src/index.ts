export { DRAIN_MAX_BYTES, DRAIN_MAX_MS, drainRejectedBodies, type DrainLimits } from './rejected-body.js';
export { validationMessage } from './validation-message.js';
