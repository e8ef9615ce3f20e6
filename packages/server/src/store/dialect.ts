/** The two stores Tessera runs on. */
export type Dialect = 'sqlite' | 'postgres';
