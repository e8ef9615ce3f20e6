// The HTTP-level browser the control plane's OAuth tests use (cookie jar, manual redirects): it signs
// in on the server's page, follows an authorization URL to the CLI's loopback redirect, and approves
// a device code. One implementation for both packages' tests.
export { Browser as HttpBrowser, field } from '../../../server/test/helpers/browser.js';
