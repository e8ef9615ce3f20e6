import { Type, type TSchema } from '@sinclair/typebox';

/** Run:ai's error body, as documented for every 4xx/5xx. */
export const ErrorBody = Type.Object(
  {
    code: Type.Integer({ minimum: 100, maximum: 599 }),
    message: Type.String(),
    details: Type.Optional(Type.String()),
  },
  { $id: 'Error' },
);

/** Standard error responses for an authenticated admin route. */
export function errorResponses(...codes: number[]): Record<number, TSchema> {
  return Object.fromEntries(codes.map((c) => [c, Type.Ref('Error')]));
}

/** Epoch milliseconds → the spec's date-time text (null stays null). */
export const isoOrNull = (ms: number | null): string | null =>
  ms === null ? null : new Date(ms).toISOString();
export const iso = (ms: number): string => new Date(ms).toISOString();
