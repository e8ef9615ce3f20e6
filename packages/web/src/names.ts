/** The API's pattern for application, service-account and access-key names. */
const NAME = /^[a-z][-_a-z0-9]*[a-z0-9]$/;

/**
 * Why `name` would be refused by the API as an application, service-account or access-key name,
 * or undefined when it is fine — so the form can say so before the round trip.
 *
 * @example
 * ```ts
 * nameProblem('ci-bot') // undefined
 * nameProblem('CI') // 'Name: use 2 to 63 lowercase letters, …'
 * ```
 */
export function nameProblem(name: string): string | undefined {
  if (NAME.test(name) && name.length <= 63) return undefined;
  return 'Name: use 2 to 63 lowercase letters, digits, "-" or "_", starting with a letter and ending with a letter or digit.';
}
