export { runCli, VERSION } from './program.js';
export { readEnv, type CliEnv } from './config/env.js';
export { Kubeconfig, type OidcProviderConfig } from './kubeconfig/kubeconfig.js';
export { CliError, EXIT } from './errors.js';
